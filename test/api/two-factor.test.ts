import { TOTP, Secret } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestFirm, startTestApp, TEST_PASSWORD, type TestApp, type TestFirm } from '../support/app.ts';
import { recordingMailer, signInAs } from '../support/mail.ts';

/** The code an authenticator app shows for this secret, `stepsAhead` 30-second steps from now. */
function codeFor(secret: string, stepsAhead = 0): string {
  const totp = new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) });
  return totp.generate({ timestamp: Date.now() + stepsAhead * 30_000 });
}

describe('two-factor sign-in (TOTP) with recovery codes', () => {
  let t: TestApp;
  let firm: TestFirm;
  beforeAll(async () => {
    t = await startTestApp({ loginAttemptsPerMinute: 1000 }, { mailer: recordingMailer() });
    firm = await createTestFirm(t, 'TOTP');
  });
  afterAll(async () => t.close());

  async function asSession(email: string, code?: string) {
    const signed = await signInAs(t.app, { email, password: TEST_PASSWORD, ...(code ? { code } : {}) });
    expect(signed.res.statusCode, signed.res.body).toBe(200);
    return (method: 'GET' | 'POST' | 'PATCH', path: string, body?: object) =>
      t.app.inject({
        method,
        url: `/api/v1${path}`,
        cookies: { pb_session: signed.cookie! },
        headers: { 'x-csrf-token': signed.csrf! },
        ...(body ? { payload: body } : {}),
      });
  }

  it('enrols with a secret and otpauth URI, confirms with a code, then signs in only with a code', async () => {
    const email = firm.emails.accountant;
    const me = await asSession(email);
    expect((await me('GET', '/me/two-factor')).json()).toEqual({
      enabled: false,
      pending: false,
      recoveryCodesLeft: 0,
      required: false,
    });
    const start = await me('POST', '/me/two-factor', {});
    expect(start.statusCode, start.body).toBe(201);
    const { secret, uri } = start.json();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(uri).toMatch(/^otpauth:\/\/totp\/paybridge:acct%40totp\.test\?/);
    expect(uri).toContain(`secret=${secret}`);
    expect((await me('GET', '/me/two-factor')).json().pending).toBe(true);

    const used = codeFor(secret);
    const wrong = await me('POST', '/me/two-factor/confirm', { code: used === '000000' ? '111111' : '000000' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('invalid_two_factor_code');
    const confirmed = await me('POST', '/me/two-factor/confirm', { code: used });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    const codes = confirmed.json().recoveryCodes as string[];
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    // Neither the recovery codes nor the audit trail hold a secret in clear.
    const stored = JSON.stringify(await t.conn.db.selectFrom('recovery_codes').selectAll().execute());
    for (const code of codes) expect(stored).not.toContain(code);
    expect((await me('GET', '/me/two-factor')).json()).toMatchObject({ enabled: true, recoveryCodesLeft: 10 });

    const noCode = await signInAs(t.app, { email, password: TEST_PASSWORD });
    expect(noCode.res.statusCode).toBe(401);
    expect(noCode.res.json().error.code).toBe('two_factor_required');
    expect(noCode.cookie).toBeUndefined();
    // The code used to confirm cannot be used again; the next step's code can, once.
    expect((await signInAs(t.app, { email, password: TEST_PASSWORD, code: used })).res.statusCode).toBe(401);
    const next = codeFor(secret, 1);
    const withCode = await signInAs(t.app, { email, password: TEST_PASSWORD, code: next });
    expect(withCode.res.statusCode, withCode.res.body).toBe(200);
    expect(withCode.res.json().user.twoFactor).toEqual({ enabled: true, enrolmentRequired: false });
    expect((await signInAs(t.app, { email, password: TEST_PASSWORD, code: next })).res.statusCode).toBe(401);
    // A wrong password with a right code is still a wrong password.
    expect(
      (await signInAs(t.app, { email, password: 'not the password', code: codeFor(secret, 1) })).res.json().error.code,
    ).toBe('invalid_credentials');

    // A recovery code works once, typed in capitals or without its dashes.
    const recovery = codes[0]!;
    const first = await signInAs(t.app, { email, password: TEST_PASSWORD, code: recovery.toUpperCase() });
    expect(first.res.statusCode, first.res.body).toBe(200);
    const second = await signInAs(t.app, { email, password: TEST_PASSWORD, code: recovery.replace(/-/g, '') });
    expect(second.res.statusCode).toBe(401);
    expect(second.res.json().error.code).toBe('invalid_two_factor_code');
    expect((await me('GET', '/me/two-factor')).json().recoveryCodesLeft).toBe(9);

    // Bearer tokens are unaffected.
    expect((await call(t, firm.accountant, 'GET', '/me')).statusCode).toBe(200);

    // Off again with a recovery code; then the password alone signs in.
    const off = await me('POST', '/me/two-factor/disable', { code: codes[1]! });
    expect(off.statusCode, off.body).toBe(204);
    expect((await signInAs(t.app, { email, password: TEST_PASSWORD })).res.statusCode).toBe(200);
    const actions = (
      await t.conn.db.selectFrom('audit_events').select('action').where('firm_id', '=', firm.id).execute()
    ).map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining(['two_factor_enabled', 'recovery_code_used', 'two_factor_disabled']),
    );
  });

  it('when the firm requires it, an admin without two-factor may only enrol; their token is unaffected', async () => {
    const set = await call(t, firm.admin, 'PATCH', '/settings', { requireAdminTwoFactor: true });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json().requireAdminTwoFactor).toBe(true);

    const admin = await asSession(firm.emails.admin);
    const me = await admin('GET', '/me');
    expect(me.statusCode).toBe(200);
    expect(me.json().user.twoFactor).toEqual({ enabled: false, enrolmentRequired: true });
    const blocked = await admin('GET', '/postings');
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('two_factor_enrolment_required');
    expect((await admin('GET', '/users')).statusCode).toBe(403);
    expect((await call(t, firm.admin, 'GET', '/users')).statusCode).toBe(200);
    // Other roles are not asked.
    const viewer = await asSession(firm.emails.viewer);
    expect((await viewer('GET', '/postings')).statusCode).toBe(200);

    expect((await admin('GET', '/me/two-factor')).json().required).toBe(true);
    const { secret } = (await admin('POST', '/me/two-factor', {})).json();
    expect((await admin('POST', '/me/two-factor/confirm', { code: codeFor(secret) })).statusCode).toBe(200);
    expect((await admin('GET', '/postings')).statusCode).toBe(200);
    expect((await admin('GET', '/me')).json().user.twoFactor).toEqual({ enabled: true, enrolmentRequired: false });
    // The firm requires it: an admin cannot turn it off.
    const off = await admin('POST', '/me/two-factor/disable', { code: codeFor(secret, 1) });
    expect(off.statusCode).toBe(409);

    expect((await call(t, firm.admin, 'PATCH', '/settings', { requireAdminTwoFactor: false })).statusCode).toBe(200);
  });
});
