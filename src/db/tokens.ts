import { sql } from 'kysely';
import type { Db } from './connect.ts';

export async function insertToken(
  db: Db,
  firmId: string,
  token: { kind: 'user' | 'agent'; user_id: string | null; token_hash: string; label: string },
) {
  return db
    .insertInto('api_tokens')
    .values({ ...token, firm_id: firmId })
    .returning(['id', 'kind', 'created_at'])
    .executeTakeFirstOrThrow();
}

/** Revokes the firm's token; false when it was already revoked (or is not the firm's). */
export async function revokeToken(db: Db, firmId: string, tokenId: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: now })
    .where('firm_id', '=', firmId)
    .where('id', '=', tokenId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** The firm's token, locked until the transaction ends. */
export async function lockToken(db: Db, firmId: string, tokenId: string) {
  return db
    .selectFrom('api_tokens')
    .select(['id', 'kind', 'label', 'revoked_at'])
    .where('firm_id', '=', firmId)
    .where('id', '=', tokenId)
    .forUpdate()
    .executeTakeFirst();
}

/** The firm's tokens with the email of the user each acts for, newest first; never the hash. */
export async function listTokens(db: Db, firmId: string) {
  return db
    .selectFrom('api_tokens as t')
    .leftJoin('users as u', (j) => j.onRef('u.firm_id', '=', 't.firm_id').onRef('u.id', '=', 't.user_id'))
    .select(['t.id', 't.kind', 't.label', 'u.email', 't.created_at', 't.last_used_at', 't.revoked_at'])
    .where('t.firm_id', '=', firmId)
    .orderBy('t.created_at', 'desc')
    .orderBy('t.id', 'desc')
    .execute();
}

export interface TokenRow {
  id: string;
  firm_id: string;
  kind: string;
  user_id: string | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
  email: string | null;
  role: 'admin' | 'accountant' | 'viewer' | null;
  disabled_at: Date | null;
}

/**
 * The token with this hash and the user it acts for. Across firms: the token is what
 * tells the server which firm is calling. api_token_by_hash (migration 0006) keeps its
 * plan: every API call asks it.
 */
export async function findTokenByHash(db: Db, tokenHash: string): Promise<TokenRow | undefined> {
  return (await sql<TokenRow>`select * from api_token_by_hash(${tokenHash})`.execute(db)).rows[0];
}

export async function touchToken(db: Db, firmId: string, tokenId: string, now: Date): Promise<void> {
  await db
    .updateTable('api_tokens')
    .set({ last_used_at: now })
    .where('firm_id', '=', firmId)
    .where('id', '=', tokenId)
    .execute();
}
