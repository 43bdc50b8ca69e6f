import { Badge, Button, Group, List, Stack, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { IconPencil, IconUser } from '@tabler/icons-react';
import type { ColumnDef } from '@tanstack/react-table';
import { REASON_TEXT } from '../../domain/types.ts';
import type { PostingRecord, View } from '../api/types.ts';
import { clientMatter, formatDate, formatUsd, formatWaited, methodText } from '../common/format.ts';

export const STATUS_COLORS: Record<string, string> = {
  pending: 'blue',
  incomplete: 'red',
  queued: 'yellow',
  posted: 'green',
  removed: 'gray',
};

function allocationTargets(record: PostingRecord): string {
  const invoices = record.allocations.map((a) => a.invoiceNumber).filter((n): n is string => n !== null);
  const shown = invoices.length > 0 ? invoices : record.invoiceNumbers;
  return shown.length > 0 ? shown.join(', ') : '—';
}

function clientMatterOf(record: PostingRecord): string {
  const first = record.allocations[0];
  return clientMatter(first?.clientNumber ?? record.clientNumber, first?.matterNumber ?? record.matterNumber);
}

function StatusCell({ record, view }: { record: PostingRecord; view: View }) {
  return (
    <Stack gap={2}>
      <Group gap={4} wrap="nowrap">
        <Badge size="sm" color={STATUS_COLORS[record.status]} variant="light">
          {record.status}
        </Badge>
        {record.batchSeq !== null && <Text size="xs">Batch #{record.batchSeq}</Text>}
      </Group>
      {view === 'queued' && record.status === 'queued' && (
        <Text size="xs" c="dimmed">
          Queued {formatWaited(record.statusChangedAt)}
        </Text>
      )}
      {record.reasons.length > 0 && (
        <List size="xs" c="red.8" spacing={0} withPadding={false} listStyleType="none">
          {record.reasons.map((reason) => (
            <List.Item key={reason}>{REASON_TEXT[reason]}</List.Item>
          ))}
        </List>
      )}
      {record.removalNote && (
        <Text size="xs" c="dimmed">
          Note: {record.removalNote}
        </Text>
      )}
    </Stack>
  );
}

export function describeRecord(record: PostingRecord): string {
  return `${record.payerName} ${formatUsd(record.amountCents)} ${formatDate(record.processedAt)}`;
}

export function postingColumns(view: View, onEdit: ((record: PostingRecord) => void) | null): ColumnDef<PostingRecord>[] {
  const columns: ColumnDef<PostingRecord>[] = [
    { id: 'date', header: 'Date', size: 100, cell: ({ row }) => <Text size="sm" style={{ whiteSpace: 'nowrap' }}>{formatDate(row.original.processedAt)}</Text> },
    {
      id: 'payer',
      header: 'Payer',
      cell: ({ row }) => (
        <Group gap={4} wrap="nowrap">
          <Text size="sm" miw={110}>{row.original.payerName}</Text>
          {row.original.fromPaymentPage && (
            <Tooltip label="Created via a payment page" withArrow>
              <IconUser size={16} aria-label="Created via a payment page" role="img" tabIndex={0} />
            </Tooltip>
          )}
        </Group>
      ),
    },
    { id: 'invoices', header: 'Invoice(s)', cell: ({ row }) => allocationTargets(row.original) },
    { id: 'clientMatter', header: 'Client/Matter', cell: ({ row }) => clientMatterOf(row.original) },
    { id: 'amount', header: 'Amount', cell: ({ row }) => <Text size="sm" ta="right" style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>{formatUsd(row.original.amountCents)}</Text> },
    { id: 'surcharge', header: 'Surcharge', cell: ({ row }) => <Text size="sm" ta="right" style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>{formatUsd(row.original.surchargeCents)}</Text> },
    { id: 'method', header: 'Method', cell: ({ row }) => <Text size="sm" style={{ whiteSpace: 'nowrap' }}>{methodText(row.original.method, row.original.cardBrand, row.original.last4)}</Text> },
    { id: 'account', header: 'Account', cell: ({ row }) => (row.original.account === 'trust' ? 'Trust' : 'Operating') },
    { id: 'status', header: 'Status and reasons', size: 210, cell: ({ row }) => <StatusCell record={row.original} view={view} /> },
  ];
  if (onEdit) {
    columns.push({
      id: 'edit',
      header: () => <VisuallyHidden>Actions</VisuallyHidden>,
      cell: ({ row }) =>
        row.original.status === 'pending' || row.original.status === 'incomplete' ? (
          <Button size="compact-xs" variant="light" leftSection={<IconPencil size={12} aria-hidden />} onClick={() => onEdit(row.original)} aria-label={`Edit Posting Record: ${describeRecord(row.original)}`}>
            Edit
          </Button>
        ) : null,
    });
  }
  return columns;
}
