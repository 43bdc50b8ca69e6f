import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeExpiredSessions, signIn as signInUseCase } from '../../src/usecases/auth/sessions.ts';
import { call, createTestFirm, startTestApp, TEST_PASSWORD, type TestApp, type TestFirm } from '../support/app.ts';

describe('sign in, sessions and CSRF', () => {
  let t: TestApp;
  let firm: TestFirm;
  beforeAll(async () => {
    t = await startTestApp({ loginAttemptsPerMinute: 5 });
    firm = await createTestFirm(t, 'SESS');
  });
  afterAll(async () => t.close());

  async function signIn(email: string, password: string) {
    return t.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email, password },
      remoteAddress: `10.0.0.${email.length}`,
    });
  }

  it('sets an HttpOnly SameSite cookie and returns user, role, firm and the CSRF token', async () => {
    const res = await signIn(firm.emails.accountant, TEST_PASSWORD);
    expect(res.statusCode).toBe(200);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/pb_session=pb_session_/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const body = res.json();
    expect(body.user.role).toBe('accountant');
    expect(body.firm.code).toBe('SESS');
    expect(body.csrfToken).toMatch(/^pb_csrf_/);
  });

  it('takes no Idempotency-Key, even from a signed-in caller: the CSRF token is never stored for a replay', async () => {
    for (const who of [undefined, firm.accountant]) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { email: firm.emails.accountant, password: TEST_PASSWORD },
        headers: { 'idempotency-key': 'sign-in-1', ...(who && { authorization: `Bearer ${who}` }) },
        remoteAddress: '10.0.1.1',
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('idempotency_key_not_accepted');
      expect(res.headers['set-cookie']).toBeUndefined();
    }
    const stored = await t.conn.db.selectFrom('idempotency_keys').selectAll().execute();
    expect(JSON.stringify(stored)).not.toMatch(/pb_csrf_/);
  });

  it('refuses a wrong password and an unknown email alike', async () => {
    const wrong = await signIn(firm.emails.viewer, 'not the password');
    const unknown = await signIn('nobody@nowhere.test', 'not the password');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('invalid_credentials');
    expect(unknown.json()).toEqual(wrong.json());
  });

  it('uses the session cookie for reads and demands the CSRF header for changes', async () => {
    const res = await signIn(firm.emails.admin, TEST_PASSWORD);
    const session = /pb_session=([^;]+)/.exec(String(res.headers['set-cookie']))![1]!;
    const csrf = res.json().csrfToken as string;
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', cookies: { pb_session: session } });
    expect(me.statusCode).toBe(200);
    expect(me.json().user.email).toBe(firm.emails.admin);
    const noCsrf = await t.app.inject({ method: 'DELETE', url: '/api/v1/session', cookies: { pb_session: session } });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().error.code).toBe('csrf');
    const out = await t.app.inject({
      method: 'DELETE',
      url: '/api/v1/session',
      cookies: { pb_session: session },
      headers: { 'x-csrf-token': csrf },
    });
    expect(out.statusCode).toBe(204);
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/me', cookies: { pb_session: session } });
    expect(after.statusCode).toBe(401);
  });

  it('rate-limits sign-in attempts from one address', async () => {
    const attempts = [];
    for (let i = 0; i < 7; i++) {
      attempts.push(
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/session',
          payload: { email: 'x@y.test', password: 'wrong' },
          remoteAddress: '10.9.9.9',
        }),
      );
    }
    expect(attempts.slice(0, 5).every((r) => r.statusCode === 401)).toBe(true);
    expect(attempts[6]!.statusCode).toBe(429);
    expect(attempts[6]!.json().error.code).toBe('rate_limited');
  });

  it('answers 401 for no token, a malformed header and an unknown token', async () => {
    expect((await call(t, null, 'GET', '/me')).statusCode).toBe(401);
    expect((await call(t, 'pb_user_nope', 'GET', '/me')).statusCode).toBe(401);
    const malformed = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: 'Basic abc' } });
    expect(malformed.statusCode).toBe(401);
  });

  it("tells every user whether the firm's MMS needs a credit upload (GET /settings is admin-only)", async () => {
    const before = await call(t, firm.viewer, 'GET', '/me');
    expect(before.json().firm.creditUploadNeeded).toBe(false);
    await t.conn.db.updateTable('firms').set({ mms_kind: 'aderant' }).where('id', '=', firm.id).execute();
    const after = await call(t, firm.viewer, 'GET', '/me');
    expect(after.json().firm.creditUploadNeeded).toBe(true);
    await t.conn.db.updateTable('firms').set({ mms_kind: 'other' }).where('id', '=', firm.id).execute();
  });

  it('refuses an agent token on user routes', async () => {
    const res = await call(t, firm.agent, 'GET', '/me');
    expect(res.statusCode).toBe(403);
  });

  it('publishes the OpenAPI document', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    expect(res.json().paths['/api/v1/session']).toBeDefined();
  });

  it('deletes expired sessions and keeps live ones', async () => {
    const live = await signIn(firm.emails.viewer, TEST_PASSWORD);
    expect(live.statusCode).toBe(200);
    const old = await signInAt(firm.emails.accountant, new Date(Date.now() - 48 * 3600_000));
    expect(old).not.toBeNull();
    const before = await t.conn.db.selectFrom('sessions').select('expires_at').execute();
    expect(before.some((s) => s.expires_at <= new Date())).toBe(true);
    expect(await purgeExpiredSessions(t.conn.db)).toBeGreaterThan(0);
    const after = await t.conn.db.selectFrom('sessions').select('expires_at').execute();
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((s) => s.expires_at > new Date())).toBe(true);
    // The live session still works.
    const cookie = String(live.headers['set-cookie']).split(';')[0]!;
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).statusCode).toBe(200);
  });

  function signInAt(email: string, at: Date) {
    return signInUseCase(
      t.conn.db,
      { email, password: TEST_PASSWORD },
      { sessionHours: t.config.sessionHours, accountFailures: 10, now: at },
    );
  }
});
