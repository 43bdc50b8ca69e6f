import type { ConnectStatus } from '../api/types.ts';
import { formatSeconds } from '../common/format.ts';
import { plural } from '../../domain/plural.ts';

/**
 * "Usually delivered in 1.4 s": the measured time from a batch's making to its delivery,
 * instead of a promise. Null until the firm has a delivery to measure.
 */
export function usualDeliveryText(delivery: ConnectStatus['deliverySeconds'] | undefined): string | null {
  if (!delivery || delivery.samples === 0 || delivery.median === null) return null;
  const p95 = delivery.p95 !== null && delivery.samples >= 2 ? `; 95% within ${formatSeconds(delivery.p95)}` : '';
  return `Usually delivered in ${formatSeconds(delivery.median)} (${plural(delivery.samples, 'batch', 'batches')} measured${p95}).`;
}
