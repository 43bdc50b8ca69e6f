import { sql } from 'kysely';
import type { Db } from './connect.ts';

/** One firm's tallies (migration 0004) summed per status, account and origin, with how many signed pieces each sum took. */
export async function sumTallies(db: Db, firmId: string) {
  const rows = await db
    .selectFrom('posting_record_tallies')
    .where('firm_id', '=', firmId)
    .groupBy(['status', 'account', 'origin'])
    .select([
      'status',
      'account',
      'origin',
      sql<number>`sum(records)::int8`.as('records'),
      sql<string>`sum(cents)::text`.as('cents'),
      sql<number>`count(*)::int8`.as('pieces'),
    ])
    .execute();
  return rows.map((r) => ({
    status: r.status,
    account: r.account,
    origin: r.origin,
    records: r.records,
    cents: BigInt(r.cents),
    pieces: r.pieces,
  }));
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
