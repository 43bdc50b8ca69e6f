import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedEveryState } from './fixtures.ts';
import { ManagePostingsPage } from './support/pages.ts';
import { call } from '../support/app.ts';
import { apiCall, startE2e, type E2e } from './support/server.ts';

const ACTIONS = ['Post Selected', 'Remove Posts', 'Post All', 'Move to Pending'];

describe('roles and the other screens in the browser', () => {
  let e: E2e;
  let seeded: Awaited<ReturnType<typeof seedEveryState>>;
  beforeAll(async () => {
    e = await startE2e('E2ER');
    seeded = await seedEveryState(e);
  });
  afterAll(async () => e?.close());

  it('a viewer sees the rows and Export to Excel, but no action buttons, checkboxes, edit or reverse', async () => {
    const page = await e.pageAs('viewer');
    const postings = new ManagePostingsPage(page);
    for (const view of ['Pending/Incomplete', 'Removed']) {
      await postings.openView(view);
      await postings.loaded();
      const toolbar = page.getByRole('toolbar', { name: 'Actions' });
      await toolbar.getByRole('button', { name: 'Export to Excel' }).waitFor();
      for (const name of ACTIONS)
        expect(await toolbar.getByRole('button', { name }).count(), `${view}: ${name}`).toBe(0);
      expect(await postings.table().getByRole('checkbox').count(), view).toBe(0);
      expect(await page.getByRole('button', { name: /^Edit Posting Record/ }).count(), view).toBe(0);
    }
    await page.getByRole('banner').getByText('viewer', { exact: true }).waitFor();
    // Settings holds Connect status for everyone; the firm's settings are the admins'.
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Connect status' }).waitFor();
    await page.getByText("The firm's other settings are for its admins.").waitFor();
    expect(await page.getByRole('tab', { name: 'Tokens' }).count()).toBe(0);
    expect(await page.getByRole('textbox', { name: 'Time zone' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Payment Manager' }).click();
    await page.getByRole('table', { name: 'Payments' }).getByText('Ed Entered').waitFor();
    expect(await page.getByRole('button', { name: /^Reverse payment/ }).count()).toBe(0);
    await page.context().close();
  });

  it('an accountant reverses a payment in the Payment Manager behind a confirmation, and opens its record', async () => {
    const page = await e.pageAs('accountant', '/payments');
    const payments = page.getByRole('table', { name: 'Payments' });
    await payments.getByText('Ed Entered').waitFor();
    // A payment without a posting record says so; one with a record links to it.
    const ed = payments.getByRole('row').filter({ hasText: 'Ed Entered' });
    await ed.getByText('none').waitFor();
    await ed.getByText('Entered by staff').waitFor();

    await page.getByRole('button', { name: /^Reverse payment of Alma Pending/ }).click();
    await page.getByRole('menuitem', { name: 'Void' }).click();
    const dialog = page.getByRole('dialog', { name: 'Reverse payment' });
    await dialog.getByText(/^Void the payment of \$250\.00 from Alma Pending\?/).waitFor();
    await dialog.getByRole('button', { name: 'Void' }).click();
    await page.getByRole('status').filter({ hasText: 'The payment is now voided.' }).waitFor();
    const alma = payments.getByRole('row').filter({ hasText: 'Alma Pending' });
    await alma.getByText('voided').waitFor();
    await alma.getByRole('button', { name: /^Open posting record of Alma Pending/ }).click();
    const drawer = page.getByRole('dialog', { name: 'Posting record' });
    await drawer.getByText('This record is removed; it can no longer be edited.').waitFor();
    const record = await apiCall(e, 'GET', `/postings/${seeded.alma.postingRecord.id}`);
    expect(record.status).toBe('removed');
    expect(record.reasons).toEqual(['payment_reversed']);
    await page.context().close();
  });

  it('Batches lists each batch with its file to download', async () => {
    const page = await e.pageAs('viewer', '/batches');
    const batches = page.getByRole('table', { name: 'Batches' });
    const first = batches.getByRole('row').filter({ hasText: '#1' });
    await first.getByText('PB_E2ER_000001.csv').waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      first.getByRole('button', { name: 'Download PB_E2ER_000001.csv' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('PB_E2ER_000001.csv');
    await batches
      .getByRole('row')
      .filter({ hasText: '#2' })
      .getByText(/^Waiting for the agent/)
      .waitFor();
    await page.context().close();
  });

  it('an admin creates a token, sees it once, and revokes it', async () => {
    const page = await e.pageAs('admin', '/settings');
    await page.getByRole('tab', { name: 'Tokens' }).click();
    await page.getByLabel('Label').fill('e2e agent');
    await page.getByRole('button', { name: 'Create token' }).click();
    const shown = page.getByRole('dialog', { name: 'New token' });
    expect(await shown.getByTestId('new-token').textContent()).toMatch(/^pb_agent_/);
    await shown.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('button', { name: 'Revoke agent token e2e agent' }).click();
    await page.getByRole('dialog', { name: 'Revoke token' }).getByRole('button', { name: 'Revoke' }).click();
    await page
      .getByRole('table', { name: 'Tokens' })
      .getByRole('row')
      .filter({ hasText: 'e2e agent' })
      .getByText(/^revoked /)
      .waitFor();
    await page.context().close();
  });

  it("an admin finds the firm's time zone by typing part of its name, and saves it", async () => {
    const page = await e.pageAs('admin', '/settings');
    const zone = page.getByRole('textbox', { name: 'Time zone' });
    expect(await zone.inputValue()).toBe('America/New_York');
    await zone.click();
    await zone.fill('los_ang');
    await page.getByRole('option', { name: 'America/Los_Angeles' }).click();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved').waitFor();
    const saved = await call(e.t, e.firm.admin, 'GET', '/settings');
    expect(saved.json().timeZone).toBe('America/Los_Angeles');
    await page.reload();
    expect(await page.getByRole('textbox', { name: 'Time zone' }).inputValue()).toBe('America/Los_Angeles');
    await page.context().close();
    expect((await call(e.t, e.firm.admin, 'PATCH', '/settings', { timeZone: 'America/New_York' })).statusCode).toBe(
      200,
    );
  });
  it('an admin adds a deposit account with its codes, makes it the default, and chooses paybridge CSV version 2', async () => {
    const page = await e.pageAs('admin', '/settings');
    await page.getByRole('tab', { name: 'Deposit accounts' }).click();
    const table = page.getByRole('table', { name: 'Deposit accounts' });
    await table.getByRole('row').filter({ hasText: 'Operating' }).getByText('Default').waitFor();
    const form = page.getByRole('form', { name: 'New deposit account' });
    await form.getByLabel('Name').fill('E2E Escrow');
    await form.getByRole('textbox', { name: 'Kind' }).click();
    await page.getByRole('option', { name: 'Trust' }).click();
    await form.getByLabel('Bank account code').fill('ESC-1');
    await form.getByLabel('Ledger (GL) code').fill('2100');
    await form.getByLabel('Transaction type').fill('TRST');
    await form.getByLabel('Default A/R message').fill('Held in escrow');
    await form.getByRole('button', { name: 'Add account' }).click();
    const row = table.getByRole('row').filter({ hasText: 'E2E Escrow' });
    await row.getByText('ESC-1').waitFor();
    await row.getByRole('button', { name: 'Make default' }).click();
    await row.getByText('Default').waitFor();
    const accounts = (await call(e.t, e.firm.admin, 'GET', '/deposit-accounts')).json().items;
    expect(accounts.find((a: { name: string }) => a.name === 'E2E Escrow')).toMatchObject({
      kind: 'trust',
      bankAccountCode: 'ESC-1',
      ledgerCode: '2100',
      transType: 'TRST',
      defaultMemo: 'Held in escrow',
      isDefault: true,
    });

    await page.getByRole('tab', { name: 'Firm' }).click();
    await page.getByRole('textbox', { name: 'paybridge CSV version' }).click();
    await page.getByRole('option', { name: /^Version 2/ }).click();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved').waitFor();
    expect((await call(e.t, e.firm.admin, 'GET', '/settings')).json().fileFormatVersion).toBe(2);
    await page.context().close();
    // Put the firm back as the other tests expect it.
    const trust = accounts.find((a: { name: string }) => a.name === 'Trust');
    expect(
      (await call(e.t, e.firm.admin, 'PATCH', `/deposit-accounts/${trust.id}`, { isDefault: true })).statusCode,
    ).toBe(200);
    expect((await call(e.t, e.firm.admin, 'PATCH', '/settings', { fileFormatVersion: 1 })).statusCode).toBe(200);
  });
});
