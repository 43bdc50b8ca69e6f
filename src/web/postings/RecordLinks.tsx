import { Anchor, Badge, Group, Stack, Text, Title } from '@mantine/core';
import { useId } from 'react';
import { REVERSAL_LABEL } from '../../domain/payment-reversal.ts';
import type { RecordDetail } from '../api/types.ts';
import { formatUsd, shortId } from '../common/format.ts';
import { STATUS_COLORS } from './columns.tsx';
import { ReversalBadge } from './ReversalBadge.tsx';

/**
 * A reversal and its original, linked both ways (SPEC §3.5): a reversal names the record
 * it reverses, an original lists the reversals made of it; each opens in the same drawer.
 */
export function RecordLinks({ record, onOpen }: { record: RecordDetail; onOpen: (id: string) => void }) {
  const titleId = useId();
  const { reversalOf, reversals } = record;
  if (!reversalOf && reversals.length === 0) return null;
  return (
    <Stack gap={4} component="section" aria-labelledby={titleId}>
      <Title order={3} size="h5" id={titleId}>
        Linked records
      </Title>
      {reversalOf && (
        <Text size="sm">
          <Anchor component="button" type="button" size="sm" onClick={() => onOpen(reversalOf)}>
            Reverses record {shortId(reversalOf)}
          </Anchor>
          {record.payment.postingRecordId === reversalOf && record.payment.postingStatus && (
            <Text span size="sm" c="dimmed">
              {' '}
              (the payment&rsquo;s {record.payment.postingStatus} record)
            </Text>
          )}
        </Text>
      )}
      {reversals.length > 0 && (
        <Stack gap={4} component="ul" aria-label="Reversals of this record" m={0} p={0} style={{ listStyle: 'none' }}>
          {reversals.map((r) => (
            <Group key={r.id} component="li" gap="xs" wrap="nowrap">
              <ReversalBadge kind={r.reversalKind} />
              <Anchor
                component="button"
                type="button"
                size="sm"
                onClick={() => onOpen(r.id)}
                aria-label={`Open the ${REVERSAL_LABEL[r.reversalKind]} record ${shortId(r.id)} of ${formatUsd(r.amountCents)}`}
              >
                Record {shortId(r.id)}:{' '}
                <span style={{ fontVariantNumeric: 'tabular-nums' }}>{formatUsd(r.amountCents)}</span>
              </Anchor>
              <Badge size="sm" color={STATUS_COLORS[r.status]} variant="light" style={{ flexShrink: 0 }}>
                {r.status}
              </Badge>
            </Group>
          ))}
        </Stack>
      )}
    </Stack>
  );
}
