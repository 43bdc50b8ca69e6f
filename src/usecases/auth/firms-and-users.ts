import type { Db } from '../../db/connect.ts';
import { findFirmByCode, insertFirm } from '../../db/firms.ts';
import { insertToken, revokeToken as revokeTokenRow } from '../../db/tokens.ts';
import { emailTaken, findUserIdByEmail, insertUser } from '../../db/users.ts';
import { DomainError, badRequest } from '../../domain/errors.ts';
import type { Role } from '../../domain/actor.ts';
import { newFirm, newUser, normalEmail } from '../../domain/sign-up.ts';
import { hashPassword, hashSecret, newSecret } from './secrets.ts';

async function firmIdByCode(db: Db, code: string): Promise<string> {
  const firm = await findFirmByCode(db, code);
  if (!firm) throw new DomainError('not_found', `firm ${code} was not found`);
  return firm.id;
}

/** A new firm; its time zone is America/New_York unless `timeZone` names another IANA zone. */
export async function createFirm(db: Db, input: { code: string; name: string; timeZone?: string | undefined }) {
  const { code, name, timeZone } = newFirm(input);
  const firm = await insertFirm(db, { code, name, time_zone: timeZone });
  if (!firm) throw new DomainError('firm_exists', `firm ${code} already exists`);
  return firm;
}

export async function createUser(
  db: Db,
  input: { firmCode: string; email: string; name?: string; role: Role; password: string },
) {
  const firmId = await firmIdByCode(db, input.firmCode);
  const { email, name } = newUser(input);
  if (await emailTaken(db, email)) throw new DomainError('user_exists', `a user with email ${email} already exists`);
  const user = await insertUser(db, firmId, {
    email,
    name,
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
    const email = normalEmail(input.email);
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
