import type { Db } from './connect.ts';

export type PasswordLinkKind = 'invite' | 'reset';

/** A new link; the user's earlier unused links stop working (only the newest one sent is good). */
export async function insertPasswordLink(
  db: Db,
  firmId: string,
  link: { user_id: string; kind: PasswordLinkKind; token_hash: string; expires_at: Date },
  now: Date,
): Promise<void> {
  await expireUserLinks(db, firmId, link.user_id, now);
  await db
    .insertInto('password_links')
    .values({ ...link, firm_id: firmId })
    .execute();
}

/** Ends the user's unused links (a new one sent, or the user deactivated). */
export async function expireUserLinks(db: Db, firmId: string, userId: string, now: Date): Promise<void> {
  await db
    .updateTable('password_links')
    .set({ used_at: now })
    .where('firm_id', '=', firmId)
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .execute();
}

/**
 * The link with this hash, its user and firm; `lock` holds it until the transaction ends.
 * Across firms: the link's secret is all its holder has.
 */
export async function findPasswordLink(db: Db, tokenHash: string, lock = false) {
  const q = db
    .selectFrom('password_links as l')
    .innerJoin('users as u', (j) => j.onRef('u.id', '=', 'l.user_id').onRef('u.firm_id', '=', 'l.firm_id'))
    .innerJoin('firms as f', 'f.id', 'l.firm_id')
    .select([
      'l.id',
      'l.firm_id',
      'l.user_id',
      'l.kind',
      'l.expires_at',
      'l.used_at',
      'u.email',
      'u.disabled_at',
      'f.name as firm_name',
    ])
    .where('l.token_hash', '=', tokenHash);
  return (lock ? q.forUpdate('l') : q).executeTakeFirst();
}

export async function markLinkUsed(db: Db, firmId: string, linkId: string, now: Date): Promise<void> {
  await db
    .updateTable('password_links')
    .set({ used_at: now })
    .where('firm_id', '=', firmId)
    .where('id', '=', linkId)
    .execute();
}
