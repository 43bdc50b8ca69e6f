import type { Account } from '../../domain/types.ts';
import { LIFECYCLE_COLUMNS, toLifecycleView, type LinkLifecycleRow, type LinkLifecycleView } from '../pay/link-tokens.ts';

export interface QuickLinkView extends LinkLifecycleView {
  id: string;
  amountCents: number;
  description: string;
  account: Account;
  cancelledAt: string | null;
}

export const QUICK_LINK_COLUMNS = ['id', 'amount_cents', 'description', 'account', ...LIFECYCLE_COLUMNS, 'cancelled_at'] as const;

export function toQuickLinkView(
  row: LinkLifecycleRow & { id: string; amount_cents: number; description: string; account: Account; cancelled_at: Date | null },
  now: Date,
): QuickLinkView {
  return {
    id: row.id,
    amountCents: row.amount_cents,
    description: row.description,
    account: row.account,
    ...toLifecycleView(row, now),
    cancelledAt: row.cancelled_at?.toISOString() ?? null,
  };
}
