import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { loadConfig, type Config } from '../../src/config.ts';
import type { Connection } from '../../src/db/connect.ts';
import { buildApp, type AppDeps } from '../../src/server/app.ts';
import { createFirm, createToken, createUser } from '../../src/usecases/auth/firms-and-users.ts';
import { connectToSameDatabase, createTestDb } from './db.ts';

export const TEST_PASSWORD = 'correct horse battery';

export interface TestFirm {
  id: string;
  code: string;
  admin: string;
  accountant: string;
  viewer: string;
  agent: string;
  emails: { admin: string; accountant: string; viewer: string };
}

export interface TestApp {
  conn: Connection;
  app: FastifyInstance;
  config: Config;
  close(): Promise<void>;
}

export async function startTestApp(
  overrides: Partial<Config> = {},
  deps: Pick<AppDeps, 'events' | 'mailer'> = {},
): Promise<TestApp> {
  return startAppOn(await createTestDb(), { ...loadConfig({}), demo: false, ...overrides }, deps);
}

/** The app on a database of the caller's, with `config`; closing it closes the database too. */
export async function startAppOn(
  conn: Connection,
  config: Config,
  deps: Pick<AppDeps, 'events' | 'mailer'> = {},
): Promise<TestApp> {
  const app = await buildApp({ db: conn.db, listen: conn.listen, config, ...deps });
  await app.ready();
  return {
    conn,
    app,
    config,
    async close() {
      await app.close();
      await conn.close();
    },
  };
}

/**
 * A second server instance on the same PostgreSQL database as `t`, on a pool of its own,
 * as a deployment of several instances has. Closing it leaves the database to `t`.
 */
export async function startSecondInstance(t: TestApp, deps: Pick<AppDeps, 'events'> = {}): Promise<TestApp> {
  return startAppOn(connectToSameDatabase(t.conn), t.config, deps);
}

/** A firm with one user of each role and a bearer token for each, plus an agent token. */
export async function createTestFirm(t: TestApp, code: string): Promise<TestFirm> {
  const db = t.conn.db;
  const firm = await createFirm(db, { code, name: `${code} LLP` });
  const lower = code.toLowerCase();
  const emails = { admin: `admin@${lower}.test`, accountant: `acct@${lower}.test`, viewer: `viewer@${lower}.test` };
  const tokens: Record<string, string> = {};
  for (const role of ['admin', 'accountant', 'viewer'] as const) {
    await createUser(db, { firmCode: code, email: emails[role], role, password: TEST_PASSWORD });
    tokens[role] = (await createToken(db, { firmCode: code, kind: 'user', email: emails[role] })).token;
  }
  const agent = (await createToken(db, { firmCode: code, kind: 'agent' })).token;
  return {
    id: firm.id,
    code,
    admin: tokens.admin!,
    accountant: tokens.accountant!,
    viewer: tokens.viewer!,
    agent,
    emails,
  };
}

export interface CallOptions {
  headers?: Record<string, string>;
}

/** One API call with a bearer token; `path` is below /api/v1. */
export async function call(
  t: TestApp,
  token: string | null,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT',
  path: string,
  body?: unknown,
  options: CallOptions = {},
): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method,
    url: `/api/v1${path}`,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...options.headers },
    ...(body === undefined ? {} : { payload: body as object }),
  });
}
