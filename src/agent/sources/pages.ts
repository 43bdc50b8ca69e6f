import type { SyncBody } from '../client.ts';

/** The server takes at most this many rows of each kind per POST /agent/sync. */
export const MAX_ROWS_PER_KIND = 50_000;

type Kind = 'clients' | 'matters' | 'invoices';
const KINDS: readonly Kind[] = ['clients', 'matters', 'invoices'];

/** Hands out up to `max` more rows of one kind; an empty answer means there are no more. */
export type ChunkReader<T> = (max: number) => Promise<T[]>;

export interface Readers {
  clients: ChunkReader<SyncBody['clients'][number]>;
  matters: ChunkReader<SyncBody['matters'][number]>;
  invoices: ChunkReader<SyncBody['invoices'][number]>;
}

/** A reader over rows already in memory. */
export function arrayReader<T>(rows: readonly T[]): ChunkReader<T> {
  let at = 0;
  return async (max) => {
    const chunk = rows.slice(at, at + max);
    at += chunk.length;
    return chunk;
  };
}

/**
 * Sends everything in as few POSTs as the per-kind limit allows, every client before any
 * matter and every matter before any invoice, so each page refers only to rows the server
 * has already stored or finds in the same page. Returns the number of POSTs made.
 * `lastPage`, when given, rewrites the last page before it goes (a full resync marks it),
 * and a last page is then sent even when there is nothing to send.
 */
export async function sendInPages(
  readers: Readers,
  post: (body: SyncBody) => Promise<void>,
  pageSize = MAX_ROWS_PER_KIND,
  lastPage?: (body: SyncBody) => SyncBody,
): Promise<number> {
  let body: SyncBody = { clients: [], matters: [], invoices: [], full: false };
  let posts = 0;
  const flush = async () => {
    if (body.clients.length + body.matters.length + body.invoices.length === 0) return;
    await post(body);
    posts += 1;
    body = { clients: [], matters: [], invoices: [], full: false };
  };
  for (const kind of KINDS) {
    for (;;) {
      const rows = await readers[kind](pageSize);
      if (rows.length === 0) break;
      // This kind's previous chunk is still in the page: it was full, so send it first.
      if (body[kind].length > 0) await flush();
      Object.assign(body, { [kind]: rows });
      if (rows.length < pageSize) break;
    }
  }
  if (lastPage) {
    await post(lastPage(body));
    return posts + 1;
  }
  await flush();
  return posts;
}
