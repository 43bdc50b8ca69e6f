import type { getTokens } from '../../contract/tokens.ts';
import type { ResponseOf } from '../../contract/endpoint.ts';
import type { Db } from '../../db/connect.ts';
import { listTokens as listTokenRows } from '../../db/tokens.ts';

/** The firm's bearer tokens, newest first, revoked ones included. Never the secret: only its hash is kept, and not even that leaves here. */
export async function listTokens(db: Db, firmId: string): Promise<ResponseOf<typeof getTokens>> {
  const rows = await listTokenRows(db, firmId);
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
