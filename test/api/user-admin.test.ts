import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailer } from '../../src/mail/mailer.ts';
import { call, createTestFirm, startTestApp, TEST_PASSWORD, type TestApp, type TestFirm } from '../support/app.ts';
import { linkToken, recordingMailer, signInAs } from '../support/mail.ts';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp.ts';

const NEW_PASSWORD = 'a long and quiet river';

describe('users in the UI: invites, roles, deactivation, password links', () => {
  let t: TestApp;
  let firm: TestFirm;
  const mailer = recordingMailer();
  beforeAll(async () => {
    t = await startTestApp({ publicUrl: 'https://pb.example', loginAttemptsPerMinute: 1000 }, { mailer });
    firm = await createTestFirm(t, 'UADM');
  });
  afterAll(async () => t.close());

  const use = (token: string, password: string) =>
    t.app.inject({ method: 'POST', url: '/api/v1/password-links/use', payload: { token, password } });
  const lookUp = (token: string) =>
    t.app.inject({ method: 'POST', url: '/api/v1/password-links/look-up', payload: { token } });
  const userId = async (email: string) =>
    ((await call(t, firm.admin, 'GET', '/users')).json().items as { id: string; email: string }[]).find(
      (u) => u.email === email,
    )!.id;

  it('invites by email: the link is mailed and shown once, then sets a password once, and the user signs in', async () => {
    const res = await call(t, firm.admin, 'POST', '/users', { email: 'New.Person@UADM.test', role: 'accountant' });
    expect(res.statusCode, res.body).toBe(201);
    const { user, invite } = res.json();
    expect(user).toMatchObject({ email: 'new.person@uadm.test', role: 'accountant', passwordSet: false });
    expect(invite).toMatchObject({ kind: 'invite', emailed: true });
    expect(invite.link).toMatch(/^https:\/\/pb\.example\/set-password#pb_password_[\w-]{43}$/);
    const hours = (Date.parse(invite.expiresAt) - Date.now()) / 3600_000;
    expect(hours).toBeGreaterThan(71.9);
    expect(hours).toBeLessThanOrEqual(72);
    const mail = mailer.sent.at(-1)!;
    expect(mail.to).toBe('new.person@uadm.test');
    expect(mail.subject).toBe('You are invited to UADM LLP on paybridge');
    expect(mail.text).toContain(invite.link);
    expect(mail.html).toContain(invite.link);
    // Only the hash is kept, and the audit event names no secret.
    const token = linkToken(invite.link);
    const stored = JSON.stringify(await t.conn.db.selectFrom('password_links').selectAll().execute());
    expect(stored).not.toContain(token);
    const audit = await t.conn.db
      .selectFrom('audit_events')
      .select(['action', 'detail'])
      .where('firm_id', '=', firm.id)
      .execute();
    expect(audit.map((a) => a.action)).toContain('user_invited');
    expect(JSON.stringify(audit)).not.toContain(token);

    // No password yet: sign-in fails like a wrong password.
    expect((await signInAs(t.app, { email: user.email, password: NEW_PASSWORD })).res.statusCode).toBe(401);
    expect((await lookUp(token)).json()).toMatchObject({ kind: 'invite', email: user.email, firmName: 'UADM LLP' });
    // The rules come before the link is spent.
    const short = await use(token, 'too short');
    expect(short.statusCode).toBe(400);
    expect(short.json().error.details.field).toBe('password');
    expect((await use(token, 'LeaveMeAlone')).json().error.message).toMatch(/commonly used/);
    const set = await use(token, NEW_PASSWORD);
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toEqual({ email: user.email });
    const again = await use(token, 'another long password');
    expect(again.statusCode).toBe(410);
    expect(again.json().error.code).toBe('password_link_invalid');
    expect((await lookUp(token)).statusCode).toBe(410);

    const signedIn = await signInAs(t.app, { email: user.email, password: NEW_PASSWORD });
    expect(signedIn.res.statusCode, signedIn.res.body).toBe(200);
    expect(signedIn.res.json().user.role).toBe('accountant');
    const listed = (await call(t, firm.admin, 'GET', '/users'))
      .json()
      .items.find((u: { id: string }) => u.id === user.id);
    expect(listed).toMatchObject({ passwordSet: true, twoFactorEnabled: false, disabledAt: null });
  });

  it('refuses an expired link, an unknown one, and one replaced by a newer link', async () => {
    const invite = (await call(t, firm.admin, 'POST', '/users', { email: 'late@uadm.test', role: 'viewer' })).json();
    const first = linkToken(invite.invite.link);
    await t.conn.db
      .updateTable('password_links')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('user_id', '=', invite.user.id)
      .execute();
    expect((await use(first, NEW_PASSWORD)).statusCode).toBe(410);
    expect((await use('pb_password_nope', NEW_PASSWORD)).statusCode).toBe(410);

    const resent = await call(t, firm.admin, 'POST', `/users/${invite.user.id}/password-link`, {});
    expect(resent.statusCode, resent.body).toBe(201);
    expect(resent.json().kind).toBe('invite');
    const second = linkToken(resent.json().link);
    const third = linkToken(
      (await call(t, firm.admin, 'POST', `/users/${invite.user.id}/password-link`, {})).json().link,
    );
    expect((await use(second, NEW_PASSWORD)).statusCode).toBe(410);
    expect((await use(third, NEW_PASSWORD)).statusCode).toBe(200);
  });

  it('accepts twelve emoji as a password (code points are counted) and refuses eleven', async () => {
    const invite = (await call(t, firm.admin, 'POST', '/users', { email: 'emoji@uadm.test', role: 'viewer' })).json();
    const token = linkToken(invite.invite.link);
    expect((await use(token, '🦊🐢🐙🦉🐝🦋🐳🦒🐘🦔🐧')).statusCode).toBe(400);
    expect((await use(token, '🦊🐢🐙🦉🐝🦋🐳🦒🐘🦔🐧🦜')).statusCode).toBe(200);
    expect(
      (await signInAs(t.app, { email: 'emoji@uadm.test', password: '🦊🐢🐙🦉🐝🦋🐳🦒🐘🦔🐧🦜' })).res.statusCode,
    ).toBe(200);
  });

  it("deactivating ends the user's open session and bearer token at once; reactivating lets them sign in again", async () => {
    const session = await signInAs(t.app, { email: firm.emails.viewer, password: TEST_PASSWORD });
    const cookie = { pb_session: session.cookie! };
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', cookies: cookie })).statusCode).toBe(200);
    expect((await call(t, firm.viewer, 'GET', '/me')).statusCode).toBe(200);
    const id = await userId(firm.emails.viewer);

    const off = await call(t, firm.admin, 'PATCH', `/users/${id}`, { active: false });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json().disabledAt).not.toBeNull();
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', cookies: cookie })).statusCode).toBe(401);
    expect((await call(t, firm.viewer, 'GET', '/me')).statusCode).toBe(401);
    expect((await signInAs(t.app, { email: firm.emails.viewer, password: TEST_PASSWORD })).res.statusCode).toBe(401);
    expect((await call(t, firm.admin, 'POST', `/users/${id}/password-link`, {})).statusCode).toBe(409);

    const on = await call(t, firm.admin, 'PATCH', `/users/${id}`, { active: true });
    expect(on.json().disabledAt).toBeNull();
    expect((await signInAs(t.app, { email: firm.emails.viewer, password: TEST_PASSWORD })).res.statusCode).toBe(200);
    // Its old token stays revoked: a reactivated user gets new tokens.
    expect((await call(t, firm.viewer, 'GET', '/me')).statusCode).toBe(401);
    const actions = (
      await t.conn.db.selectFrom('audit_events').select('action').where('firm_id', '=', firm.id).execute()
    ).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['user_deactivated', 'user_reactivated']));
  });

  it('changes a role, and never demotes or deactivates the last active admin', async () => {
    const acct = await userId(firm.emails.accountant);
    const changed = await call(t, firm.admin, 'PATCH', `/users/${acct}`, { role: 'viewer' });
    expect(changed.json().role).toBe('viewer');
    expect((await call(t, firm.accountant, 'POST', '/postings/post', { all: true })).statusCode).toBe(403);
    await call(t, firm.admin, 'PATCH', `/users/${acct}`, { role: 'accountant' });

    const admin = await userId(firm.emails.admin);
    for (const change of [{ role: 'accountant' }, { active: false }]) {
      const res = await call(t, firm.admin, 'PATCH', `/users/${admin}`, change);
      expect(res.statusCode, res.body).toBe(409);
      expect(res.json().error.code).toBe('last_admin');
    }
    // An invited admin who has not set a password does not count.
    const invited = (await call(t, firm.admin, 'POST', '/users', { email: 'admin2@uadm.test', role: 'admin' })).json();
    expect((await call(t, firm.admin, 'PATCH', `/users/${admin}`, { role: 'viewer' })).statusCode).toBe(409);
    expect((await use(linkToken(invited.invite.link), NEW_PASSWORD)).statusCode).toBe(200);
    expect((await call(t, firm.admin, 'PATCH', `/users/${admin}`, { role: 'accountant' })).statusCode).toBe(200);
    const roles = (
      await t.conn.db
        .selectFrom('audit_events')
        .select(['action', 'from_status', 'to_status'])
        .where('firm_id', '=', firm.id)
        .where('action', '=', 'user_role_changed')
        .execute()
    ).map((a) => `${a.from_status}>${a.to_status}`);
    expect(roles).toEqual(['accountant>viewer', 'viewer>accountant', 'admin>accountant']);
    // Put the firm back: the admin token acts as admin again.
    const second = await signInAs(t.app, { email: 'admin2@uadm.test', password: NEW_PASSWORD });
    const back = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${admin}`,
      payload: { role: 'admin' },
      cookies: { pb_session: second.cookie! },
      headers: { 'x-csrf-token': second.csrf! },
    });
    expect(back.statusCode, back.body).toBe(200);
  });

  it('a reset link sets a new password; the old one works until then, and open sessions end with it', async () => {
    const email = firm.emails.accountant;
    const open = await signInAs(t.app, { email, password: TEST_PASSWORD });
    const reset = await call(t, firm.admin, 'POST', `/users/${await userId(email)}/password-link`, {});
    expect(reset.json().kind).toBe('reset');
    expect(mailer.sent.at(-1)!.subject).toBe('Reset your paybridge password for UADM LLP');
    expect((await signInAs(t.app, { email, password: TEST_PASSWORD })).res.statusCode).toBe(200);
    expect((await use(linkToken(reset.json().link), NEW_PASSWORD)).statusCode).toBe(200);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/me', cookies: { pb_session: open.cookie! } })).statusCode,
    ).toBe(401);
    expect((await signInAs(t.app, { email, password: TEST_PASSWORD })).res.statusCode).toBe(401);
    expect((await signInAs(t.app, { email, password: NEW_PASSWORD })).res.statusCode).toBe(200);
  });

  it('refuses an email another user has, and is for admins only', async () => {
    const taken = await call(t, firm.admin, 'POST', '/users', { email: firm.emails.viewer, role: 'viewer' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.code).toBe('user_exists');
    expect(
      (await call(t, firm.accountant, 'POST', '/users', { email: 'x@uadm.test', role: 'viewer' })).statusCode,
    ).toBe(403);
  });
});

describe('the per-account sign-in throttle', () => {
  let t: TestApp;
  let firm: TestFirm;
  beforeAll(async () => {
    t = await startTestApp({ loginAttemptsPerMinute: 1000, accountSignInFailures: 10 }, { mailer: recordingMailer() });
    firm = await createTestFirm(t, 'THRT');
  });
  afterAll(async () => t.close());

  it('after 10 failures from two addresses the account answers 429 with Retry-After from any address; others sign in', async () => {
    for (let i = 0; i < 10; i++) {
      const address = i % 2 === 0 ? '10.7.0.1' : '10.7.0.2';
      const res = await signInAs(t.app, { email: firm.emails.viewer, password: `wrong password ${i}` }, address);
      expect(res.res.statusCode).toBe(401);
    }
    const locked = await signInAs(
      t.app,
      { email: firm.emails.viewer.toUpperCase(), password: TEST_PASSWORD },
      '10.7.0.3',
    );
    expect(locked.res.statusCode).toBe(429);
    expect(locked.res.json().error.code).toBe('rate_limited');
    const wait = Number(locked.res.headers['retry-after']);
    expect(wait).toBeGreaterThan(14 * 60);
    expect(wait).toBeLessThanOrEqual(15 * 60);
    expect(
      (await signInAs(t.app, { email: firm.emails.accountant, password: TEST_PASSWORD }, '10.7.0.1')).res.statusCode,
    ).toBe(200);
    // An unknown email is throttled alike, so the throttle tells nobody which emails exist.
    for (let i = 0; i < 10; i++)
      await signInAs(t.app, { email: 'ghost@thrt.test', password: 'nope nope nope' }, '10.7.0.4');
    expect((await signInAs(t.app, { email: 'ghost@thrt.test', password: 'nope' }, '10.7.0.5')).res.statusCode).toBe(
      429,
    );
    // Fifteen minutes on, the account may try again (the failures are in the database).
    await t.conn.db
      .updateTable('sign_in_failures')
      .set({ at: new Date(Date.now() - 15 * 60_000 - 1000) })
      .execute();
    expect(
      (await signInAs(t.app, { email: firm.emails.viewer, password: TEST_PASSWORD }, '10.7.0.3')).res.statusCode,
    ).toBe(200);
  });
});

describe('the invite mail goes to a real SMTP peer', () => {
  let t: TestApp;
  let peer: SmtpPeer;
  beforeAll(async () => {
    peer = await startSmtpPeer();
    const mailFrom = 'paybridge <no-reply@pb.test>';
    t = await startTestApp(
      { smtpUrl: peer.url, mailFrom, publicUrl: 'https://pb.example' },
      { mailer: createMailer({ smtpUrl: peer.url, mailFrom, dataDir: '.tmp/unused' }) },
    );
  });
  afterAll(async () => {
    await t.close();
    await peer.close();
  });

  it('receives the invite with its link, which then sets the password', async () => {
    const firm = await createTestFirm(t, 'SMTPU');
    const res = await call(t, firm.admin, 'POST', '/users', {
      email: 'mailed@smtpu.test',
      name: 'Mai Led',
      role: 'viewer',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().invite.emailed).toBe(true);
    expect(peer.received).toHaveLength(1);
    const raw = peer.received[0]!.raw;
    expect(raw).toMatch(/^To: mailed@smtpu\.test$/m);
    expect(raw).toMatch(/^Subject: You are invited to SMTPU LLP on paybridge$/m);
    // Quoted-printable folds long lines; unfold before looking for the link.
    const unfolded = raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
    expect(unfolded).toContain(res.json().invite.link);
    const token = linkToken(res.json().invite.link);
    const set = await t.app.inject({
      method: 'POST',
      url: '/api/v1/password-links/use',
      payload: { token, password: NEW_PASSWORD },
    });
    expect(set.statusCode).toBe(200);
    expect((await signInAs(t.app, { email: 'mailed@smtpu.test', password: NEW_PASSWORD })).res.statusCode).toBe(200);
  });
});
