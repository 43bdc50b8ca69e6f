import { connectPostgres } from '../../src/db/connect.ts';
import { migrate } from '../../src/db/migrate.ts';
import { ADMIN_URL, adminQuery, databaseUrl, uniqueName } from './engines.ts';

// One migrated template database per run; each test file gets its own copy and
// drops it afterwards. PostgreSQL must be reachable: these tests never skip.
export default async function setup({ provide }: { provide: (key: 'pgTemplate', value: string) => void }) {
  const template = uniqueName('pb_tmpl');
  try {
    await adminQuery(`create database ${template}`);
  } catch (error) {
    throw new Error(
      `PostgreSQL is required for the integration tests and is not reachable at ${ADMIN_URL} ` +
        `(set PAYBRIDGE_TEST_PG_URL, or start it: pg_ctlcluster --skip-systemctl-redirect 15 main start): ${String(error)}`,
    );
  }
  const conn = connectPostgres(databaseUrl(template), 1);
  try {
    await migrate(conn.db);
  } finally {
    await conn.close();
  }
  provide('pgTemplate', template);
  return async () => {
    await adminQuery(`drop database if exists ${template} with (force)`);
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgTemplate: string;
  }
}
