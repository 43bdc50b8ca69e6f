import type { LinkKind, LinkStatus } from '../../domain/links.ts';
import type { Db } from '../../db/connect.ts';
import { selectLinks } from '../../db/links.ts';
import { LINK_VIEWS, type LinkViews } from './link-view.ts';

/** The firm's links of a kind, newest first, optionally of one status (expired included). */
export async function listLinks<K extends LinkKind>(
  db: Db,
  firmId: string,
  kind: K,
  query: { status?: LinkStatus | undefined; limit: number },
  now = new Date(),
): Promise<{ items: LinkViews[K][] }> {
  const rows = await selectLinks(db, firmId, kind, query, now);
  const view = LINK_VIEWS[kind];
  return { items: rows.map((row) => view(row, now)) };
}
