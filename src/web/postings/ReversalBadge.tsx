import { Badge, type BadgeProps } from '@mantine/core';
import { REVERSAL_LABEL } from '../../domain/payment-reversal.ts';
import type { ReversalRecordKind } from '../../domain/types.ts';

/** What a badge labels: a reversal's kind, or a correction's replacement. */
export type RecordKind = ReversalRecordKind | 'replacement';

/** A record's kind for its badge: what it reverses, or that it replaces a corrected record; null for any other. */
export function recordKind(record: {
  reversalKind: ReversalRecordKind | null;
  replaces: string | null;
}): RecordKind | null {
  return record.reversalKind ?? (record.replaces !== null ? 'replacement' : null);
}

export const RECORD_KIND_LABEL: Record<RecordKind, string> = {
  ...REVERSAL_LABEL,
  replacement: `${REVERSAL_LABEL.correction} (replacement)`,
};

/**
 * What a reversal record undoes, as every list labels it (SPEC §3.5): Refund, Chargeback,
 * eCheck return, Void, Correction; and a correction's replacement (SPEC §3.7).
 */
export function ReversalBadge({ kind, size = 'sm' }: { kind: RecordKind; size?: BadgeProps['size'] }) {
  return (
    // Unclipped, so a table's amount column grows to hold the badge rather than the badge spilling into the next column.
    <Badge
      size={size}
      color="grape"
      variant="light"
      tt="none"
      style={{ flexShrink: 0 }}
      styles={{ root: { overflow: 'visible' }, label: { overflow: 'visible' } }}
    >
      {RECORD_KIND_LABEL[kind]}
    </Badge>
  );
}
