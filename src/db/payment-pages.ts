import type { Selectable, Updateable } from 'kysely';
import type { z } from 'zod';
import type { pageOut } from '../contract/payment-pages.ts';
import type { Account } from '../domain/types.ts';
import type { Db } from './connect.ts';
import { isUniqueViolation } from './transaction.ts';
import type { PaymentPagesTable } from './schema.ts';

/** A payment page as the API shows it. */
export type PaymentPageView = z.infer<typeof pageOut>;

const PAGE_COLUMNS = [
  'p.id',
  'p.name',
  'p.slug',
  'p.account',
  'p.deposit_account_id',
  'p.create_posting_record',
  'p.surcharge_bps',
  'p.enabled',
  'p.created_at',
  'p.updated_at',
] as const;

type PageRow = Pick<
  Selectable<PaymentPagesTable>,
  | 'id'
  | 'name'
  | 'slug'
  | 'account'
  | 'deposit_account_id'
  | 'create_posting_record'
  | 'surcharge_bps'
  | 'enabled'
  | 'created_at'
  | 'updated_at'
> & { deposit_account_name: string };

/** The firm's pages with the name of the account each deposits to, for a caller to narrow. */
function selectPages(db: Db, firmId: string) {
  return db
    .selectFrom('payment_pages as p')
    .innerJoin('deposit_accounts as d', (j) =>
      j.onRef('d.firm_id', '=', 'p.firm_id').onRef('d.id', '=', 'p.deposit_account_id'),
    )
    .select([...PAGE_COLUMNS, 'd.name as deposit_account_name'])
    .where('p.firm_id', '=', firmId);
}

export function toPageView(row: PageRow): PaymentPageView {
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    account: row.account,
    depositAccountId: row.deposit_account_id,
    depositAccountName: row.deposit_account_name,
    createPostingRecord: row.create_posting_record,
    surchargeBps: row.surcharge_bps,
    enabled: row.enabled,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** The firm's payment pages by name. */
export async function listPages(db: Db, firmId: string): Promise<PaymentPageView[]> {
  const rows = await selectPages(db, firmId).orderBy('p.name').orderBy('p.id').execute();
  return rows.map(toPageView);
}

/** The firm's page, locked until the transaction ends; undefined for another firm's. */
export async function lockPage(db: Db, firmId: string, id: string): Promise<PaymentPageView | undefined> {
  const row = await selectPages(db, firmId).where('p.id', '=', id).forUpdate(['p']).executeTakeFirst();
  return row && toPageView(row);
}

/** What a page decides of a payment taken on it: whether it makes a posting record, and the deposit account. */
export async function findPageTerms(db: Db, firmId: string, id: string) {
  return db
    .selectFrom('payment_pages as pp')
    .innerJoin('deposit_accounts as d', (j) =>
      j.onRef('d.firm_id', '=', 'pp.firm_id').onRef('d.id', '=', 'pp.deposit_account_id'),
    )
    .select([
      'pp.name',
      'pp.create_posting_record',
      'pp.account',
      'pp.deposit_account_id',
      'd.name as deposit_account_name',
    ])
    .where('pp.firm_id', '=', firmId)
    .where('pp.id', '=', id)
    .executeTakeFirst();
}

export interface NewPageRow {
  name: string;
  slug: string;
  account: Account;
  deposit_account_id: string;
  create_posting_record: boolean;
  surcharge_bps?: number;
}

/** Inserts a page; 'slug_taken' when another page (of any firm: slugs are public URLs) has the slug. */
export async function insertPage(db: Db, firmId: string, page: NewPageRow): Promise<PaymentPageView | 'slug_taken'> {
  const row = await db
    .insertInto('payment_pages')
    .values({ ...page, firm_id: firmId })
    // The slug's unique index decides a race between two firms wanting one slug.
    .onConflict((oc) => oc.column('slug').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row
    ? toPageView(await selectPages(db, firmId).where('p.id', '=', row.id).executeTakeFirstOrThrow())
    : 'slug_taken';
}

/** What an admin can change of a page. */
export type PageChanges = Partial<
  Pick<
    PaymentPageView,
    'name' | 'slug' | 'account' | 'depositAccountId' | 'createPostingRecord' | 'surchargeBps' | 'enabled'
  >
>;

/** Changes the fields the patch gives; 'slug_taken' when the new slug is another page's (the failed statement aborts the transaction). */
export async function updatePage(
  db: Db,
  firmId: string,
  id: string,
  changes: PageChanges,
  now: Date,
): Promise<PaymentPageView | 'slug_taken'> {
  const set: Updateable<PaymentPagesTable> = {
    updated_at: now,
    name: changes.name,
    slug: changes.slug,
    account: changes.account,
    deposit_account_id: changes.depositAccountId,
    create_posting_record: changes.createPostingRecord,
    surcharge_bps: changes.surchargeBps,
    enabled: changes.enabled,
  };
  try {
    const row = await db
      .updateTable('payment_pages')
      .set(set)
      .where('firm_id', '=', firmId)
      .where('id', '=', id)
      .returning('id')
      .executeTakeFirstOrThrow();
    return toPageView(await selectPages(db, firmId).where('p.id', '=', row.id).executeTakeFirstOrThrow());
  } catch (error) {
    // Only the slug is unique.
    if (isUniqueViolation(error) && set.slug !== undefined) return 'slug_taken';
    throw error;
  }
}

/** An enabled page with its firm's name, found by its public slug. */
export async function findEnabledPageBySlug(db: Db, slug: string) {
  // No firm yet: the public pay flow learns the firm from the page it finds by slug
  // (slugs are unique across firms, being public URLs), so this lookup alone is firm-less.
  return db
    .selectFrom('payment_pages as p')
    .innerJoin('firms as f', 'f.id', 'p.firm_id')
    .select([
      'p.id',
      'p.firm_id',
      'f.name as firm_name',
      'p.name',
      'p.slug',
      'p.account',
      'p.deposit_account_id',
      'p.surcharge_bps',
      'p.enabled',
    ])
    .where('p.slug', '=', slug)
    .where('p.enabled', '=', true)
    .executeTakeFirst();
}
