import type { Allocation } from '../../domain/types.ts';
import { LIFECYCLE_COLUMNS, toLifecycleView, type LinkLifecycleRow, type LinkLifecycleView } from './link-tokens.ts';

export interface PaymentLinkView extends LinkLifecycleView {
  id: string;
  amountCents: number;
  allocations: Allocation[];
}

export const LINK_COLUMNS = ['id', 'amount_cents', 'allocations', ...LIFECYCLE_COLUMNS] as const;

function isAllocation(value: unknown): value is Allocation {
  if (typeof value !== 'object' || value === null) return false;
  const a: Partial<Record<keyof Allocation, unknown>> = value;
  const textOrNull = (v: unknown) => v === null || typeof v === 'string';
  return textOrNull(a.invoiceNumber) && textOrNull(a.clientNumber) && textOrNull(a.matterNumber) && Number.isSafeInteger(a.amountCents);
}

/** The allocations a link was made with, read back from jsonb (written by createPaymentLink). */
export function storedAllocations(value: unknown): Allocation[] {
  if (!Array.isArray(value) || !value.every(isAllocation)) throw new Error('a payment link holds allocations that are not well formed');
  return value;
}

export function toLinkView(row: LinkLifecycleRow & { id: string; amount_cents: number; allocations: unknown }, now: Date): PaymentLinkView {
  return { id: row.id, amountCents: row.amount_cents, allocations: storedAllocations(row.allocations), ...toLifecycleView(row, now) };
}
