import { sql } from 'kysely';
import type { Db } from './connect.ts';

/**
 * The per-account sign-in throttle's memory. Across firms: sign-in names no firm, and an
 * email (known or not) is counted the same either way.
 */
export async function recordSignInFailure(db: Db, emailHash: string, at: Date): Promise<void> {
  await db.insertInto('sign_in_failures').values({ email_hash: emailHash, at }).execute();
}

/** How many failures the account had since `since`, and when the oldest of them was. */
export async function countSignInFailures(db: Db, emailHash: string, since: Date) {
  const row = await db
    .selectFrom('sign_in_failures')
    .select((eb) => [eb.fn.countAll<string>().as('n'), eb.fn.min('at').as('oldest')])
    .where('email_hash', '=', emailHash)
    .where('at', '>', since)
    .executeTakeFirstOrThrow();
  const oldest = row.oldest as Date | string | null;
  return { failures: Number(row.n), oldest: oldest === null ? null : new Date(oldest) };
}

/** A successful sign-in forgets the account's failures. */
export async function clearSignInFailures(db: Db, emailHash: string): Promise<void> {
  await db.deleteFrom('sign_in_failures').where('email_hash', '=', emailHash).execute();
}

/** Deletes failures older than the throttle looks (the scheduler's housekeeping). */
export async function deleteOldSignInFailures(db: Db, before: Date): Promise<number> {
  const result = await sql`delete from sign_in_failures where at <= ${before}`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
