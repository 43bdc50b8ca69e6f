import { sql } from 'kysely';
import type { Db } from './connect.ts';

/** The firm's IANA time zone: every calendar date derived for the firm is a date there (SPEC §2). */
export async function readTimeZone(db: Db, firmId: string): Promise<string> {
  const firm = await db.selectFrom('firms').select('time_zone').where('id', '=', firmId).executeTakeFirstOrThrow();
  return firm.time_zone;
}

/** Whether the firm has classification apply payments to invoices on its own (auto-apply). */
export async function readAutoApply(db: Db, firmId: string): Promise<boolean> {
  const firm = await db.selectFrom('firms').select('auto_apply').where('id', '=', firmId).executeTakeFirstOrThrow();
  return firm.auto_apply;
}

/** Locks the firm's row for Post: batches of one firm are made one at a time, so the sequence has no gaps. */
export async function lockFirmForPosting(tx: Db, firmId: string) {
  return tx
    .selectFrom('firms')
    .select(['code', 'file_format', 'use_posted_date', 'time_zone', 'next_batch_seq'])
    .where('id', '=', firmId)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

export async function writeNextBatchSeq(tx: Db, firmId: string, seq: number): Promise<void> {
  await tx.updateTable('firms').set({ next_batch_seq: seq }).where('id', '=', firmId).execute();
}

/**
 * Claims the firms whose automatic posting is due by moving their last_auto_post_at to
 * `now`, so two server instances ticking at once claim each firm once. Their ids.
 */
export async function claimDueAutoPosting(db: Db, now: Date): Promise<string[]> {
  const due = await sql<{ id: string }>`
    update firms set last_auto_post_at = ${now}
    where auto_post
      and (last_auto_post_at is null or last_auto_post_at + make_interval(mins => auto_post_minutes) <= ${now})
    returning id`.execute(db);
  return due.rows.map((r) => r.id);
}
