import { Badge, Group, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { ColumnDef } from '@tanstack/react-table';
import { MMS_STATE_TEXT, PAYOUT_KIND_TEXT } from '../../domain/deposits.ts';
import type { PayoutLine, Payout } from '../api/types.ts';
import { AppLink } from '../common/AppLink.tsx';
import { accountColumn, amountColumn, dateColumn } from '../common/columns.tsx';
import { formatDate, formatUsd, shortId } from '../common/format.ts';
import { STATUS_COLORS } from '../postings/columns.tsx';
import { postingRecordPath } from '../router.ts';
import { payoutPath } from './paths.ts';

/** A flag in words as well as colour: what the MMS does not hold yet. */
function AttentionBadge({ children }: { children: React.ReactNode }) {
  return (
    <Badge
      size="sm"
      color="orange"
      variant="light"
      tt="none"
      leftSection={<IconAlertTriangle size={12} aria-hidden />}
      styles={{ root: { overflow: 'visible' }, label: { overflow: 'visible' } }}
    >
      {children}
    </Badge>
  );
}

export const describePayout = (p: Payout) => `the payout of ${formatDate(p.paidOn)} to ${p.depositAccountName}`;

/** The Deposits list: one payout a row, by the day it was paid and the account it went to. */
export const payoutColumns: ColumnDef<Payout>[] = [
  {
    id: 'paidOn',
    header: 'Paid on',
    cell: ({ row }) => (
      <AppLink
        to={payoutPath(row.original.id)}
        size="sm"
        fw={600}
        style={{ whiteSpace: 'nowrap' }}
        aria-label={`Open ${describePayout(row.original)}`}
      >
        {formatDate(row.original.paidOn)}
      </AppLink>
    ),
  },
  accountColumn(),
  dateColumn('settledOn', 'Payments of', (p) => p.settledOn),
  amountColumn('gross', 'Gross', (p) => p.grossCents),
  amountColumn('refunds', 'Refunds', (p) => p.refundsCents),
  amountColumn('chargebacks', 'Chargebacks', (p) => p.chargebacksCents),
  amountColumn('fees', 'Fees', (p) => p.feesCents),
  amountColumn('net', 'Net', (p) => p.netCents),
  {
    id: 'mms',
    header: 'In the MMS',
    cell: ({ row }) =>
      row.original.unappliedCount > 0 ? (
        <AttentionBadge>{row.original.unappliedCount} not applied</AttentionBadge>
      ) : (
        <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          Nothing waiting
        </Text>
      ),
  },
];

/** The record's status, with the batch that carried it when there is one: "posted · batch #3". */
function RecordCell({ line }: { line: PayoutLine }) {
  const record = line.postingRecord;
  if (!record)
    return (
      <Text size="sm" c="dimmed">
        —
      </Text>
    );
  return (
    <Stack gap={0}>
      <AppLink
        to={postingRecordPath(record.id)}
        size="sm"
        style={{ whiteSpace: 'nowrap' }}
        aria-label={`Open posting record ${shortId(record.id)}${line.payment ? ` of ${line.payment.payerName}` : ''}`}
      >
        Record {shortId(record.id)}
      </AppLink>
      <Text size="xs" c={`${STATUS_COLORS[record.status] ?? 'gray'}.8`} style={{ whiteSpace: 'nowrap' }}>
        {record.status}
        {record.batchSeq !== null && ` · batch #${record.batchSeq}`}
      </Text>
    </Stack>
  );
}

export const describeLine = (l: PayoutLine) =>
  `${PAYOUT_KIND_TEXT[l.kind]} ${l.payment?.payerName ?? l.processorId} ${formatUsd(l.amountCents)}`;

/** A payout's lines: what each is, its payment, its posting record and where the MMS stands with it. */
export const lineColumns: ColumnDef<PayoutLine>[] = [
  {
    id: 'kind',
    header: 'Kind',
    cell: ({ row }) => <Text size="sm">{PAYOUT_KIND_TEXT[row.original.kind]}</Text>,
  },
  amountColumn('amount', 'Amount', (l) => l.amountCents),
  { id: 'payer', header: 'Payer', cell: ({ row }) => row.original.payment?.payerName ?? '—' },
  dateColumn('paymentDate', 'Payment date', (l) => l.payment?.processedAt ?? null),
  { id: 'record', header: 'Posting record', cell: ({ row }) => <RecordCell line={row.original} /> },
  {
    id: 'mms',
    header: 'MMS',
    cell: ({ row }) => (
      <Group gap={6} wrap="nowrap">
        <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
          {MMS_STATE_TEXT[row.original.mmsState]}
        </Text>
        {row.original.needsAttention && <AttentionBadge>Needs attention</AttentionBadge>}
      </Group>
    ),
  },
];
