import type { Selectable, Updateable } from 'kysely';
import type { z } from 'zod';
import type { depositAccountOut, updateDepositAccountBody } from '../contract/deposit-accounts.ts';
import type { Account } from '../domain/types.ts';
import type { Db } from './connect.ts';
import type { DepositAccountsTable } from './schema.ts';
import { isUniqueViolation } from './transaction.ts';

/** A deposit account as the API shows it. */
export type DepositAccountView = z.output<typeof depositAccountOut>;

const COLUMNS = [
  'id',
  'name',
  'kind',
  'bank_account_code',
  'ledger_code',
  'trans_type',
  'default_memo',
  'is_default',
  'archived',
  'created_at',
  'updated_at',
] as const;

type AccountRow = Pick<Selectable<DepositAccountsTable>, (typeof COLUMNS)[number]>;

function toView(row: AccountRow): DepositAccountView {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    bankAccountCode: row.bank_account_code,
    ledgerCode: row.ledger_code,
    transType: row.trans_type,
    defaultMemo: row.default_memo,
    isDefault: row.is_default,
    archived: row.archived,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** The firm's deposit accounts: operating first, each kind's default first, then by name. */
export async function listDepositAccounts(db: Db, firmId: string): Promise<DepositAccountView[]> {
  const rows = await db
    .selectFrom('deposit_accounts')
    .select(COLUMNS)
    .where('firm_id', '=', firmId)
    .orderBy('kind')
    .orderBy('is_default', 'desc')
    .orderBy('name')
    .execute();
  return rows.map(toView);
}

/** The firm's account, locked until the transaction ends when `lock`; undefined for another firm's. */
export async function findDepositAccount(
  db: Db,
  firmId: string,
  id: string,
  lock = false,
): Promise<DepositAccountView | undefined> {
  const q = db.selectFrom('deposit_accounts').select(COLUMNS).where('firm_id', '=', firmId).where('id', '=', id);
  const row = await (lock ? q.forUpdate() : q).executeTakeFirst();
  return row && toView(row);
}

/** The firm's default account of a kind (every firm has one of each: migration 0015). */
export async function findDefaultDepositAccount(db: Db, firmId: string, kind: Account): Promise<DepositAccountView> {
  const row = await db
    .selectFrom('deposit_accounts')
    .select(COLUMNS)
    .where('firm_id', '=', firmId)
    .where('kind', '=', kind)
    .where('is_default', '=', true)
    .executeTakeFirstOrThrow();
  return toView(row);
}

export interface NewDepositAccountRow {
  name: string;
  kind: Account;
  bank_account_code: string;
  ledger_code: string;
  trans_type: string;
  default_memo: string;
}

/** Inserts a (not default) account; 'name_taken' when the firm has one of that name, in any case (the failed statement aborts the transaction). */
export async function insertDepositAccount(
  db: Db,
  firmId: string,
  account: NewDepositAccountRow,
): Promise<DepositAccountView | 'name_taken'> {
  try {
    const row = await db
      .insertInto('deposit_accounts')
      .values({ ...account, firm_id: firmId })
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
    return toView(row);
  } catch (error) {
    if (isUniqueViolation(error)) return 'name_taken';
    throw error;
  }
}

export type DepositAccountChanges = Omit<z.output<typeof updateDepositAccountBody>, 'isDefault'>;

/** Changes the fields given; 'name_taken' when the new name is another account's (the failed statement aborts the transaction). */
export async function updateDepositAccount(
  db: Db,
  firmId: string,
  id: string,
  changes: DepositAccountChanges,
  now: Date,
): Promise<DepositAccountView | 'name_taken'> {
  const set: Updateable<DepositAccountsTable> = {
    updated_at: now,
    name: changes.name,
    bank_account_code: changes.bankAccountCode,
    ledger_code: changes.ledgerCode,
    trans_type: changes.transType,
    default_memo: changes.defaultMemo,
    archived: changes.archived,
  };
  try {
    const row = await db
      .updateTable('deposit_accounts')
      .set(set)
      .where('firm_id', '=', firmId)
      .where('id', '=', id)
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
    return toView(row);
  } catch (error) {
    if (isUniqueViolation(error) && set.name !== undefined) return 'name_taken';
    throw error;
  }
}

/**
 * Makes the account the default of its kind, the old default no longer: first the old
 * one off, then the new one on, so the one-default index never sees two.
 */
export async function moveDefault(db: Db, firmId: string, kind: Account, id: string, now: Date): Promise<void> {
  await db
    .updateTable('deposit_accounts')
    .set({ is_default: false, updated_at: now })
    .where('firm_id', '=', firmId)
    .where('kind', '=', kind)
    .where('is_default', '=', true)
    .where('id', '!=', id)
    .execute();
  await db
    .updateTable('deposit_accounts')
    .set({ is_default: true, updated_at: now })
    .where('firm_id', '=', firmId)
    .where('id', '=', id)
    .execute();
}

/** The firm's default accounts, locked: moving a default holds them so two moves of one kind go one at a time. */
export async function lockDefaults(db: Db, firmId: string): Promise<void> {
  await db
    .selectFrom('deposit_accounts')
    .select('id')
    .where('firm_id', '=', firmId)
    .where('is_default', '=', true)
    .forUpdate()
    .execute();
}
