import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncBasicMms } from '../support/fixtures.ts';
import { apiCall, startE2e, type E2e } from './support/server.ts';

// Issue 16: the payment links sent from Make A Payment are listed there, and can be sent again or cancelled;
// quick links are sent again from Quick Links the same way.
describe('sent payment links in the browser', () => {
  let e: E2e;

  beforeAll(async () => {
    e = await startE2e('E2EL');
    await syncBasicMms(e.t, e.firm);
  });
  afterAll(async () => e?.close());

  it('lists the links with payer, amount and status; Resend queues one email; Cancel tells the payer', async () => {
    const send = (payerName: string, payerEmail: string, invoiceNumber: string, amountCents: number) =>
      apiCall(e, 'POST', '/payment-links', { payerName, payerEmail, allocations: [{ invoiceNumber, amountCents }] });
    const resent: { token: string } = await send('Resend Rita', 'rita@payer.test', 'INV-100', 12_500);
    const cancelled: { token: string } = await send('Cancel Carl', 'carl@payer.test', 'INV-101', 30_000);

    const page = await e.pageAs('accountant', '/take/make-payment');
    const table = page.getByRole('table', { name: 'Sent payment links' });
    const rita = table.getByRole('row').filter({ hasText: 'Resend Rita' });
    await rita.getByText('$125.00').waitFor();
    await rita.getByText('outstanding').waitFor();
    await table.getByRole('row').filter({ hasText: 'Cancel Carl' }).getByText('$300.00').waitFor();

    await page.getByRole('button', { name: 'Resend payment link to Resend Rita $125.00' }).click();
    await page.getByText('is sent again to rita@payer.test').waitFor();
    const queued = await e.t.conn.db
      .selectFrom('mail_queue')
      .select('id')
      .where('recipient', '=', 'rita@payer.test')
      .execute();
    expect(queued).toHaveLength(1);
    // The address made with the link gave way to the one just emailed.
    const old = await e.browser.newPage();
    await old.goto(`${e.baseUrl}/pay/link/${resent.token}`);
    await old.getByText('This payment link does not exist').waitFor();

    await page.getByRole('button', { name: 'Cancel payment link to Cancel Carl $300.00' }).click();
    await page
      .getByRole('dialog', { name: 'Cancel payment link' })
      .getByRole('button', { name: 'Cancel link' })
      .click();
    await page.getByText('The link for $300.00 to Cancel Carl is cancelled').waitFor();
    await table.getByRole('row').filter({ hasText: 'Cancel Carl' }).getByText('cancelled', { exact: true }).waitFor();
    // The same words as a cancelled quick link: when it was cancelled.
    await table
      .getByRole('row')
      .filter({ hasText: 'Cancel Carl' })
      .getByText(/^cancelled \w/)
      .waitFor();
    expect(await page.getByRole('button', { name: 'Cancel payment link to Cancel Carl $300.00' }).count()).toBe(0);

    await old.goto(`${e.baseUrl}/pay/link/${cancelled.token}`);
    await old.getByText('This payment link was cancelled').waitFor();
    await old.getByText('Contact the firm if you still want to pay').waitFor();
    await old.close();
  });

  it('Quick Links: Resend on an outstanding link with an email queues one email with a new address', async () => {
    const quick = (description: string, payerEmail?: string) =>
      apiCall(e, 'POST', '/quick-links', { amountCents: 4_500, description, payerName: 'Quentin Quick', payerEmail });
    const mailed: { id: string; token: string } = await quick('Filing fee', 'quentin@payer.test');
    await quick('No email retainer');
    const cancelled: { id: string } = await quick('Cancelled deposit', 'quentin-cancelled@payer.test');
    await apiCall(e, 'POST', `/quick-links/${cancelled.id}/cancel`, {});

    const page = await e.pageAs('accountant', '/take/quick-links');
    const table = page.getByRole('table', { name: 'Quick links' });
    await table
      .getByRole('row')
      .filter({ hasText: 'Cancelled deposit' })
      .getByText(/^cancelled \w/)
      .waitFor();
    // Resend only where it can go: outstanding, with the payer's email.
    expect(await page.getByRole('button', { name: 'Resend quick link No email retainer' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Resend quick link Cancelled deposit' }).count()).toBe(0);

    await page.getByRole('button', { name: 'Resend quick link Filing fee' }).click();
    await page.getByText('The link for $45.00 is sent again to quentin@payer.test').waitFor();
    const queued = await e.t.conn.db
      .selectFrom('mail_queue')
      .select('message')
      .where('recipient', '=', 'quentin@payer.test')
      .execute();
    expect(queued).toHaveLength(1);
    const token = /\/pay\/quick\/(ql_[A-Za-z0-9_-]{43})/.exec((queued[0]!.message as { text: string }).text)?.[1];
    expect(token).toBeDefined();
    expect(token).not.toBe(mailed.token);
    const payer = await e.browser.newPage();
    await payer.goto(`${e.baseUrl}/pay/quick/${mailed.token}`);
    await payer.getByText('This quick link does not exist').waitFor();
    await payer.goto(`${e.baseUrl}/pay/quick/${token}`);
    await payer.getByText('Filing fee').first().waitFor();
    await payer.close();
  });
});
