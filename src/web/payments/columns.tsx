import { Anchor, Badge, Button, Menu, Text, VisuallyHidden } from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import type { Payment } from '../api/types.ts';
import { accountColumn, amountColumn, clientMatterColumn, dateColumn, methodColumn } from '../common/columns.tsx';
import { formatUsd, ORIGIN_LABELS } from '../common/format.ts';
import { STATUS_COLORS } from '../postings/columns.tsx';
import { refundedText, voidNote } from './reversal.ts';
import type { Reversal } from './ReverseDialog.tsx';

const PAYMENT_COLORS: Record<string, string> = {
  approved: 'green',
  declined: 'gray',
  voided: 'orange',
  refunded: 'orange',
  charged_back: 'red',
};
// A badge clips its label to fit; in a table the column should grow to the label instead.
const NO_CLIP = { root: { overflow: 'visible' }, label: { overflow: 'visible' } };
const ORIGIN_COLORS: Record<string, string> = {
  connect: 'indigo',
  payment_page: 'teal',
  enter_payment: 'gray',
  payment_schedule: 'cyan',
  quick_link: 'violet',
};

export function paymentColumns(
  onView: (recordId: string) => void,
  onReverse: ((r: Reversal) => void) | null,
): ColumnDef<Payment>[] {
  const columns: ColumnDef<Payment>[] = [
    dateColumn('date', 'Date', (p) => p.processedAt, 'xs'),
    {
      id: 'payer',
      header: 'Payer',
      // Wide enough that a firm's name takes two lines at most at 1280 px, not three.
      cell: ({ row }) => (
        <Text size="xs" miw={110}>
          {row.original.payerName}
        </Text>
      ),
    },
    { id: 'invoices', header: 'Invoice(s)', cell: ({ row }) => row.original.invoiceNumbers.join(', ') || '—' },
    clientMatterColumn(),
    amountColumn('amount', 'Amount', (p) => p.amountCents, 'xs'),
    amountColumn('surcharge', 'Surcharge', (p) => p.surchargeCents, 'xs'),
    methodColumn('xs'),
    accountColumn(),
    {
      id: 'origin',
      header: 'Origin',
      cell: ({ row }) => (
        <Badge size="sm" variant="outline" tt="none" styles={NO_CLIP} color={ORIGIN_COLORS[row.original.origin]}>
          {ORIGIN_LABELS[row.original.origin] ?? row.original.origin}
        </Badge>
      ),
    },
    {
      id: 'status',
      header: 'Status',
      cell: ({ row }) => {
        const refunded = refundedText(row.original);
        return (
          <>
            <Text
              size="xs"
              fw={600}
              c={`${PAYMENT_COLORS[row.original.status] ?? 'gray'}.8`}
              style={{ whiteSpace: 'nowrap' }}
            >
              {row.original.status.replace('_', ' ')}
            </Text>
            {refunded && (
              <Text size="xs" c="orange.9" style={{ whiteSpace: 'nowrap' }}>
                {refunded}
              </Text>
            )}
          </>
        );
      },
    },
    {
      id: 'record',
      header: 'Posting record',
      cell: ({ row }) => {
        const { postingRecordId, postingStatus } = row.original;
        if (!postingRecordId)
          return (
            <Text size="xs" c="dimmed">
              none
            </Text>
          );
        return (
          <Anchor
            component="button"
            type="button"
            size="sm"
            onClick={() => onView(postingRecordId)}
            aria-label={`Open posting record of ${row.original.payerName}, ${postingStatus ?? ''}`}
          >
            <Text size="xs" c={`${STATUS_COLORS[postingStatus ?? ''] ?? 'gray'}.8`} td="underline">
              {postingStatus}
            </Text>
          </Anchor>
        );
      },
    },
  ];
  if (onReverse) {
    columns.push({
      id: 'reverse',
      header: () => <VisuallyHidden>Reverse</VisuallyHidden>,
      cell: ({ row }) => {
        if (row.original.status !== 'approved') return null;
        const notVoidable = voidNote(row.original);
        return (
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <Button
                size="compact-xs"
                variant="subtle"
                color="red"
                aria-label={`Reverse payment of ${row.original.payerName}, ${formatUsd(row.original.amountCents)}`}
              >
                Reverse…
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              {/* Where Void was: why it is gone, so no one looks for it. */}
              {notVoidable ? (
                <Menu.Label maw={220}>{notVoidable}</Menu.Label>
              ) : (
                <Menu.Item onClick={() => onReverse({ payment: row.original, kind: 'void' })}>Void</Menu.Item>
              )}
              <Menu.Item onClick={() => onReverse({ payment: row.original, kind: 'refund' })}>Refund…</Menu.Item>
              <Menu.Item onClick={() => onReverse({ payment: row.original, kind: 'chargeback' })}>Chargeback</Menu.Item>
            </Menu.Dropdown>
          </Menu>
        );
      },
    });
  }
  return columns;
}
