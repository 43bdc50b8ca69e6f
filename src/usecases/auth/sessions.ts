import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import type { Principal, Role } from '../../domain/actor.ts';
import { burnPasswordCheck, hashSecret, newSecret, verifyPassword } from './secrets.ts';

/** Checks email and password; on success opens a session. Returns null for any mismatch. */
export async function signIn(db: Db, email: string, password: string, sessionHours: number, now = new Date()) {
  const user = await db
    .selectFrom('users')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.trim().toLowerCase()))
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  if (!user?.password_hash) {
    await burnPasswordCheck(password);
    return null;
  }
  if (!(await verifyPassword(user.password_hash, password))) return null;
  const sessionToken = newSecret('session');
  const csrfToken = newSecret('csrf');
  await db
    .insertInto('sessions')
    .values({
      token_hash: hashSecret(sessionToken),
      firm_id: user.firm_id,
      user_id: user.id,
      csrf_token: csrfToken,
      expires_at: new Date(now.getTime() + sessionHours * 3600_000),
    })
    .execute();
  return { sessionToken, csrfToken, user };
}

export async function signOut(db: Db, sessionToken: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', hashSecret(sessionToken)).execute();
}

export async function principalFromSession(db: Db, sessionToken: string, now = new Date()): Promise<Principal | null> {
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', (join) => join.onRef('u.id', '=', 's.user_id').onRef('u.firm_id', '=', 's.firm_id'))
    .select(['s.firm_id', 's.user_id', 's.csrf_token', 's.expires_at', 'u.email', 'u.role', 'u.disabled_at'])
    .where('s.token_hash', '=', hashSecret(sessionToken))
    .executeTakeFirst();
  if (!row || row.disabled_at || row.expires_at <= now) return null;
  return { kind: 'user', firmId: row.firm_id, userId: row.user_id, email: row.email, role: row.role, via: 'session', csrfToken: row.csrf_token };
}

export async function principalFromToken(db: Db, token: string, now = new Date()): Promise<Principal | null> {
  const kind = token.startsWith('pb_agent_') ? 'agent' : token.startsWith('pb_user_') ? 'user' : null;
  if (!kind) return null;
  // api_token_by_hash (migration 0006) keeps its plan: every API call asks it.
  const row = (
    await sql<{ id: string; firm_id: string; kind: string; user_id: string | null; revoked_at: Date | null; last_used_at: Date | null; email: string | null; role: Role | null; disabled_at: Date | null }>`
      select * from api_token_by_hash(${hashSecret(token)})`.execute(db)
  ).rows[0];
  if (!row || row.revoked_at || row.kind !== kind) return null;
  // Recording use at most once a minute keeps a busy agent from writing on every call.
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > 60_000) {
    await db.updateTable('api_tokens').set({ last_used_at: now }).where('firm_id', '=', row.firm_id).where('id', '=', row.id).execute();
  }
  if (row.kind === 'agent') return { kind: 'agent', firmId: row.firm_id, tokenId: row.id };
  if (!row.user_id || !row.email || !row.role || row.disabled_at) return null;
  return { kind: 'user', firmId: row.firm_id, userId: row.user_id, email: row.email, role: row.role, via: 'token', csrfToken: null };
}

/** Deletes the sessions that have expired: a signed-out-by-time session is of no use to anyone. */
export async function purgeExpiredSessions(db: Db, now = new Date()): Promise<number> {
  const result = await db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
