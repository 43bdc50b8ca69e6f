import { readFileSync } from 'node:fs';
import { inject } from 'vitest';
import { connectPGlite, connectPostgres, openPGlite, type Connection } from '../../src/db/connect.ts';
import { adminQuery, databaseUrl, dropDatabase, PGLITE_TEMPLATE_PATH, uniqueName } from './engines.ts';

export type TestEngine = 'pglite' | 'postgres';

export function testEngine(): TestEngine {
  const engine = process.env.PAYBRIDGE_TEST_ENGINE;
  if (engine !== 'pglite' && engine !== 'postgres')
    throw new Error(`PAYBRIDGE_TEST_ENGINE must be pglite or postgres, not ${engine}`);
  return engine;
}

const urls = new WeakMap<Connection, string>();

/**
 * Another pool on the PostgreSQL database of `conn` (made by createTestDb), as a second
 * server instance would have; closing it leaves the database to `conn`.
 */
export function connectToSameDatabase(conn: Connection): Connection {
  return connectPostgres(databaseUrlOf(conn), 5);
}

/** The URL of the PostgreSQL database of `conn` (made by createTestDb), for a server process of its own. */
export function databaseUrlOf(conn: Connection): string {
  const url = urls.get(conn);
  if (!url) throw new Error('a database another process opens needs PostgreSQL: PGlite is one process');
  return url;
}

/** A fresh, migrated database for one test file, on the engine the project runs. */
export async function createTestDb(): Promise<Connection> {
  if (testEngine() === 'pglite') {
    const template = new Blob([readFileSync(PGLITE_TEMPLATE_PATH)]);
    return connectPGlite(await openPGlite(undefined, template));
  }
  const name = uniqueName('pb_t');
  await adminQuery(`create database ${name} template ${inject('pgTemplate')}`);
  const conn = connectPostgres(databaseUrl(name), 25);
  const shared: Connection = {
    ...conn,
    async close() {
      await conn.close();
      await dropDatabase(name);
    },
  };
  urls.set(shared, databaseUrl(name));
  return shared;
}
