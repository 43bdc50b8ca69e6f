import type { Updateable } from 'kysely';
import type { z } from 'zod';
import type { settingsChanges } from '../../contract/settings.ts';
import { timeZoneName } from '../../domain/dates.ts';
import type { Db } from '../../db/connect.ts';
import { inTransaction } from '../../db/transaction.ts';
import { writeAudit } from '../../db/audit.ts';
import { publish } from '../../db/notify.ts';
import type { FirmsTable } from '../../db/schema.ts';
import { badRequest } from '../../errors.ts';
import type { Actor } from '../auth/principal.ts';
import { SETTINGS_COLUMNS, toSettings, type FirmSettings } from './get-settings.ts';
import { sql } from 'kysely';
import { reconcileRecords } from '../postings/reconcile-records.ts';

/** The open records the auto-apply setting decides, judged again under the new setting. */
async function reclassifyForAutoApply(tx: Db, firmId: string, actor: Actor): Promise<void> {
  // Exclusive: a payment being classified now under the old setting finishes first, or
  // sees the new one (take_payment compares the setting as part of its fingerprint).
  await sql`select lock_mirror(${firmId}, true)`.execute(tx);
  const records = await tx
    .selectFrom('posting_records as r')
    .innerJoin('payments as p', (j) => j.onRef('p.firm_id', '=', 'r.firm_id').onRef('p.id', '=', 'r.payment_id'))
    .select('r.id')
    .where('r.firm_id', '=', firmId)
    .where('p.firm_id', '=', firmId)
    .where('r.status', 'in', ['pending', 'incomplete'])
    .where('r.reversal_of', 'is', null)
    .where('r.reallocated', '=', false)
    .where('r.account', '=', 'operating')
    .where('p.payer_allocations', 'is', null)
    .where(sql<boolean>`cardinality(p.invoice_numbers) > 1`)
    .execute();
  if (records.length > 0) await reconcileRecords(tx, firmId, actor, { records: records.map((r) => r.id) }, 'auto-apply setting');
}

type SettingsChanges = z.output<typeof settingsChanges>;

const FIELDS = ['name', 'mmsKind', 'fileFormat', 'autoApply', 'usePostedDate', 'autoPost', 'autoPostMinutes', 'timeZone'] as const satisfies readonly (keyof SettingsChanges)[];

/**
 * Changes the firm's settings. The firm row is locked, as Post does, so a batch being
 * made right now uses either the old file format or the new one, never half of each;
 * batches already made keep the file they were rendered with. Auto-apply is part of the
 * posting rules (SPEC §3.4): switching it judges again every open record it decides,
 * those naming several invoices with no reallocation or split of their own. A new time
 * zone applies to the dates derived from now on (a batch keeps the dates its file was
 * rendered with).
 */
export async function updateSettings(db: Db, firmId: string, actor: Actor, changes: SettingsChanges): Promise<FirmSettings> {
  const timeZone = changes.timeZone === undefined ? undefined : timeZoneName(changes.timeZone);
  if (timeZone === null) throw badRequest(`timeZone "${changes.timeZone}" is not an IANA time zone`, { field: 'timeZone' });
  return inTransaction(db, async (tx) => {
    const before = toSettings(await tx.selectFrom('firms').select(SETTINGS_COLUMNS).where('id', '=', firmId).forUpdate().executeTakeFirstOrThrow());
    const wanted = { ...changes, name: changes.name?.trim(), timeZone };
    const changed = FIELDS.filter((key) => wanted[key] !== undefined && wanted[key] !== before[key]);
    if (changed.length === 0) return before;

    const set: Updateable<FirmsTable> = {};
    if (changed.includes('name')) set.name = wanted.name;
    if (changed.includes('mmsKind')) set.mms_kind = wanted.mmsKind;
    if (changed.includes('fileFormat')) set.file_format = wanted.fileFormat;
    if (changed.includes('autoApply')) set.auto_apply = wanted.autoApply;
    if (changed.includes('usePostedDate')) set.use_posted_date = wanted.usePostedDate;
    if (changed.includes('autoPost')) set.auto_post = wanted.autoPost;
    if (changed.includes('autoPostMinutes')) set.auto_post_minutes = wanted.autoPostMinutes;
    if (changed.includes('timeZone')) set.time_zone = wanted.timeZone;
    const after = toSettings(await tx.updateTable('firms').set(set).where('id', '=', firmId).returning(SETTINGS_COLUMNS).executeTakeFirstOrThrow());

    const pick = (s: FirmSettings) => Object.fromEntries(changed.map((key) => [key, s[key]]));
    await writeAudit(tx, firmId, actor, [{ action: 'settings_changed', detail: { before: pick(before), after: pick(after) } }]);
    if (changed.includes('autoApply')) await reclassifyForAutoApply(tx, firmId, actor);
    // What Manage Postings shows of a record follows these: its status and reasons, and the
    // posting date it would get if posted now.
    if (changed.some((key) => key === 'autoApply' || key === 'usePostedDate' || key === 'timeZone')) await publish(tx, firmId, ['postings.changed']);
    return after;
  });
}
