import { DEFAULT_TIME_ZONE, timeZoneName } from '../../domain/dates.ts';
import type { Db } from '../../db/connect.ts';
import { DomainError, badRequest } from '../../domain/errors.ts';
import type { Role } from '../../domain/actor.ts';
import { hashPassword, hashSecret, newSecret } from './secrets.ts';

const FIRM_CODE = /^[A-Z0-9_]{1,20}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const MIN_PASSWORD_LENGTH = 10;

async function firmIdByCode(db: Db, code: string): Promise<string> {
  const firm = await db.selectFrom('firms').select('id').where('code', '=', code).executeTakeFirst();
  if (!firm) throw new DomainError('not_found', `firm ${code} was not found`);
  return firm.id;
}

/** A new firm; its time zone is America/New_York unless `timeZone` names another IANA zone. */
export async function createFirm(db: Db, input: { code: string; name: string; timeZone?: string | undefined }) {
  if (!FIRM_CODE.test(input.code)) throw badRequest(`firm code "${input.code}" must be 1–20 of A–Z, 0–9 and _`);
  if (!input.name.trim()) throw badRequest('firm name is empty');
  const timeZone = timeZoneName(input.timeZone ?? DEFAULT_TIME_ZONE);
  if (!timeZone) throw badRequest(`time zone "${input.timeZone}" is not an IANA time zone such as America/Los_Angeles`, { field: 'timeZone' });
  const firm = await db
    .insertInto('firms')
    .values({ code: input.code, name: input.name.trim(), time_zone: timeZone })
    .onConflict((oc) => oc.column('code').doNothing())
    .returning(['id', 'code', 'name', 'time_zone as timeZone'])
    .executeTakeFirst();
  if (!firm) throw new DomainError('firm_exists', `firm ${input.code} already exists`);
  return firm;
}

export async function createUser(
  db: Db,
  input: { firmCode: string; email: string; name?: string; role: Role; password: string },
) {
  const firmId = await firmIdByCode(db, input.firmCode);
  const email = input.email.trim().toLowerCase();
  if (!EMAIL.test(email)) throw badRequest(`"${input.email}" is not an email address`);
  if (input.password.length < MIN_PASSWORD_LENGTH) {
    throw badRequest(`the password must be at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  const existing = await db.selectFrom('users').select('id').where((eb) => eb(eb.fn('lower', ['email']), '=', email)).executeTakeFirst();
  if (existing) throw new DomainError('user_exists', `a user with email ${email} already exists`);
  const user = await db
    .insertInto('users')
    .values({ firm_id: firmId, email, name: input.name?.trim() || email, role: input.role, password_hash: await hashPassword(input.password) })
    .returning(['id', 'email', 'name', 'role'])
    .executeTakeFirstOrThrow();
  return { ...user, firm: input.firmCode };
}

/** A new bearer token. The secret is returned once and only its hash is kept. */
export async function createToken(
  db: Db,
  input: { firmCode: string; kind: 'user' | 'agent'; email?: string; label?: string },
) {
  const firmId = await firmIdByCode(db, input.firmCode);
  let userId: string | null = null;
  if (input.kind === 'user') {
    if (!input.email) throw badRequest('a user token needs --email of the user it acts for');
    const email = input.email.trim().toLowerCase();
    const user = await db
      .selectFrom('users')
      .select('id')
      .where('firm_id', '=', firmId)
      .where((eb) => eb(eb.fn('lower', ['email']), '=', email))
      .executeTakeFirst();
    if (!user) throw new DomainError('not_found', `user ${email} was not found in firm ${input.firmCode}`);
    userId = user.id;
  }
  const token = newSecret(input.kind);
  const row = await db
    .insertInto('api_tokens')
    .values({ firm_id: firmId, kind: input.kind, user_id: userId, token_hash: hashSecret(token), label: input.label ?? '' })
    .returning(['id', 'kind', 'created_at'])
    .executeTakeFirstOrThrow();
  return { id: row.id, kind: row.kind, token };
}

export async function revokeToken(db: Db, firmId: string, tokenId: string): Promise<boolean> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: new Date() })
    .where('firm_id', '=', firmId)
    .where('id', '=', tokenId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
