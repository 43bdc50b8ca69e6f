import { DEFAULT_TIME_ZONE, timeZoneName } from '../../domain/dates.ts';
import type { Db } from '../../db/connect.ts';
import { findFirmByCode, insertFirm } from '../../db/firms.ts';
import { insertToken, revokeToken as revokeTokenRow } from '../../db/tokens.ts';
import { emailTaken, findUserIdByEmail, insertUser } from '../../db/users.ts';
import { DomainError, badRequest } from '../../domain/errors.ts';
import type { Role } from '../../domain/actor.ts';
import { hashPassword, hashSecret, newSecret } from './secrets.ts';

const FIRM_CODE = /^[A-Z0-9_]{1,20}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const MIN_PASSWORD_LENGTH = 10;

async function firmIdByCode(db: Db, code: string): Promise<string> {
  const firm = await findFirmByCode(db, code);
  if (!firm) throw new DomainError('not_found', `firm ${code} was not found`);
  return firm.id;
}

/** A new firm; its time zone is America/New_York unless `timeZone` names another IANA zone. */
export async function createFirm(db: Db, input: { code: string; name: string; timeZone?: string | undefined }) {
  if (!FIRM_CODE.test(input.code)) throw badRequest(`firm code "${input.code}" must be 1–20 of A–Z, 0–9 and _`);
  if (!input.name.trim()) throw badRequest('firm name is empty');
  const timeZone = timeZoneName(input.timeZone ?? DEFAULT_TIME_ZONE);
  if (!timeZone)
    throw badRequest(`time zone "${input.timeZone}" is not an IANA time zone such as America/Los_Angeles`, {
      field: 'timeZone',
    });
  const firm = await insertFirm(db, { code: input.code, name: input.name.trim(), time_zone: timeZone });
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
  if (await emailTaken(db, email)) throw new DomainError('user_exists', `a user with email ${email} already exists`);
  const user = await insertUser(db, firmId, {
    email,
    name: input.name?.trim() || email,
    role: input.role,
    password_hash: await hashPassword(input.password),
  });
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
    userId = (await findUserIdByEmail(db, firmId, email)) ?? null;
    if (!userId) throw new DomainError('not_found', `user ${email} was not found in firm ${input.firmCode}`);
  }
  const token = newSecret(input.kind);
  const row = await insertToken(db, firmId, {
    kind: input.kind,
    user_id: userId,
    token_hash: hashSecret(token),
    label: input.label ?? '',
  });
  return { id: row.id, kind: row.kind, token };
}

export async function revokeToken(db: Db, firmId: string, tokenId: string): Promise<boolean> {
  return revokeTokenRow(db, firmId, tokenId, new Date());
}
