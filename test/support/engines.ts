import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Where integration tests find PostgreSQL; the maintenance database is used to create and drop theirs. */
export const ADMIN_URL = process.env.PAYBRIDGE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function databaseUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/**
 * Drops a test database once the connections its pool was closing have gone: a pool's
 * end() resolves before its backends exit, and dropping WITH (FORCE) under them would
 * hand each closing client a FATAL error that nothing is left to catch.
 */
export async function dropDatabase(name: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    for (let tries = 0; tries < 50; tries += 1) {
      const left = await client.query<{ n: number }>(
        'select count(*)::int as n from pg_stat_activity where datname = $1',
        [name],
      );
      if (left.rows[0]!.n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await client.query(`drop database if exists ${name} with (force)`);
  } finally {
    await client.end();
  }
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

export const PGLITE_TEMPLATE_PATH = '.tmp/pglite-template.tar';
