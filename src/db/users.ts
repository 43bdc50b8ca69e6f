import type { ExpressionBuilder } from 'kysely';
import type { Db } from './connect.ts';
import type { Database, UsersTable } from './schema.ts';

/** Emails are compared lower-cased: `email` must already be. */
const lowerEmail = (email: string) => (eb: ExpressionBuilder<Database, 'users'>) =>
  eb(eb.fn('lower', ['email']), '=', email);

/**
 * Whether any firm has a user with this email (lower-cased). Across firms: an email signs
 * in without naming its firm, so it can belong to one user only.
 */
export async function emailTaken(db: Db, email: string): Promise<boolean> {
  return (await db.selectFrom('users').select('id').where(lowerEmail(email)).executeTakeFirst()) !== undefined;
}

export async function insertUser(
  db: Db,
  firmId: string,
  user: { email: string; name: string; role: UsersTable['role']; password_hash: string },
) {
  return db
    .insertInto('users')
    .values({ ...user, firm_id: firmId })
    .returning(['id', 'email', 'name', 'role'])
    .executeTakeFirstOrThrow();
}

/** The firm's user with this email (lower-cased). */
export async function findUserIdByEmail(db: Db, firmId: string, email: string): Promise<string | undefined> {
  const user = await db
    .selectFrom('users')
    .select('id')
    .where('firm_id', '=', firmId)
    .where(lowerEmail(email))
    .executeTakeFirst();
  return user?.id;
}

/** An enabled user by email, for signing in. Across firms: the firm is known only once the user is. */
export async function findSignInUser(db: Db, email: string) {
  return db
    .selectFrom('users')
    .selectAll()
    .where(lowerEmail(email))
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
}

/** The firm's users by email; never their password hashes. */
export async function listUsers(db: Db, firmId: string) {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'role', 'created_at', 'disabled_at', 'totp_enabled_at'])
    .select((eb) => eb('password_hash', 'is not', null).$castTo<boolean>().as('password_set'))
    .where('firm_id', '=', firmId)
    .orderBy('email')
    .execute();
}

/** A signed-in user and their firm, as the session answer shows them. */
export async function readUserAndFirm(db: Db, firmId: string, userId: string) {
  return db
    .selectFrom('users as u')
    .innerJoin('firms as f', 'f.id', 'u.firm_id')
    .select([
      'u.id',
      'u.email',
      'u.name',
      'u.role',
      'u.totp_enabled_at',
      'f.require_admin_two_factor',
      'f.id as firm_id',
      'f.code',
      'f.name as firm_name',
      'f.mms_kind',
      'f.time_zone',
    ])
    .where('u.id', '=', userId)
    .where('u.firm_id', '=', firmId)
    .executeTakeFirstOrThrow();
}

/** A user invited by an admin: no password until they set one through their link. */
export async function insertInvitedUser(
  db: Db,
  firmId: string,
  user: { email: string; name: string; role: UsersTable['role'] },
) {
  return db
    .insertInto('users')
    .values({ ...user, firm_id: firmId, password_hash: null })
    .returning(['id', 'email', 'name', 'role'])
    .executeTakeFirstOrThrow();
}

/** The firm's user, locked until the transaction ends; never the password hash. */
export async function lockUser(db: Db, firmId: string, userId: string) {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'role', 'disabled_at', 'totp_enabled_at'])
    .select((eb) => eb('password_hash', 'is not', null).$castTo<boolean>().as('password_set'))
    .where('firm_id', '=', firmId)
    .where('id', '=', userId)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * The firm's admins who can sign in (enabled, with a password), locked: a change that
 * would leave none is decided with every other such change waiting.
 */
export async function lockActiveAdmins(db: Db, firmId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('firm_id', '=', firmId)
    .where('role', '=', 'admin')
    .where('disabled_at', 'is', null)
    .where('password_hash', 'is not', null)
    .orderBy('id')
    .forUpdate()
    .execute();
  return rows.map((r) => r.id);
}

export async function updateUser(
  db: Db,
  firmId: string,
  userId: string,
  changes: Partial<{ role: UsersTable['role']; disabled_at: Date | null; password_hash: string }>,
): Promise<void> {
  await db.updateTable('users').set(changes).where('firm_id', '=', firmId).where('id', '=', userId).execute();
}

/** Ends every session of the user at once. */
export async function deleteUserSessions(db: Db, firmId: string, userId: string): Promise<void> {
  await db.deleteFrom('sessions').where('firm_id', '=', firmId).where('user_id', '=', userId).execute();
}

/** Revokes every bearer token acting for the user; answers how many. */
export async function revokeUserTokens(db: Db, firmId: string, userId: string, now: Date): Promise<number> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: now })
    .where('firm_id', '=', firmId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
