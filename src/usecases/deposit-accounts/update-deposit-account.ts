import type { z } from 'zod';
import { updateDepositAccountBody } from '../../contract/deposit-accounts.ts';
import { changedFields, pickFields } from '../../domain/changes.ts';
import type { Db } from '../../db/connect.ts';
import {
  findDepositAccount,
  lockDefaults,
  moveDefault,
  updateDepositAccount as updateRow,
  type DepositAccountView,
} from '../../db/deposit-accounts.ts';
import { inTransaction } from '../../db/transaction.ts';
import { writeAudit } from '../../db/audit.ts';
import type { Actor } from '../../domain/actor.ts';
import {
  defaultAccountRefusal,
  depositAccountNameTaken,
  depositAccountNotFound,
} from '../../domain/deposit-accounts.ts';
import { isUuid } from '../../domain/ids.ts';

export type DepositAccountPatch = z.output<typeof updateDepositAccountBody>;

const FIELDS = updateDepositAccountBody.keyof().options;

/**
 * Changes a deposit account. New codes go into the files of batches made from now on (a
 * batch made already keeps the file it was rendered with); a new default memo is what
 * records made from now on start with. Making it the default moves the default of its
 * kind here; the default is never archived nor simply switched off (409 naming it).
 */
export async function updateDepositAccount(
  db: Db,
  firmId: string,
  actor: Actor,
  id: string,
  patch: DepositAccountPatch,
): Promise<DepositAccountView> {
  return inTransaction(db, async (tx) => {
    // The defaults first, as creating a default does: two moves of one kind go one at a time.
    if (patch.isDefault !== undefined || patch.archived !== undefined) await lockDefaults(tx, firmId);
    const before = isUuid(id) ? await findDepositAccount(tx, firmId, id, true) : undefined;
    if (!before) throw depositAccountNotFound(id);
    const wanted = { ...patch, name: patch.name?.trim() };
    const changed = changedFields(before, wanted, FIELDS);
    if (changed.length === 0) return before;
    const refused = defaultAccountRefusal(before, wanted);
    if (refused) throw refused;

    const now = new Date();
    const { isDefault, ...changes } = pickFields(wanted, changed);
    const updated = await updateRow(tx, firmId, before.id, changes, now);
    if (updated === 'name_taken') throw depositAccountNameTaken(wanted.name ?? '');
    if (isDefault === true) await moveDefault(tx, firmId, before.kind, before.id, now);
    const after = (await findDepositAccount(tx, firmId, before.id))!;
    await writeAudit(tx, firmId, actor, [
      {
        action: 'deposit_account_updated',
        detail: { depositAccountId: before.id, before: pickFields(before, changed), after: pickFields(after, changed) },
      },
    ]);
    return after;
  });
}
