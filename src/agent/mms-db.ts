import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

export type MmsRow = Record<string, unknown>;

/** What the agent and the credit upload need from the MMS database: queries and transactions. */
export interface MmsQuery {
  query<T extends MmsRow>(text: string, params?: unknown[]): Promise<T[]>;
}

export interface MmsDb extends MmsQuery {
  /** Runs a script of several statements (an install script), without parameters. */
  exec(script: string): Promise<void>;
  /** Runs `work` in one transaction on one session: committed if it returns, rolled back if it throws. */
  transaction<T>(work: (tx: MmsQuery) => Promise<T>, begin?: string): Promise<T>;
  close(): Promise<void>;
}

// The MMS's int8 and dates reach the agent as text, parsed at its edge (toCents), so no
// driver-wide type parser of this process decides how money is read.
const RAW_TEXT: pg.CustomTypesConfig = { getTypeParser: () => (value: string) => value };

/** A PostgreSQL MMS (the production path): a small pool, since the agent is one caller. */
export function postgresMms(connectionString: string): MmsDb {
  const pool = new pg.Pool({ connectionString, max: 2, types: RAW_TEXT });
  // An idle client losing its connection must not crash the agent; the next query reconnects.
  pool.on('error', () => {});
  return {
    query: async <T extends MmsRow>(text: string, params: unknown[] = []) => (await pool.query<T>(text, params)).rows,
    exec: async (script) => {
      await pool.query(script);
    },
    async transaction<T>(work: (tx: MmsQuery) => Promise<T>, begin = 'begin'): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query(begin);
        const result = await work({
          query: async <R extends MmsRow>(text: string, params: unknown[] = []) =>
            (await client.query<R>(text, params)).rows,
        });
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/**
 * An embedded PGlite MMS (the demo's). PGlite is one session, so every query and every
 * transaction waits its turn: a query from elsewhere must never land inside a transaction.
 */
export function pgliteMms(pglite: PGlite): MmsDb {
  let queue: Promise<void> = Promise.resolve();
  const exclusive = async <T>(work: () => Promise<T>): Promise<T> => {
    const previous = queue;
    let release!: () => void;
    queue = new Promise<void>((resolve) => (release = resolve));
    await previous;
    try {
      return await work();
    } finally {
      release();
    }
  };
  const raw: MmsQuery = {
    query: async <T extends MmsRow>(text: string, params: unknown[] = []) => (await pglite.query<T>(text, params)).rows,
  };
  return {
    query: (text, params) => exclusive(() => raw.query(text, params)),
    exec: (script) =>
      exclusive(async () => {
        await pglite.exec(script);
      }),
    transaction: (work, begin = 'begin') =>
      exclusive(async () => {
        await pglite.exec(begin);
        try {
          const result = await work(raw);
          await pglite.exec('commit');
          return result;
        } catch (error) {
          await pglite.exec('rollback').catch(() => {});
          throw error;
        }
      }),
    close: () => exclusive(() => pglite.close()),
  };
}

/** A postgres:// URL, or else the directory of an embedded PGlite MMS (the demo's). */
export async function openMmsDb(target: string): Promise<MmsDb> {
  if (/^postgres(ql)?:\/\//i.test(target)) return postgresMms(target);
  // Loaded only when wanted: PGlite takes most of a second to import, and an agent on a real MMS never needs it.
  const { PGlite } = await import('@electric-sql/pglite');
  return pgliteMms(await PGlite.create({ dataDir: target }));
}

/** Integer cents from an MMS bigint, which arrives as text (pg) or a number (PGlite). */
export function toCents(value: unknown, what: string): number {
  const text = typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint' ? String(value) : '';
  if (!/^-?\d+$/.test(text)) throw new Error(`${what}: ${JSON.stringify(value)} is not a whole number of cents`);
  const cents = Number(text);
  if (!Number.isSafeInteger(cents)) throw new Error(`${what}: ${text} cents is beyond the safe integer range`);
  return cents;
}
