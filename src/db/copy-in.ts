import pg from 'pg';
import {
  CompiledQuery,
  type PostgresCursor,
  type PostgresPool,
  type PostgresPoolClient,
  type PostgresQueryResult,
} from 'kysely';
import type { PGlite } from '@electric-sql/pglite';
import type { Db } from './connect.ts';

/**
 * COPY ... FROM STDIN through Kysely, on either engine, without pg-copy-streams: the
 * statement goes as an ordinary query whose one parameter is a CopyData, and each
 * engine's connection (connect.ts for node-postgres, pglite-dialect.ts for PGlite)
 * sends that data as the COPY's input instead of binding it. A plain connection that
 * knows nothing of it fails loudly (a parameter the statement does not take).
 */

/**
 * The rows of a COPY in its text format (tab-separated, a newline after each row), in
 * pieces: node-postgres sends each piece as it is made, so the database parses the first
 * rows while the rest are still being written.
 */
export class CopyData {
  constructor(readonly pieces: Iterable<string>) {}
}

const COPY_FROM_STDIN = /^copy [a-z_]+ \([a-z_, ]+\) from stdin$/i;

/** The COPY statement and its data when `query` is one made by copyIn, else undefined. */
export function copyOf(sqlText: string, parameters: readonly unknown[]): CopyData | undefined {
  const [data] = parameters;
  return parameters.length === 1 && data instanceof CopyData && COPY_FROM_STDIN.test(sqlText) ? data : undefined;
}

const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** A text value in COPY's text format: backslash, tab, newline and carriage return escaped. */
export function copyText(value: string): string {
  // Tested first: most values have none, and a replace would copy every one.
  return COPY_SPECIAL.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!) : value;
}

/**
 * Loads rows into `table` with COPY FROM STDIN in the transaction (or session) `db`: the
 * database's own fastest way in, with every constraint and trigger of an INSERT. `pieces`
 * are the rows in COPY's text format (see CopyData), text values through copyText. How
 * many rows were loaded.
 */
export async function copyIn(
  db: Db,
  table: string,
  columns: readonly string[],
  pieces: Iterable<string>,
): Promise<number> {
  const result = await db.executeQuery(
    CompiledQuery.raw(`copy ${table} (${columns.join(', ')}) from stdin`, [new CopyData(pieces)]),
  );
  return Number(result.numAffectedRows ?? 0);
}

/** The parts of node-postgres's connection that COPY FROM STDIN uses; @types/pg leaves them out. */
interface CopyConnection extends pg.Connection {
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
}

/**
 * COPY ... FROM STDIN on node-postgres: a Submittable that sends the data when the server
 * asks for it, piece by piece as they are made. The client calls these handlers by name.
 */
export class CopyIn implements pg.Submittable {
  private failed: Error | null = null;
  private rowCount = 0;
  /** The rows copied, once the server is ready again; or the COPY's error. */
  readonly done: Promise<number>;
  private settle!: (error: Error | null) => void;

  constructor(
    private readonly text: string,
    private readonly data: Iterable<string>,
  ) {
    this.done = new Promise((resolve, reject) => {
      this.settle = (error) => (error ? reject(error) : resolve(this.rowCount));
    });
  }

  submit(connection: pg.Connection): void {
    connection.query(this.text);
  }

  handleCopyInResponse(connection: CopyConnection): void {
    const CHUNK = 1 << 20;
    try {
      for (const piece of this.data) {
        const bytes = Buffer.from(piece, 'utf8');
        for (let at = 0; at < bytes.length; at += CHUNK) connection.sendCopyFromChunk(bytes.subarray(at, at + CHUNK));
      }
    } catch (error) {
      // Making the data failed: the server ends the COPY with an error, and so the statement.
      connection.sendCopyFail(error instanceof Error ? error.message : String(error));
      return;
    }
    connection.endCopyFrom();
  }

  handleCommandComplete(message: { text: string }): void {
    this.rowCount = Number(/^COPY (\d+)$/.exec(message.text)?.[1] ?? 0);
  }

  handleError(error: Error): void {
    this.failed = error;
    this.settle(error);
  }

  handleReadyForQuery(): void {
    this.settle(this.failed);
  }
}

/**
 * A client of node-postgres's pool as Kysely's PostgresDialect uses it, which runs a query
 * made by copyIn as COPY FROM STDIN and every other query as it is. (paybridge configures
 * no cursor, so Kysely never hands it one.)
 */
class CopyingClient implements PostgresPoolClient {
  constructor(private readonly client: pg.PoolClient) {}

  query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  query<R>(
    sql: string | PostgresCursor<R>,
    parameters?: ReadonlyArray<unknown>,
  ): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
    if (typeof sql !== 'string')
      throw new TypeError('paybridge configures no cursor: page with keyset cursors instead');
    const data = copyOf(sql, parameters ?? []);
    if (data === undefined)
      return this.client.query(sql, [...(parameters ?? [])]) as unknown as Promise<PostgresQueryResult<R>>;
    const copy = new CopyIn(sql, data.pieces);
    this.client.query(copy);
    // Kysely reads an INSERT's rowCount as the rows written: COPY's count is the same thing.
    return copy.done.then((rowCount) => ({ command: 'INSERT', rowCount, rows: [] }));
  }

  release(destroy?: boolean): void {
    this.client.release(destroy);
  }
}

/** The pool Kysely is given on PostgreSQL: node-postgres's own, lending CopyingClients. */
export function copyingPool(pool: pg.Pool): PostgresPool {
  // One wrapper per client: Kysely keeps its connection object per client it is lent.
  const wrappers = new WeakMap<pg.PoolClient, CopyingClient>();
  return {
    async connect() {
      const client = await pool.connect();
      let wrapper = wrappers.get(client);
      if (!wrapper) wrappers.set(client, (wrapper = new CopyingClient(client)));
      return wrapper;
    },
    end: () => pool.end(),
  };
}

/** PGlite reads a COPY's input from the blob it is given, as the file '/dev/blob'. */
export async function copyOnPGlite(pglite: PGlite, sqlText: string, data: CopyData): Promise<number> {
  const result = await pglite.query(sqlText.replace(/from stdin$/i, "from '/dev/blob'"), [], {
    blob: new Blob([...data.pieces]),
  });
  return result.affectedRows ?? 0;
}
