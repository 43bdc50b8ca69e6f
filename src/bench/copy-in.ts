import pg from 'pg';
import type { PGlite } from '@electric-sql/pglite';

/** The parts of node-postgres's connection that COPY FROM STDIN uses; @types/pg leaves them out. */
interface CopyConnection extends pg.Connection {
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}

/**
 * COPY ... FROM STDIN on node-postgres without pg-copy-streams: a Submittable that sends
 * the whole text when the server asks for it. The client calls these handlers by name.
 */
class CopyIn implements pg.Submittable {
  private failed: Error | null = null;
  readonly done: Promise<void>;
  private settle!: (error: Error | null) => void;

  constructor(
    private readonly text: string,
    private readonly data: Buffer,
  ) {
    this.done = new Promise((resolve, reject) => {
      this.settle = (error) => (error ? reject(error) : resolve());
    });
  }

  submit(connection: pg.Connection): void {
    connection.query(this.text);
  }

  handleCopyInResponse(connection: CopyConnection): void {
    const CHUNK = 1 << 20;
    for (let at = 0; at < this.data.length; at += CHUNK)
      connection.sendCopyFromChunk(this.data.subarray(at, at + CHUNK));
    connection.endCopyFrom();
  }

  handleCommandComplete(): void {}

  handleError(error: Error): void {
    this.failed = error;
    this.settle(error);
  }

  handleReadyForQuery(): void {
    this.settle(this.failed);
  }
}

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
    const copy = new CopyIn(copySql, Buffer.from(data, 'utf8'));
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
