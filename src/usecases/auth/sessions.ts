import { bearerTokenKind, shouldRecordUse } from '../../domain/bearer-tokens.ts';
import type { Db } from '../../db/connect.ts';
import { deleteExpiredSessions, deleteSession, findSession, insertSession } from '../../db/sessions.ts';
import { findTokenByHash, touchToken } from '../../db/tokens.ts';
import { findSignInUser } from '../../db/users.ts';
import type { Principal } from '../../domain/actor.ts';
import { normalEmail } from '../../domain/sign-up.ts';
import { burnPasswordCheck, hashSecret, newSecret, verifyPassword } from './secrets.ts';

/** Checks email and password; on success opens a session. Returns null for any mismatch. */
export async function signIn(db: Db, email: string, password: string, sessionHours: number, now = new Date()) {
  const user = await findSignInUser(db, normalEmail(email));
  if (!user?.password_hash) {
    await burnPasswordCheck(password);
    return null;
  }
  if (!(await verifyPassword(user.password_hash, password))) return null;
  const sessionToken = newSecret('session');
  const csrfToken = newSecret('csrf');
  await insertSession(db, user.firm_id, {
    token_hash: hashSecret(sessionToken),
    user_id: user.id,
    csrf_token: csrfToken,
    expires_at: new Date(now.getTime() + sessionHours * 3600_000),
  });
  return { sessionToken, csrfToken, user };
}

export async function signOut(db: Db, sessionToken: string): Promise<void> {
  await deleteSession(db, hashSecret(sessionToken));
}

type UserPrincipal = Extract<Principal, { kind: 'user' }>;

/** A user calling by session (with the session's CSRF token) or by user token (without one). */
function userPrincipal(
  firmId: string,
  user: Pick<UserPrincipal, 'userId' | 'email' | 'role'>,
  via: UserPrincipal['via'],
  csrfToken: string | null,
): UserPrincipal {
  return { kind: 'user', firmId, ...user, via, csrfToken };
}

export async function principalFromSession(db: Db, sessionToken: string, now = new Date()): Promise<Principal | null> {
  const row = await findSession(db, hashSecret(sessionToken));
  if (!row || row.disabled_at || row.expires_at <= now) return null;
  return userPrincipal(
    row.firm_id,
    { userId: row.user_id, email: row.email, role: row.role },
    'session',
    row.csrf_token,
  );
}

export async function principalFromToken(db: Db, token: string, now = new Date()): Promise<Principal | null> {
  const kind = bearerTokenKind(token);
  if (!kind) return null;
  const row = await findTokenByHash(db, hashSecret(token));
  if (!row || row.revoked_at || row.kind !== kind) return null;
  // Recording use at most once a minute keeps a busy agent from writing on every call.
  if (shouldRecordUse(row.last_used_at, now)) await touchToken(db, row.firm_id, row.id, now);
  if (row.kind === 'agent') return { kind: 'agent', firmId: row.firm_id, tokenId: row.id };
  if (!row.user_id || !row.email || !row.role || row.disabled_at) return null;
  return userPrincipal(row.firm_id, { userId: row.user_id, email: row.email, role: row.role }, 'token', null);
}

/** Deletes the sessions that have expired: a signed-out-by-time session is of no use to anyone. */
export async function purgeExpiredSessions(db: Db, now = new Date()): Promise<number> {
  return deleteExpiredSessions(db, now);
}
