import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken, createUser } from '../../src/usecases/auth/firms-and-users.ts';
import { call, createTestFirm, startTestApp, TEST_PASSWORD, type TestApp, type TestFirm } from '../support/app.ts';
import { syncBasicMms, takePayment } from '../support/fixtures.ts';

/** SPEC §7: tokens are stored only as hashes, passwords only as argon2id; no secret is kept raw. */
describe('no secret is stored', () => {
  let t: TestApp;
  let firm: TestFirm;
  const secrets: string[] = [];
  const OTHER_PASSWORD = `Another password ${randomUUID()}`;

  beforeAll(async () => {
    t = await startTestApp();
    firm = await createTestFirm(t, 'SECRET');
    secrets.push(TEST_PASSWORD, OTHER_PASSWORD, firm.admin, firm.accountant, firm.viewer, firm.agent);
    await createUser(t.conn.db, {
      firmCode: 'SECRET',
      email: 'second@secret.test',
      role: 'accountant',
      password: OTHER_PASSWORD,
    });
    secrets.push(
      (await createToken(t.conn.db, { firmCode: 'SECRET', kind: 'user', email: 'second@secret.test', label: 'script' }))
        .token,
    );
    secrets.push((await createToken(t.conn.db, { firmCode: 'SECRET', kind: 'agent', label: 'second agent' })).token);

    // Use every kind of secret: sign in (and fail to), call with the tokens, change things with keys.
    for (const [email, password] of [
      [firm.emails.admin, TEST_PASSWORD],
      ['second@secret.test', OTHER_PASSWORD],
    ] as const) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email, password } });
      expect(res.statusCode).toBe(200);
      const session = /pb_session=([^;]+)/.exec(String(res.headers['set-cookie']))![1]!;
      secrets.push(session);
      const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', cookies: { pb_session: session } });
      expect(me.statusCode).toBe(200);
    }
    const wrong = `wrong ${TEST_PASSWORD}`;
    secrets.push(wrong);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/session',
          payload: { email: firm.emails.viewer, password: wrong },
        })
      ).statusCode,
    ).toBe(401);
    await syncBasicMms(t, firm);
    await takePayment(t, firm, { invoiceNumbers: ['INV-100'] });
    const keyed = await call(
      t,
      firm.accountant,
      'POST',
      '/postings/post',
      { all: true },
      { headers: { 'idempotency-key': randomUUID() } },
    );
    expect(keyed.statusCode).toBe(200);
    // Signing in again while holding a token: with a key it is refused (its answer holds the
    // CSRF token, which is never stored for a replay); without one it makes a session.
    const keyedSignIn = await call(
      t,
      firm.admin,
      'POST',
      '/session',
      { email: firm.emails.admin, password: TEST_PASSWORD },
      { headers: { 'idempotency-key': randomUUID() } },
    );
    expect(keyedSignIn.json().error.code).toBe('idempotency_key_not_accepted');
    const again = await call(t, firm.admin, 'POST', '/session', { email: firm.emails.admin, password: TEST_PASSWORD });
    expect(again.statusCode).toBe(200);
    secrets.push(/pb_session=([^;]+)/.exec(String(again.headers['set-cookie']))![1]!);
  });
  afterAll(async () => t.close());

  it('keeps no raw token, session token or password in any column of any table', async () => {
    const columns = await sql<{ table_name: string; column_name: string; data_type: string }>`
      select c.table_name, c.column_name, c.data_type from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
        and c.data_type in ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY', 'bytea', 'USER-DEFINED')
      order by c.table_name, c.column_name`.execute(t.conn.db);
    expect(columns.rows.map((c) => `${c.table_name}.${c.column_name}`)).toEqual(
      expect.arrayContaining([
        'api_tokens.token_hash',
        'sessions.token_hash',
        'users.password_hash',
        'idempotency_keys.response_body',
        'audit_events.detail',
      ]),
    );
    const found: string[] = [];
    for (const { table_name: table, column_name: column, data_type: type } of columns.rows) {
      const value = type === 'bytea' ? sql`encode(${sql.ref(column)}, 'escape')` : sql`${sql.ref(column)}::text`;
      for (const secret of secrets) {
        const hits = await sql<{ n: number }>`
          select count(*)::int as n from ${sql.table(table)} where strpos(${value}, ${secret}) > 0`.execute(t.conn.db);
        if ((hits.rows[0]?.n ?? 0) > 0) found.push(`${table}.${column} holds ${secret.slice(0, 12)}…`);
      }
    }
    expect(secrets.length).toBeGreaterThanOrEqual(12);
    expect(found).toEqual([]);
  });

  it('hashes tokens and sessions as 64 hex digits and passwords with argon2id', async () => {
    const tokens = await t.conn.db.selectFrom('api_tokens').select('token_hash').execute();
    expect(tokens.length).toBeGreaterThanOrEqual(6);
    for (const row of tokens) expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
    const sessions = await t.conn.db.selectFrom('sessions').select('token_hash').execute();
    expect(sessions.length).toBeGreaterThanOrEqual(3);
    for (const row of sessions) expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
    const users = await t.conn.db.selectFrom('users').select(['email', 'password_hash']).execute();
    expect(users.length).toBe(4);
    for (const user of users) expect(user.password_hash, user.email).toMatch(/^\$argon2id\$/);
  });

  it('makes tokens of 256 random bits that say what they are', () => {
    for (const token of [firm.admin, firm.accountant, firm.viewer])
      expect(token).toMatch(/^pb_user_[A-Za-z0-9_-]{43}$/);
    expect(firm.agent).toMatch(/^pb_agent_[A-Za-z0-9_-]{43}$/);
  });
});
