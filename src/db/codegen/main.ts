import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { connectPostgres } from '../connect.ts';
import { migrate } from '../migrate.ts';
import { generateSchema } from './generate.ts';

/**
 * `npm run db:types`: makes a scratch database on the PostgreSQL server of DATABASE_URL
 * (or the local one), applies sql/migrations to it, writes src/db/schema.ts from it and
 * drops it again.
 */
const SCHEMA_FILE = fileURLToPath(new URL('../schema.ts', import.meta.url));
const serverUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

async function admin(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

const name = `pb_types_${process.pid}_${randomBytes(4).toString('hex')}`;
const url = new URL(serverUrl);
url.pathname = `/${name}`;
await admin(`create database ${name}`);
try {
  const conn = connectPostgres(url.toString(), 1);
  try {
    await migrate(conn.db);
    writeFileSync(SCHEMA_FILE, await generateSchema(conn.db));
  } finally {
    await conn.close();
  }
} finally {
  await admin(`drop database if exists ${name} with (force)`);
}
console.log(`wrote ${SCHEMA_FILE}`);
