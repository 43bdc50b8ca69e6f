import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { connectPGlite, connectPostgres, openPGlite, type Connection, type Engine } from '../db/connect.ts';
import { migrate } from '../db/migrate.ts';

/**
 * Where the bench keeps its data: a database of its own, never an existing one. On
 * PostgreSQL a fresh `pb_bench_<pid>` on DATABASE_URL's server, dropped at the end; on
 * PGlite a temporary data directory, removed at the end.
 */
export interface BenchDatabase {
  engine: Engine;
  /** How the server process reaches the same data: a connection string or a PGlite directory. */
  target: { databaseUrl: string } | { dataDir: string };
  open(): Promise<BenchConnection>;
  drop(): Promise<void>;
  /**
   * PostgreSQL only: another new database on the same server, `<the bench's>_<suffix>`
   * (the procedure sink's MMS); its drop() removes it, and so does the bench's.
   */
  sibling?(suffix: string): Promise<{ url: string; drop(): Promise<void> }>;
}

/** A connection for the bench's own set-up and baselines, and what COPY needs to reach the database. */
export interface BenchConnection {
  conn: Connection;
  copyTarget: { databaseUrl: string } | { pglite: PGlite };
}

export async function createBenchDatabase(databaseUrl: string | undefined): Promise<BenchDatabase> {
  return databaseUrl ? createPostgresDatabase(databaseUrl) : createPGliteDatabase();
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

async function createPostgresDatabase(serverUrl: string): Promise<BenchDatabase> {
  const name = `pb_bench_${process.pid}`;
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const benchUrl = url.toString();
  await adminQuery(serverUrl, `create database ${name}`);
  const conn = connectPostgres(benchUrl, 4);
  try {
    await migrate(conn.db);
  } finally {
    await conn.close();
  }
  const siblings = new Set<string>();
  const dropSibling = async (sibling: string) => {
    await adminQuery(serverUrl, `drop database if exists ${sibling} with (force)`);
    siblings.delete(sibling);
  };
  return {
    engine: 'postgres',
    target: { databaseUrl: benchUrl },
    open: async () => ({ conn: connectPostgres(benchUrl, 4), copyTarget: { databaseUrl: benchUrl } }),
    async drop() {
      for (const sibling of [...siblings]) await dropSibling(sibling);
      await adminQuery(serverUrl, `drop database if exists ${name} with (force)`);
    },
    async sibling(suffix) {
      if (!/^[a-z0-9_]+$/.test(suffix))
        throw new Error(`a database suffix is lowercase letters, digits and _, not "${suffix}"`);
      const sibling = `${name}_${suffix}`;
      await adminQuery(serverUrl, `create database ${sibling}`);
      siblings.add(sibling);
      const siblingUrl = new URL(serverUrl);
      siblingUrl.pathname = `/${sibling}`;
      return { url: siblingUrl.toString(), drop: () => dropSibling(sibling) };
    },
  };
}

async function createPGliteDatabase(): Promise<BenchDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pb-bench-'));
  const conn = connectPGlite(await openPGlite(dataDir));
  try {
    await migrate(conn.db);
  } finally {
    await conn.close();
  }
  return {
    engine: 'pglite',
    target: { dataDir },
    open: async () => {
      const pglite = await openPGlite(dataDir);
      return { conn: connectPGlite(pglite), copyTarget: { pglite } };
    },
    drop: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}
