import type { Db } from './connect.ts';

/** The user's TOTP state: the secret (pending until enabled_at is set) and the last step accepted. */
export async function readTwoFactor(db: Db, firmId: string, userId: string, lock = false) {
  const q = db
    .selectFrom('users as u')
    .innerJoin('firms as f', 'f.id', 'u.firm_id')
    .select([
      'u.id',
      'u.email',
      'u.role',
      'u.totp_secret',
      'u.totp_enabled_at',
      'u.totp_last_step',
      'f.require_admin_two_factor',
    ])
    .where('u.firm_id', '=', firmId)
    .where('u.id', '=', userId);
  return (lock ? q.forUpdate('u') : q).executeTakeFirstOrThrow();
}

export async function setTwoFactor(
  db: Db,
  firmId: string,
  userId: string,
  changes: { totp_secret?: string | null; totp_enabled_at?: Date | null; totp_last_step?: number | null },
): Promise<void> {
  await db.updateTable('users').set(changes).where('firm_id', '=', firmId).where('id', '=', userId).execute();
}

export async function replaceRecoveryCodes(db: Db, firmId: string, userId: string, hashes: string[]): Promise<void> {
  await db.deleteFrom('recovery_codes').where('firm_id', '=', firmId).where('user_id', '=', userId).execute();
  if (hashes.length === 0) return;
  await db
    .insertInto('recovery_codes')
    .values(hashes.map((code_hash) => ({ firm_id: firmId, user_id: userId, code_hash })))
    .execute();
}

/** Uses up an unused recovery code; false when there is none with this hash. */
export async function useRecoveryCode(db: Db, firmId: string, userId: string, hash: string, now: Date) {
  const result = await db
    .updateTable('recovery_codes')
    .set({ used_at: now })
    .where('firm_id', '=', firmId)
    .where('user_id', '=', userId)
    .where('code_hash', '=', hash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function countRecoveryCodesLeft(db: Db, firmId: string, userId: string): Promise<number> {
  const row = await db
    .selectFrom('recovery_codes')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('firm_id', '=', firmId)
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
