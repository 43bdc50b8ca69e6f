import { sql, type Updateable } from 'kysely';
import type { z } from 'zod';
import type { settingsChanges } from '../contract/settings.ts';
import type { Db } from './connect.ts';
import type { FirmsTable } from './schema.ts';

/** The firm's IANA time zone: every calendar date derived for the firm is a date there (SPEC §2). */
export async function readTimeZone(db: Db, firmId: string): Promise<string> {
  const firm = await db.selectFrom('firms').select('time_zone').where('id', '=', firmId).executeTakeFirstOrThrow();
  return firm.time_zone;
}

/** The distinct time zones of all firms, a handful in all: the scheduler's "today"s. Across firms: it serves them all. */
export async function firmTimeZones(db: Db): Promise<string[]> {
  return (await db.selectFrom('firms').select('time_zone').distinct().execute()).map((f) => f.time_zone);
}

/**
 * The firm with this code. By code, not id: its callers (the admin CLI, the processor's
 * webhook URL) name a firm by its code before anything tells them its id.
 */
export async function findFirmByCode(db: Db, code: string) {
  return db.selectFrom('firms').select(['id', 'code', 'webhook_secret']).where('code', '=', code).executeTakeFirst();
}

/** A new firm; undefined when the code is taken. */
export async function insertFirm(db: Db, firm: { code: string; name: string; time_zone: string }) {
  return db
    .insertInto('firms')
    .values(firm)
    .onConflict((oc) => oc.column('code').doNothing())
    .returning(['id', 'code', 'name', 'time_zone as timeZone'])
    .executeTakeFirst();
}

/** Every firm, by code: the operator's view from the admin CLI. */
export async function listFirms(db: Db) {
  return db
    .selectFrom('firms')
    .select(['id', 'code', 'name', 'time_zone as timeZone', 'created_at as createdAt'])
    .orderBy('code')
    .execute();
}

/** Whether the database has no firm yet (a first run). */
export async function hasNoFirm(db: Db): Promise<boolean> {
  return (await db.selectFrom('firms').select('id').limit(1).executeTakeFirst()) === undefined;
}

/** The firm's code and webhook signing secret: where and how its processor events are signed. */
export async function readWebhookTarget(db: Db, firmId: string) {
  return db.selectFrom('firms').select(['code', 'webhook_secret']).where('id', '=', firmId).executeTakeFirstOrThrow();
}

/** Sets a new webhook signing secret; answers the firm's code, which names its endpoint. */
export async function setWebhookSecret(db: Db, firmId: string, secret: string): Promise<string> {
  const firm = await db
    .updateTable('firms')
    .set({ webhook_secret: secret })
    .where('id', '=', firmId)
    .returning('code')
    .executeTakeFirstOrThrow();
  return firm.code;
}

export const SETTINGS_COLUMNS = [
  'name',
  'mms_kind',
  'file_format',
  'file_format_version',
  'auto_apply',
  'use_posted_date',
  'auto_post',
  'auto_post_minutes',
  'time_zone',
  'require_admin_two_factor',
] as const;

/** The firm's settings columns; `lock` holds the firm row, as Post does, until the transaction ends. */
export async function readSettingsRow(db: Db, firmId: string, lock = false) {
  const q = db.selectFrom('firms').select(SETTINGS_COLUMNS).where('id', '=', firmId);
  return (lock ? q.forUpdate() : q).executeTakeFirstOrThrow();
}

/** The settings a patch can change, by their API names: the contract's PATCH /settings body. */
export type SettingsPatch = z.output<typeof settingsChanges>;

/** Changes the settings the patch gives; answers the settings columns after. */
export async function updateSettingsRow(db: Db, firmId: string, patch: SettingsPatch) {
  const set: Updateable<FirmsTable> = {
    name: patch.name,
    mms_kind: patch.mmsKind,
    file_format: patch.fileFormat,
    file_format_version: patch.fileFormatVersion,
    auto_apply: patch.autoApply,
    use_posted_date: patch.usePostedDate,
    auto_post: patch.autoPost,
    auto_post_minutes: patch.autoPostMinutes,
    time_zone: patch.timeZone,
    require_admin_two_factor: patch.requireAdminTwoFactor,
  };
  return db
    .updateTable('firms')
    .set(set)
    .where('id', '=', firmId)
    .returning(SETTINGS_COLUMNS)
    .executeTakeFirstOrThrow();
}

export async function readFirmCode(db: Db, firmId: string): Promise<string> {
  return (await db.selectFrom('firms').select('code').where('id', '=', firmId).executeTakeFirstOrThrow()).code;
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
    .select(['code', 'file_format', 'file_format_version', 'use_posted_date', 'time_zone', 'next_batch_seq'])
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
