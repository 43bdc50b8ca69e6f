import type { Account } from '../../domain/types.ts';
import type { Db } from '../../db/connect.ts';
import { DomainError, notFound } from '../../domain/errors.ts';
import { isUuid } from '../../domain/ids.ts';

export interface PaymentPageView {
  id: string;
  name: string;
  slug: string;
  account: Account;
  createPostingRecord: boolean;
  surchargeBps: number;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export const PAGE_COLUMNS = ['id', 'name', 'slug', 'account', 'create_posting_record', 'surcharge_bps', 'enabled', 'created_at', 'updated_at'] as const;

export function toPageView(row: {
  id: string;
  name: string;
  slug: string;
  account: Account;
  create_posting_record: boolean;
  surcharge_bps: number;
  enabled: boolean;
  created_at: Date;
  updated_at: Date;
}): PaymentPageView {
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    account: row.account,
    createPostingRecord: row.create_posting_record,
    surchargeBps: row.surcharge_bps,
    enabled: row.enabled,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Locks the firm's page for a change; another firm's page answers like a missing one. */
export async function lockPage(tx: Db, firmId: string, id: string): Promise<PaymentPageView> {
  const row = isUuid(id)
    ? await tx.selectFrom('payment_pages').select(PAGE_COLUMNS).where('firm_id', '=', firmId).where('id', '=', id).forUpdate().executeTakeFirst()
    : undefined;
  if (!row) throw notFound('payment page', id);
  return toPageView(row);
}

/** Slugs are public URLs and so unique across all firms, not just this one. */
export const slugTaken = (slug: string) => new DomainError('slug_taken', `the slug "${slug}" is already taken; choose another`, { field: 'slug', slug });

/** PostgreSQL's unique_violation, as both pg and PGlite report it. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === '23505';
}
