import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import type { Account, Origin, RecordStatus } from '../../domain/types.ts';

/** One firm's records and cents for a status, account and origin. */
export interface Tally {
  status: RecordStatus;
  account: Account;
  origin: Origin;
  records: number;
  /** Exact: a sum of many records' cents may be more than a number holds exactly. */
  cents: bigint;
}

/**
 * How many signed changes a firm's tallies may pile up before a read folds them into one
 * row per group: enough that folding is rare, few enough that summing them stays cheap.
 */
export const FOLD_AFTER_PIECES = 500;

/**
 * A firm's record counts per status, account and origin, from the tallies the triggers of
 * migration 0004 keep: a few dozen rows summed, however many records the firm has. When
 * the signed changes have piled up, they are folded together after reading.
 */
export async function readTallies(db: Db, firmId: string): Promise<Tally[]> {
  const rows = await db
    .selectFrom('posting_record_tallies')
    .where('firm_id', '=', firmId)
    .groupBy(['status', 'account', 'origin'])
    .select(['status', 'account', 'origin', sql<number>`sum(records)::int8`.as('records'), sql<string>`sum(cents)::text`.as('cents'), sql<number>`count(*)::int8`.as('pieces')])
    .execute();
  const pieces = rows.reduce((sum, r) => sum + Number(r.pieces), 0);
  if (pieces > rows.length + FOLD_AFTER_PIECES) await foldTallies(db, firmId);
  return rows
    .map((r) => ({ status: r.status, account: r.account, origin: r.origin, records: Number(r.records), cents: BigInt(r.cents) }))
    .filter((t) => t.records !== 0 || t.cents !== 0n);
}

/**
 * Replaces a firm's signed changes with one row per group, in one statement. Changes
 * appended meanwhile are not in its snapshot, so they are neither deleted nor counted
 * twice; two folds at once each fold only the rows they deleted.
 */
export async function foldTallies(db: Db, firmId: string): Promise<void> {
  await sql`
    with folded as (delete from posting_record_tallies where firm_id = ${firmId} returning *)
    insert into posting_record_tallies (firm_id, status, account, origin, records, cents)
    select firm_id, status, account, origin, sum(records), sum(cents) from folded
    group by firm_id, status, account, origin
    having sum(records) <> 0 or sum(cents) <> 0`.execute(db);
}
