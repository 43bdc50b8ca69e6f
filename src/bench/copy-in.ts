import pg from 'pg';
import type { PGlite } from '@electric-sql/pglite';
import { CopyIn } from '../db/copy-in.ts';

/**
 * The database's own limit for loading rows: COPY of `data` (COPY text format) inside a
 * transaction that is then rolled back, so the table is left as it was. Returns the
 * milliseconds the COPY took, not counting begin and rollback.
 */
export async function timeCopyRolledBack(
  target: { databaseUrl: string } | { pglite: PGlite },
  copySql: string,
  data: string,
): Promise<number> {
  if ('pglite' in target) {
    const { pglite } = target;
    await pglite.exec('begin');
    try {
      const started = performance.now();
      await pglite.query(copySql.replace(/from stdin$/i, "from '/dev/blob'"), [], { blob: new Blob([data]) });
      return performance.now() - started;
    } finally {
      await pglite.exec('rollback');
    }
  }
  const client = new pg.Client({ connectionString: target.databaseUrl });
  await client.connect();
  try {
    await client.query('begin');
    const copy = new CopyIn(copySql, [data]);
    const started = performance.now();
    client.query(copy);
    await copy.done;
    const ms = performance.now() - started;
    await client.query('rollback');
    return ms;
  } finally {
    await client.end();
  }
}
