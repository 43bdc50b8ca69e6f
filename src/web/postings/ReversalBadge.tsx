import { Badge, type BadgeProps } from '@mantine/core';
import { REVERSAL_LABEL } from '../../domain/payment-reversal.ts';
import type { ReversalRecordKind } from '../../domain/types.ts';

/** What a reversal record undoes, as every list labels it (SPEC §3.5): Refund, Chargeback, eCheck return, Void, Correction. */
export function ReversalBadge({ kind, size = 'sm' }: { kind: ReversalRecordKind; size?: BadgeProps['size'] }) {
  return (
    <Badge size={size} color="grape" variant="light" tt="none" style={{ flexShrink: 0 }}>
      {REVERSAL_LABEL[kind]}
    </Badge>
  );
}
