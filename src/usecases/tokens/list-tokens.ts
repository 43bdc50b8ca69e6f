import type { getTokens } from '../../contract/tokens.ts';
import type { ResponseOf } from '../../contract/endpoint.ts';
import type { Db } from '../../db/connect.ts';

/** The firm's bearer tokens, newest first, revoked ones included. Never the secret: only its hash is kept, and not even that leaves here. */
export async function listTokens(db: Db, firmId: string): Promise<ResponseOf<typeof getTokens>> {
  const rows = await db
    .selectFrom('api_tokens as t')
    .leftJoin('users as u', (j) => j.onRef('u.firm_id', '=', 't.firm_id').onRef('u.id', '=', 't.user_id'))
    .select(['t.id', 't.kind', 't.label', 'u.email', 't.created_at', 't.last_used_at', 't.revoked_at'])
    .where('t.firm_id', '=', firmId)
    .orderBy('t.created_at', 'desc')
    .orderBy('t.id', 'desc')
    .execute();
  return {
    items: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      label: r.label,
      userEmail: r.email,
      createdAt: r.created_at.toISOString(),
      lastUsedAt: r.last_used_at?.toISOString() ?? null,
      revokedAt: r.revoked_at?.toISOString() ?? null,
    })),
  };
}
