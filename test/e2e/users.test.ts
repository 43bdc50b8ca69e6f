import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, TEST_PASSWORD } from '../support/app.ts';
import { recordingMailer } from '../support/mail.ts';
import { startE2e, type E2e } from './support/server.ts';

const codeFor = (secret: string, stepsAhead = 0) =>
  new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) }).generate({
    timestamp: Date.now() + stepsAhead * 30_000,
  });

describe('users and two-factor in the browser', () => {
  let e: E2e;
  beforeAll(async () => {
    e = await startE2e('E2EU', {}, { mailer: recordingMailer() });
  });
  afterAll(async () => e?.close());

  async function freshPage(path: string) {
    const context = await e.browser.newContext({ baseURL: e.baseUrl, locale: 'en-US', timezoneId: 'UTC' });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    await page.goto(path);
    return page;
  }

  it('an admin invites a user; the invitee opens the link, sets a password and signs in', async () => {
    const admin = await e.pageAs('admin', '/settings');
    await admin.getByRole('tab', { name: 'Users' }).click();
    const form = admin.getByRole('form', { name: 'Invite a user' });
    await form.getByLabel('Email').fill('invitee@e2eu.test');
    await form.getByRole('button', { name: 'Invite' }).click();
    const dialog = admin.getByRole('dialog', { name: 'Set-password link' });
    const link = (await dialog.getByTestId('password-link').textContent())!;
    expect(link).toMatch(/\/set-password#pb_password_/);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await admin
      .getByRole('table', { name: 'Users' })
      .getByRole('row')
      .filter({ hasText: 'invitee@e2eu.test' })
      .getByText('invited', { exact: true })
      .waitFor();
    await admin.context().close();

    const page = await freshPage(`/set-password#${link.split('#')[1]}`);
    await page.getByText('invitee@e2eu.test').waitFor();
    await page.getByLabel(/^New password(?! again)/).fill('short');
    await page.getByLabel('New password again').fill('short');
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByRole('alert').filter({ hasText: 'at least 12 characters' }).waitFor();
    await page.getByLabel(/^New password(?! again)/).fill('a long and quiet river');
    await page.getByLabel('New password again').fill('a long and quiet river');
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await page.getByLabel('Email').inputValue()).toBe('invitee@e2eu.test');
    await page.getByLabel('Password').fill('a long and quiet river');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Manage Postings' }).waitFor();
    await page.context().close();
  });

  it('a user turns on two-factor, then signs in with a code from the app', async () => {
    const page = await e.pageAs('accountant', '/settings');
    await page.getByRole('button', { name: 'Turn on two-factor' }).click();
    const secret = (await page.getByTestId('two-factor-secret').textContent())!.trim();
    await page.getByLabel('Code').fill(codeFor(secret));
    await page.getByRole('button', { name: 'Confirm' }).click();
    expect((await page.getByTestId('recovery-codes').textContent())!.trim().split('\n')).toHaveLength(10);
    await page.getByRole('button', { name: 'I have kept them' }).click();
    await page.getByText(/Two-factor sign-in is on/).waitFor();
    await page.context().close();

    const signIn = await freshPage('/');
    await signIn.getByLabel('Email').fill(e.firm.emails.accountant);
    await signIn.getByLabel('Password').fill(TEST_PASSWORD);
    await signIn.getByRole('button', { name: 'Sign in' }).click();
    const code = signIn.getByLabel('Two-factor code');
    await code.fill(codeFor(secret, 1));
    await signIn.getByRole('button', { name: 'Sign in' }).click();
    await signIn.getByRole('heading', { name: 'Manage Postings' }).waitFor();
    await signIn.context().close();
    expect((await call(e.t, e.firm.accountant, 'GET', '/me/two-factor')).json().enabled).toBe(true);
  });
});
