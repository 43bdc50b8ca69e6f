import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { postgresMms, type MmsDb } from '../../src/agent/mms-db.ts';
import { call, createTestFirm, startTestApp, type TestApp, type TestFirm } from '../support/app.ts';
import { adminQuery, databaseUrl, dropDatabase, uniqueName } from '../support/engines.ts';
import { paymentBody } from '../support/fixtures.ts';
import { childEnv, REPO_ROOT } from '../cli/harness.ts';

/** The server on the test's engine, listening on a real port so a separate agent process can reach it. */
export interface AgentServer {
  t: TestApp;
  firm: TestFirm;
  url: string;
  close(): Promise<void>;
}

export async function startAgentServer(code = 'AGT'): Promise<AgentServer> {
  const t = await startTestApp();
  const firm = await createTestFirm(t, code);
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const address = t.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { t, firm, url: `http://127.0.0.1:${port}`, close: () => t.close() };
}

const SCRIPTS = ['demo-schema.sql', 'install.sql'].map(
  (name) => new URL(`../../sql/mms/postgres/${name}`, import.meta.url),
);

/** A demo MMS in a real PostgreSQL database of its own, with both scripts applied as an IT person would. */
export interface TestMms {
  url: string;
  db: MmsDb;
  close(): Promise<void>;
}

export async function createTestMms(): Promise<TestMms> {
  const name = uniqueName('pb_mms');
  await adminQuery(`create database ${name}`);
  const url = databaseUrl(name);
  const db = postgresMms(url);
  for (const script of SCRIPTS) await db.exec(await readFile(script, 'utf8'));
  return {
    url,
    db,
    async close() {
      await db.close();
      await dropDatabase(name);
    },
  };
}

/** The basic MMS of test/support/fixtures.ts, so payments from paymentBody() classify pending. */
export async function seedBasicMms(mms: TestMms): Promise<void> {
  await mms.db.exec(`
    insert into mms_clients (client_number, name) values ('C1', 'Acme Holdings'), ('C2', 'Baker & Sons'), ('C3', 'Castle Trust');
    insert into mms_matters (client_number, matter_number, description) values ('C1', 'M1', 'Lease dispute'), ('C2', 'M1', 'Estate planning'), ('C3', 'M9', 'Escrow');
    insert into mms_invoices (invoice_number, client_number, matter_number, invoice_date, total_cents, balance_cents) values
      ('INV-100', 'C1', 'M1', '2026-01-05', 100000, 100000), ('INV-101', 'C1', 'M1', '2026-02-05', 100000, 100000),
      ('INV-102', 'C1', 'M1', '2026-03-05', 100000, 100000), ('INV-103', 'C2', 'M1', '2026-01-10', 100000, 100000);`);
}

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function writeConfig(dir: string, config: unknown): Promise<string> {
  const file = join(dir, 'agent.json');
  await writeFile(file, JSON.stringify(config, null, 2));
  return file;
}

export interface AgentRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** `node bin/paybridge.js agent --config … --once [args]`, a real process as the firm's server runs it. */
export function runAgentOnce(
  configFile: string,
  env: Record<string, string> = {},
  args: string[] = [],
): Promise<AgentRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/paybridge.js', 'agent', '--config', configFile, '--once', ...args], {
      cwd: REPO_ROOT,
      env: childEnv(env),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** A long-running `paybridge agent --config …` process, as the firm's service runs it. */
export interface AgentProcess {
  /** Everything it logged so far. */
  stderr(): string;
  /** Resolves once it has logged `text`, or fails after `ms`. */
  logged(text: string, ms?: number): Promise<void>;
  /** SIGTERM, then its exit code and how long it took to exit. */
  stop(): Promise<{ code: number | null; ms: number }>;
}

export function startAgentProcess(configFile: string, env: Record<string, string> = {}): AgentProcess {
  const child = spawn(process.execPath, ['bin/paybridge.js', 'agent', '--config', configFile], {
    cwd: REPO_ROOT,
    env: childEnv(env),
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    stderr: () => stderr,
    async logged(text, ms = 30_000) {
      const until = Date.now() + ms;
      while (!stderr.includes(text)) {
        if (Date.now() > until || child.exitCode !== null)
          throw new Error(`the agent did not log ${JSON.stringify(text)}:\n${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async stop() {
      const began = Date.now();
      if (child.exitCode === null) child.kill('SIGTERM');
      const code = await exited;
      return { code, ms: Date.now() - began };
    },
  };
}

/** Resolves with the ms from now until `name` is in `dir`, or fails after `ms`. */
export async function fileArrives(dir: string, name: string, ms: number): Promise<number> {
  const began = Date.now();
  while (!(await readdir(dir)).includes(name)) {
    if (Date.now() - began > ms) throw new Error(`${name} did not arrive in ${dir} within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Date.now() - began;
}

export function expectSuccess(run: AgentRun): void {
  expect(run.code, run.stderr).toBe(0);
}

/** Takes `count` pending payments and posts them all: one new batch, returned as the server lists it. */
export async function makeBatch(s: AgentServer, payments = 1, overrides: Record<string, unknown> = {}) {
  for (let i = 0; i < payments; i += 1) {
    const res = await call(
      s.t,
      s.firm.accountant,
      'POST',
      '/payments',
      paymentBody({ amountCents: 1000, ...overrides }),
    );
    expect(res.statusCode, res.body).toBe(201);
  }
  const posted = await call(s.t, s.firm.accountant, 'POST', '/postings/post', { all: true });
  expect(posted.statusCode, posted.body).toBe(200);
  const batch = posted.json().batch as { id: string; seq: number; fileName: string };
  expect(batch).not.toBeNull();
  return batch;
}

export interface ServerBatchView {
  id: string;
  seq: number;
  fileName: string;
  sha256: string;
  status: string;
  quarantinedAt: string | null;
  quarantineReason: string | null;
}

export async function serverBatches(s: AgentServer): Promise<ServerBatchView[]> {
  const res = await call(s.t, s.firm.viewer, 'GET', '/batches?limit=500');
  return (res.json().items as ServerBatchView[]).sort((a, b) => a.seq - b.seq);
}

export async function serverFile(s: AgentServer, id: string): Promise<Buffer> {
  const res = await call(s.t, s.firm.viewer, 'GET', `/batches/${id}/file`);
  return res.rawPayload;
}

export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Every name in a folder, hidden ones included, sorted; sub-folders end in '/'. */
export async function listing(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries.map((e) => (e.isDirectory() ? `${e.name}/` : e.name)).sort();
}

export async function removeDirs(...dirs: string[]): Promise<void> {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
}
