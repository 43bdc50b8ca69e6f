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

export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

export const PGLITE_TEMPLATE_PATH = '.tmp/pglite-template.tar';
