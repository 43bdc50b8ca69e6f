import { bearerTokenKind, shouldRecordUse } from '../../domain/bearer-tokens.ts';
import type { Db } from '../../db/connect.ts';
import { deleteExpiredSessions, deleteSession, findSession, insertSession } from '../../db/sessions.ts';
import { findTokenByHash, touchToken } from '../../db/tokens.ts';
import { findSignInUser } from '../../db/users.ts';
import type { Principal } from '../../domain/actor.ts';
import { normalEmail } from '../../domain/sign-up.ts';
import { writeAudit } from '../../db/audit.ts';
import {
  clearSignInFailures,
  countSignInFailures,
  deleteOldSignInFailures,
  recordSignInFailure,
} from '../../db/sign-in-failures.ts';
import { DomainError } from '../../domain/errors.ts';
import { checkSecondFactor } from './second-factor.ts';
import { burnPasswordCheck, hashSecret, newSecret, verifyPassword } from './secrets.ts';

/** How many failed sign-ins one account may have in THROTTLE_WINDOW_MS before it must wait. */
export const THROTTLE_WINDOW_MS = 15 * 60_000;

export interface SignInInput {
  email: string;
  password: string;
  /** A six-digit code or a recovery code, for a user with two-factor on. */
  code?: string | undefined;
}

export interface SignInOptions {
  sessionHours: number;
  /** Failures per account in 15 minutes after which its sign-in answers 429. */
  accountFailures: number;
  now?: Date;
}

/**
 * Checks email, password and (for a user with two-factor on) the second factor; on
 * success opens a session. Returns null for a wrong email or password. Every failure is
 * counted against the account as typed, whichever address it came from: after
 * `accountFailures` of them within 15 minutes the account answers rate_limited (with the
 * seconds to wait) before its password is even looked at, on every server instance.
 */
export async function signIn(db: Db, input: SignInInput, options: SignInOptions) {
  const now = options.now ?? new Date();
  const email = normalEmail(input.email);
  const emailHash = hashSecret(`sign-in:${email}`);
  const { failures, oldest } = await countSignInFailures(db, emailHash, new Date(now.getTime() - THROTTLE_WINDOW_MS));
  if (failures >= options.accountFailures && oldest) {
    const retryAfterSeconds = Math.max(1, Math.ceil((oldest.getTime() + THROTTLE_WINDOW_MS - now.getTime()) / 1000));
    throw new DomainError('rate_limited', 'too many failed sign-ins for this account; wait and try again', {
      retryAfterSeconds,
    });
  }
  const fail = () => recordSignInFailure(db, emailHash, now);
  const user = await findSignInUser(db, email);
  if (!user?.password_hash) {
    await burnPasswordCheck(input.password);
    await fail();
    return null;
  }
  if (!(await verifyPassword(user.password_hash, input.password))) {
    await fail();
    return null;
  }
  let secondFactor: 'totp' | 'recovery_code' | null = null;
  if (user.totp_enabled_at && user.totp_secret) {
    if (!input.code) throw new DomainError('two_factor_required', 'enter the code from your authenticator app');
    secondFactor = await checkSecondFactor(
      db,
      { firmId: user.firm_id, userId: user.id, secret: user.totp_secret, lastStep: user.totp_last_step },
      input.code,
      now,
    );
    if (!secondFactor) {
      await fail();
      throw new DomainError('invalid_two_factor_code', 'the code is wrong, expired or already used');
    }
    if (secondFactor === 'recovery_code')
      await writeAudit(db, user.firm_id, { kind: 'user', id: user.id, label: user.email }, [
        { action: 'recovery_code_used', detail: { userId: user.id } },
      ]);
  }
  await clearSignInFailures(db, emailHash);
  const sessionToken = newSecret('session');
  const csrfToken = newSecret('csrf');
  await insertSession(db, user.firm_id, {
    token_hash: hashSecret(sessionToken),
    user_id: user.id,
    csrf_token: csrfToken,
    expires_at: new Date(now.getTime() + options.sessionHours * 3600_000),
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
  user: Pick<UserPrincipal, 'userId' | 'email' | 'role' | 'mustEnrolTwoFactor'>,
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
    {
      userId: row.user_id,
      email: row.email,
      role: row.role,
      mustEnrolTwoFactor: row.role === 'admin' && row.require_admin_two_factor && !row.totp_enabled_at,
    },
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
  return userPrincipal(
    row.firm_id,
    { userId: row.user_id, email: row.email, role: row.role, mustEnrolTwoFactor: false },
    'token',
    null,
  );
}

/** Deletes the sessions that have expired: a signed-out-by-time session is of no use to anyone. */
export async function purgeExpiredSessions(db: Db, now = new Date()): Promise<number> {
  return deleteExpiredSessions(db, now);
}

/** Forgets failed sign-ins older than the per-account throttle looks. */
export async function purgeOldSignInFailures(db: Db, now = new Date()): Promise<number> {
  return deleteOldSignInFailures(db, new Date(now.getTime() - THROTTLE_WINDOW_MS));
}
