import { Badge, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import type { RecordDetail } from '../api/types.ts';
import {
  clientMatter,
  formatDate,
  formatDateTime,
  formatUsd,
  methodText,
  ORIGIN_LABELS,
  shortId,
} from '../common/format.ts';
import { Fact } from '../common/Fact.tsx';
import { refundedPart } from '../payments/reversal.ts';
import { STATUS_COLORS } from './columns.tsx';
import { recordKind, ReversalBadge } from './ReversalBadge.tsx';

export function PaymentDetails({ record }: { record: RecordDetail }) {
  const { payment } = record;
  const refunded = refundedPart(payment);
  const kind = recordKind(record);
  return (
    <Stack gap="xs" component="section" aria-label="Payment details">
      <Group gap="xs">
        <Badge color={STATUS_COLORS[record.status]} variant="light">
          {record.status}
        </Badge>
        {kind && <ReversalBadge kind={kind} size="md" />}
        {record.batch && <Text size="sm">Batch #{record.batch.seq}</Text>}
        <Text size="sm" c="dimmed">
          Record {shortId(record.id)}
        </Text>
      </Group>
      <SimpleGrid cols={3} spacing="xs" verticalSpacing={6}>
        <Fact label="Payer">{record.payerName}</Fact>
        <Fact label="Paid">{formatDateTime(record.processedAt)}</Fact>
        <Fact label="Posting date">{formatDate(record.postingDate)}</Fact>
        <Fact label="Origin">{ORIGIN_LABELS[record.origin] ?? record.origin}</Fact>
        <Fact label="Payment amount">{formatUsd(payment.amountCents)}</Fact>
        <Fact label="Surcharge">{formatUsd(record.surchargeCents)}</Fact>
        <Fact label={record.reversalOf ? 'Reversal amount' : 'To allocate'}>{formatUsd(record.amountCents)}</Fact>
        {refunded && <Fact label="Refunded so far">{refunded}</Fact>}
        <Fact label="Method">{methodText(record.method, record.cardBrand, record.last4)}</Fact>
        <Fact label="Account">{record.depositAccountName}</Fact>
        <Fact label="Client/Matter">{clientMatter(record.clientNumber, record.matterNumber)}</Fact>
        <Fact label="Invoices the payer typed">{record.invoiceNumbers.join(', ') || '—'}</Fact>
        <Fact label="Payer email">{payment.payerEmail ?? '—'}</Fact>
        <Fact label="Processor id">{payment.processorId}</Fact>
      </SimpleGrid>
    </Stack>
  );
}
