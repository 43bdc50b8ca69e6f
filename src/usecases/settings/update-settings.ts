import type { z } from 'zod';
import { settingsChanges } from '../../contract/settings.ts';
import { changedFields, pickFields } from '../../domain/changes.ts';
import { timeZoneName } from '../../domain/dates.ts';
import type { Db } from '../../db/connect.ts';
import { readSettingsRow, updateSettingsRow } from '../../db/firms.ts';
import { lockMirror } from '../../db/mirror.ts';
import { findAutoApplyRecords } from '../../db/payment-records.ts';
import { inTransaction } from '../../db/transaction.ts';
import { writeAudit } from '../../db/audit.ts';
import { publish } from '../../db/notify.ts';
import { badRequest } from '../../domain/errors.ts';
import type { Actor } from '../../domain/actor.ts';
import { toSettings, type FirmSettings } from './get-settings.ts';
import { reconcileRecords } from '../postings/reconcile-records.ts';

/** The open records the auto-apply setting decides, judged again under the new setting. */
async function reclassifyForAutoApply(tx: Db, firmId: string, actor: Actor): Promise<void> {
  // Exclusive: a payment being classified now under the old setting finishes first, or
  // sees the new one (take_payment compares the setting as part of its fingerprint).
  await lockMirror(tx, firmId, true);
  const records = await findAutoApplyRecords(tx, firmId);
  if (records.length > 0) await reconcileRecords(tx, firmId, actor, { records }, 'auto-apply setting');
}

type SettingsChanges = z.output<typeof settingsChanges>;

/** What a patch may change: the body's fields. */
const FIELDS = settingsChanges.keyof().options;

/**
 * Changes the firm's settings. The firm row is locked, as Post does, so a batch being
 * made right now uses either the old file format or the new one, never half of each;
 * batches already made keep the file they were rendered with. Auto-apply is part of the
 * posting rules (SPEC §3.4): switching it judges again every open record it decides,
 * those naming several invoices with no reallocation or split of their own. A new time
 * zone applies to the dates derived from now on (a batch keeps the dates its file was
 * rendered with).
 */
export async function updateSettings(
  db: Db,
  firmId: string,
  actor: Actor,
  changes: SettingsChanges,
): Promise<FirmSettings> {
  const timeZone = changes.timeZone === undefined ? undefined : timeZoneName(changes.timeZone);
  if (timeZone === null)
    throw badRequest(`timeZone "${changes.timeZone}" is not an IANA time zone`, { field: 'timeZone' });
  return inTransaction(db, async (tx) => {
    const before = toSettings(await readSettingsRow(tx, firmId, true));
    const wanted = { ...changes, name: changes.name?.trim(), timeZone };
    const changed = changedFields(before, wanted, FIELDS);
    if (changed.length === 0) return before;

    const after = toSettings(await updateSettingsRow(tx, firmId, pickFields(wanted, changed)));
    await writeAudit(tx, firmId, actor, [
      {
        action: 'settings_changed',
        detail: { before: pickFields(before, changed), after: pickFields(after, changed) },
      },
    ]);
    if (changed.includes('autoApply')) await reclassifyForAutoApply(tx, firmId, actor);
    // What Manage Postings shows of a record follows these: its status and reasons, and the
    // posting date it would get if posted now.
    if (changed.some((key) => key === 'autoApply' || key === 'usePostedDate' || key === 'timeZone'))
      await publish(tx, firmId, ['postings.changed']);
    return after;
  });
}
