import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Db } from './connect.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../sql/migrations/', import.meta.url));
// Any constant works; it keeps two server instances from migrating at once.
const MIGRATION_LOCK_ID = 7_305_119;

export interface Migration {
  name: string;
  sql: string;
}

/** The forward-only SQL migrations, in the order their numbered names give. */
export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const names = readdirSync(dir).filter((name) => /^\d{4}_[a-z0-9_]+\.sql$/.test(name));
  names.sort();
  return names.map((name) => ({ name, sql: readFileSync(dir + name, 'utf8') }));
}

/** Applies every migration not yet applied, each in its own transaction. Returns their names. */
export async function migrate(db: Db, migrations = listMigrations()): Promise<string[]> {
  await sql`create table if not exists schema_migrations (
    name text primary key,
    applied_at timestamptz not null default now()
  )`.execute(db);
  const applied: string[] = [];
  await db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_ID})`.execute(conn);
    try {
      const done = await sql<{ name: string }>`select name from schema_migrations`.execute(conn);
      const doneNames = new Set(done.rows.map((row) => row.name));
      for (const migration of migrations) {
        if (doneNames.has(migration.name)) continue;
        await conn.transaction().execute(async (tx) => {
          await sql.raw(migration.sql).execute(tx);
          await sql`insert into schema_migrations (name) values (${migration.name})`.execute(tx);
        });
        applied.push(migration.name);
      }
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`.execute(conn);
    }
  });
  return applied;
}
