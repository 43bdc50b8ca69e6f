import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { inject } from 'vitest';
import { loadConfig, type Config } from '../../src/config.ts';
import { connect, type Connection, type Db, openPGlite } from '../../src/db/connect.ts';
import { adminQuery, databaseUrl, dropDatabase, PGLITE_TEMPLATE_PATH, uniqueName } from '../support/engines.ts';
import { testEngine } from '../support/db.ts';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A database of its own for one CLI test file, on the project's engine, as a real deployment names it. */
export interface CliDatabase {
  /** DATA_DIR or DATABASE_URL, for a child process. */
  env: Record<string, string>;
  config: Config;
  /** An in-process connection. On PGlite close it before the next child opens the same directory. */
  open(): Promise<Connection>;
  remove(): Promise<void>;
}

/**
 * `migrated: false` gives an empty database, so the command under test must migrate it;
 * `true` starts from the suite's migrated template, sparing a PGlite child the seconds of initdb.
 */
export async function createCliDatabase({ migrated }: { migrated: boolean }): Promise<CliDatabase> {
  if (testEngine() === 'pglite') {
    const dataDir = await mkdtemp(join(tmpdir(), 'pb-cli-'));
    if (migrated) {
      const template = new Blob([await readFile(PGLITE_TEMPLATE_PATH)]);
      await (await openPGlite(join(dataDir, 'db'), template)).close();
    }
    const config = { ...loadConfig({ DATA_DIR: dataDir }), demo: false };
    return {
      env: { DATA_DIR: dataDir },
      config,
      open: () => connect(config),
      remove: () => rm(dataDir, { recursive: true, force: true }),
    };
  }
  const name = uniqueName('pb_cli');
  await adminQuery(migrated ? `create database ${name} template ${inject('pgTemplate')}` : `create database ${name}`);
  const url = databaseUrl(name);
  const config = { ...loadConfig({ DATABASE_URL: url }), demo: false };
  return {
    env: { DATABASE_URL: url },
    config,
    open: () => connect(config),
    remove: () => dropDatabase(name),
  };
}

/** The environment of a child `paybridge`: this one, without settings a developer's shell may carry. */
export function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const { DATABASE_URL: _url, DATA_DIR: _dir, PORT: _port, HOST: _host, PAYBRIDGE_DEMO: _demo, ...rest } = process.env;
  return { ...rest, LOG_LEVEL: 'info', ...env };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/paybridge.js …` to the end, as a user or script would. */
export function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/paybridge.js', ...args], { cwd: REPO_ROOT, env: childEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Every row of every table as JSON text, to prove a secret is stored nowhere. */
export async function everyRowAsText(db: Db): Promise<string[]> {
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(db);
  const rows: string[] = [];
  for (const { name } of tables.rows) {
    const result = await sql<{ row: string }>`select row_to_json(t)::text as row from ${sql.table(name)} t`.execute(db);
    rows.push(...result.rows.map((r) => r.row));
  }
  return rows;
}

export async function countRows(db: Db): Promise<Record<'firms' | 'users' | 'api_tokens', number>> {
  const count = async (table: 'firms' | 'users' | 'api_tokens') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return { firms: await count('firms'), users: await count('users'), api_tokens: await count('api_tokens') };
}

/** A `paybridge start` running in a process of its own. */
export interface ServerProcess {
  url: string;
  child: ChildProcessWithoutNullStreams;
  /** What it printed so far on stdout. */
  stdout(): string;
  /** What it logged so far (JSON lines on stderr). */
  stderr(): string;
  /** SIGTERM, then its exit code once it has stopped. */
  stop(): Promise<number | null>;
}

/**
 * Starts `node bin/paybridge.js start` on a free port (PORT=0) with `env`, as an operator
 * would, and resolves once it prints the URL it is running at.
 */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['bin/paybridge.js', 'start'], {
    cwd: REPO_ROOT,
    env: childEnv({ PORT: '0', PAYBRIDGE_DEMO: '0', ...env }),
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit') as Promise<[number | null]>;
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /running at (http:\/\/\S+)/.exec(stdout);
      if (match?.[1]) resolve(match[1]);
    });
    child.on('exit', () => reject(new Error(`paybridge start exited early: ${stderr}`)));
  });
  return {
    url,
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const [code] = await exited;
      return code;
    },
  };
}
