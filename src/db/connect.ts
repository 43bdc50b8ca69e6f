import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { copyingPool } from './copy-in.ts';
import { checkChannel, listenPostgres, type Listen } from './listen.ts';
import { PGliteDialect } from './pglite-dialect.ts';
import { lockDataDir } from './data-dir-lock.ts';
import type { Database } from './schema.ts';

export type { Listen, ListenHandlers } from './listen.ts';

export type Db = Kysely<Database>;
export type Engine = 'pglite' | 'postgres';

const INT8_OID = pg.types.builtins.INT8; // 20
const DATE_OID = pg.types.builtins.DATE; // 1082

/**
 * node-postgres reads int8 as a string and PGlite as a number; both are parsed here,
 * at the edge, to one type: a safe integer, or an error rather than a rounded amount.
 */
export function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`int8 value ${text} is outside the safe integer range`);
  return value;
}

/** Calendar dates stay YYYY-MM-DD strings: a Date would shift them by the time zone. */
const parseDate = (text: string): string => text;

pg.types.setTypeParser(INT8_OID, parseInt8);
pg.types.setTypeParser(DATE_OID, parseDate);

export const pgliteParsers = { [INT8_OID]: parseInt8, [DATE_OID]: parseDate };

export interface Connection {
  db: Db;
  engine: Engine;
  /**
   * LISTEN on a channel: every pg_notify on it, from this process or any other on the same
   * database, once the transaction that sent it commits (src/db/notify.ts publishes them).
   */
  listen: Listen;
  /** Closes the database, listeners included. */
  close(): Promise<void>;
}

export function connectPostgres(connectionString: string, poolSize = 10): Connection {
  const pool = new pg.Pool({ connectionString, max: poolSize });
  // An idle connection that breaks (the server restarts, an administrator ends it) is
  // dropped by the pool and replaced on the next query; without a listener its error
  // would end the whole process.
  pool.on('error', () => undefined);
  // The same for a connection in use but between statements (a transaction waiting on the
  // application) when the server ends it: the pool listens only to idle ones, and an
  // error event nobody listens to ends the process. The next statement on it fails
  // (answered 503 database_unavailable) and the pool discards it on release.
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  // copyingPool: the sync loads new invoices with COPY FROM STDIN (copy-in.ts).
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: copyingPool(pool) }) });
  const listening = new Set<() => Promise<void>>();
  return {
    db,
    engine: 'postgres',
    async listen(channel, handlers) {
      const stop = await listenPostgres(connectionString, channel, handlers);
      const once = async () => {
        if (listening.delete(once)) await stop();
      };
      listening.add(once);
      return once;
    },
    async close() {
      await Promise.all([...listening].map((stop) => stop()));
      await db.destroy();
    },
  };
}

export async function openPGlite(dataDir: string | undefined, loadDataDir?: Blob): Promise<PGlite> {
  if (dataDir) mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  return PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    ...(loadDataDir ? { loadDataDir } : {}),
    parsers: pgliteParsers,
    // bundled with PGlite (nothing is downloaded); migration 0004 creates them
    extensions: { pg_trgm, btree_gin },
  });
}

export function connectPGlite(pglite: PGlite): Connection {
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    engine: 'pglite',
    // PGlite is one session in this process: its own listen() hears every NOTIFY sent on
    // it. The LISTEN goes through the dialect's queue, as a query would: issued while
    // another holder's transaction is open, it would be part of that transaction, and
    // undone by its rollback.
    async listen(channel, handlers) {
      const unlisten = await db
        .connection()
        .execute(() => pglite.listen(checkChannel(channel), (payload) => handlers.onNotification(payload)));
      return async () => {
        if (!pglite.closed) await db.connection().execute(() => unlisten());
      };
    },
    close: () => db.destroy(),
  };
}

/** DATABASE_URL selects PostgreSQL; otherwise embedded PGlite under DATA_DIR. */
export async function connect(env: {
  databaseUrl?: string | undefined;
  databasePoolSize?: number;
  dataDir: string;
}): Promise<Connection> {
  if (env.databaseUrl) return connectPostgres(env.databaseUrl, env.databasePoolSize);
  const release = lockDataDir(env.dataDir);
  try {
    const conn = connectPGlite(await openPGlite(`${env.dataDir}/db`));
    return {
      ...conn,
      async close() {
        try {
          await conn.close();
        } finally {
          release();
        }
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}
