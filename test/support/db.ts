import { readFileSync } from 'node:fs';
import { inject } from 'vitest';
import { connectPGlite, connectPostgres, openPGlite, type Connection } from '../../src/db/connect.ts';
import { adminQuery, databaseUrl, dropDatabase, PGLITE_TEMPLATE_PATH, uniqueName } from './engines.ts';

export type TestEngine = 'pglite' | 'postgres';

export function testEngine(): TestEngine {
  const engine = process.env.PAYBRIDGE_TEST_ENGINE;
  if (engine !== 'pglite' && engine !== 'postgres') throw new Error(`PAYBRIDGE_TEST_ENGINE must be pglite or postgres, not ${engine}`);
  return engine;
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
  return {
    ...conn,
    async close() {
      await conn.close();
      await dropDatabase(name);
    },
  };
}
