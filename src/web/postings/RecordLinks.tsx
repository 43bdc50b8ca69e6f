import { Anchor, Badge, Group, Stack, Text, Title } from '@mantine/core';
import { useId } from 'react';
import { REVERSAL_LABEL } from '../../domain/payment-reversal.ts';
import type { RecordDetail } from '../api/types.ts';
import { formatUsd, shortId } from '../common/format.ts';
import { STATUS_COLORS } from './columns.tsx';
import { ReversalBadge } from './ReversalBadge.tsx';

/**
 * A reversal and its original, linked both ways (SPEC §3.5): a reversal names the record
 * it reverses, an original lists the reversals made of it; a correction's two halves and
 * the record they correct link to each other (SPEC §3.7). Each opens in the same drawer.
 */
export function RecordLinks({ record, onOpen }: { record: RecordDetail; onOpen: (id: string) => void }) {
  const titleId = useId();
  const { reversalOf, reversals, replaces, replacedBy, corrections } = record;
  if (!reversalOf && reversals.length === 0 && !replaces && corrections.length === 0) return null;
  const link = (id: string, text: string) => (
    <Anchor component="button" type="button" size="sm" onClick={() => onOpen(id)}>
      {text}
    </Anchor>
  );
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
      {replaces && <Text size="sm">{link(replaces, `Replaces record ${shortId(replaces)}`)} (corrected)</Text>}
      {replacedBy && <Text size="sm">{link(replacedBy, `Replaced by record ${shortId(replacedBy)}`)}</Text>}
      {corrections.length > 0 && (
        <Stack gap={4} component="ul" aria-label="Corrections" m={0} p={0} style={{ listStyle: 'none' }}>
          {corrections.map((c) => (
            <Group key={c.correctionId} component="li" gap="xs" wrap="nowrap">
              <ReversalBadge kind="correction" />
              <Text size="sm">
                {c.reversalId === record.id ? 'This reversal' : link(c.reversalId, `Reversal ${shortId(c.reversalId)}`)}{' '}
                and{' '}
                {c.replacementId === record.id
                  ? 'this replacement'
                  : link(c.replacementId, `replacement ${shortId(c.replacementId)}`)}{' '}
                of record {c.of === record.id ? 'this record' : shortId(c.of)}, posted together
              </Text>
              <Badge size="sm" color={STATUS_COLORS[c.status]} variant="light" style={{ flexShrink: 0 }}>
                {c.status}
              </Badge>
            </Group>
          ))}
        </Stack>
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
