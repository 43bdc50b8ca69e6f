import type { Db } from './connect.ts';

export async function insertSession(
  db: Db,
  firmId: string,
  session: { token_hash: string; user_id: string; csrf_token: string; expires_at: Date },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({ ...session, firm_id: firmId })
    .execute();
}

/** Ends the session with this hash. Across firms: the cookie is all the caller has. */
export async function deleteSession(db: Db, tokenHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

/** The session with this hash and its user. Across firms: the session is what tells the server which firm is calling. */
export async function findSession(db: Db, tokenHash: string) {
  return db
    .selectFrom('sessions as s')
    .innerJoin('users as u', (join) => join.onRef('u.id', '=', 's.user_id').onRef('u.firm_id', '=', 's.firm_id'))
    .innerJoin('firms as f', 'f.id', 's.firm_id')
    .select([
      's.firm_id',
      's.user_id',
      's.csrf_token',
      's.expires_at',
      'u.email',
      'u.role',
      'u.disabled_at',
      'u.totp_enabled_at',
      'f.require_admin_two_factor',
    ])
    .where('s.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/** Deletes every firm's expired sessions (the scheduler's housekeeping); answers how many. */
export async function deleteExpiredSessions(db: Db, now: Date): Promise<number> {
  const result = await db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
