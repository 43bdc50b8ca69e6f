import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, calendarDateIn } from '../../src/domain/dates.ts';
import { SandboxProcessor } from '../../src/processor/sandbox/sandbox-processor.ts';
import { runDueSchedules } from '../../src/usecases/payment-schedules/run-due-schedules.ts';
import { syncBasicMms } from '../support/fixtures.ts';
import { ManagePostingsPage } from './support/pages.ts';
import { apiCall, startE2e, type E2e } from './support/server.ts';

interface Allocation {
  invoiceNumber: string | null;
  amountCents: number;
}
const pairs = (allocations: Allocation[]) => allocations.map((a) => [a.invoiceNumber, a.amountCents]);

/** Types a sandbox test card into the card fields within `scope`. */
async function fillCard(scope: Page | Locator, number: string) {
  await scope.getByLabel('Card number').fill(number);
  await scope.getByLabel('Expiry (MM/YY)').fill('12/30');
  await scope.getByLabel('Security code').fill('123');
}

/** A SegmentedControl option: its radio input is hidden behind the label a person clicks. */
function option(scope: Page | Locator, text: string): Locator {
  return scope.locator('label').filter({ hasText: new RegExp(`^${text.replace(/[()]/g, '\\$&')}$`) });
}

/** The path of a payer address shown on screen, checked to be on this server. */
function payerPath(e: E2e, url: string, kind: 'link' | 'quick'): string {
  expect(url.startsWith(`${e.baseUrl}/pay/${kind}/`), url).toBe(true);
  return new URL(url).pathname;
}

// Issue 5, the staff screens: one firm and one browser; each test makes its own payers.
describe('taking payments in the browser', () => {
  let e: E2e;

  beforeAll(async () => {
    e = await startE2e('E2ES');
    await syncBasicMms(e.t, e.firm);
  });
  afterAll(async () => e?.close());

  it('Make A Payment: two invoices auto-applied oldest first and paid by card become one pending connect record in Manage Postings', async () => {
    const page = await e.pageAs('accountant', '/take/make-payment');
    await page.getByRole('heading', { name: 'Make A Payment' }).waitFor();
    await page.getByLabel('Search invoices').fill('INV-10');
    // Open invoices only: INV-105 is paid.
    await page.getByRole('button', { name: 'Add invoice INV-100' }).waitFor();
    expect(await page.getByRole('button', { name: 'Add invoice INV-105' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Add invoice INV-101' }).click();
    await page.getByRole('button', { name: 'Add invoice INV-100' }).click();
    // Each invoice starts at what it has open.
    expect(await page.getByLabel('Amount for INV-101').inputValue()).toBe('1000.00');
    await page.getByTestId('payment-total').filter({ hasText: 'Total: $2,000.00' }).waitFor();

    await page.getByLabel('Or auto-apply an amount').fill('1500');
    await page.getByRole('button', { name: 'Auto-apply' }).click();
    await page.getByText('Applied $1,500.00 oldest first.').waitFor();
    expect(await page.getByLabel('Amount for INV-100').inputValue()).toBe('1000.00');
    expect(await page.getByLabel('Amount for INV-101').inputValue()).toBe('500.00');

    await page.getByLabel('Payer name').fill('Acme AP');
    await fillCard(page, '4242 4242 4242 4242');
    await page.getByRole('button', { name: 'Pay $1,500.00' }).click();
    await page.getByText('Payment approved: $1,500.00').waitFor();
    await page.getByText('Visa ••4242').waitFor();
    await page.getByTestId('posting-record-status').filter({ hasText: 'pending in Manage Postings' }).waitFor();

    await page.getByRole('button', { name: 'Open Manage Postings' }).click();
    const postings = new ManagePostingsPage(page);
    await postings.openView('Pending');
    await postings.row('Acme AP').getByText('INV-100, INV-101').waitFor();
    await postings.row('Acme AP').getByText('$1,500.00').waitFor();

    const pending = await apiCall(e, 'GET', '/postings?view=pending&q=Acme%20AP');
    expect(pending.items).toHaveLength(1);
    expect(pending.items[0]).toMatchObject({
      origin: 'connect',
      status: 'pending',
      reasons: [],
      amountCents: 150_000,
      account: 'operating',
    });
    expect(pairs(pending.items[0].allocations)).toEqual([
      ['INV-100', 100_000],
      ['INV-101', 50_000],
    ]);
    const payments = await apiCall(e, 'GET', '/payments?q=Acme%20AP');
    expect(payments.items).toHaveLength(1);
    expect(payments.items[0]).toMatchObject({
      origin: 'connect',
      method: 'card',
      last4: '4242',
      postingRecordId: pending.items[0].id,
    });
    await page.context().close();
  });

  it('Make A Payment: a split by hand sent as a payment link shows its address, which the payer can open; nothing is charged', async () => {
    const page = await e.pageAs('accountant', '/take/make-payment');
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: e.baseUrl });
    await page.getByLabel('Search invoices').fill('Baker');
    await page.getByRole('button', { name: 'Add invoice INV-103' }).click();
    await page.getByRole('button', { name: 'Add invoice INV-104' }).click();
    await page.getByLabel('Amount for INV-103').fill('250.00');
    await page.getByLabel('Amount for INV-104').fill('100');
    await page.getByTestId('payment-total').filter({ hasText: 'Total: $350.00' }).waitFor();
    await option(page, 'Send payment link').click();
    await page.getByLabel('Payer name').fill('Baker Link');
    await page.getByRole('button', { name: 'Create payment link' }).click();

    await page.getByText('Payment link ready').waitFor();
    const url = await page.getByRole('textbox', { name: 'Payment link address' }).inputValue();
    const path = payerPath(e, url, 'link');
    // The notice's expiry (the list below has an "Expires / paid" column too).
    await page.getByText(/^Expires .*Copy it now/).waitFor();
    await page.getByRole('button', { name: 'Copy payment link address' }).click();
    await page.getByRole('button', { name: 'Copy payment link address' }).filter({ hasText: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);

    // The payer's side answers for it, with the split chosen here.
    const res = await fetch(`${e.baseUrl}/api/v1${path}`);
    expect(res.status).toBe(200);
    const link = (await res.json()) as {
      amountCents: number;
      status: string;
      payerName: string;
      allocations: Allocation[];
      expiresAt: string;
    };
    expect(link).toMatchObject({ amountCents: 35_000, status: 'outstanding', payerName: 'Baker Link' });
    expect(pairs(link.allocations)).toEqual([
      ['INV-103', 25_000],
      ['INV-104', 10_000],
    ]);
    const hours = (Date.parse(link.expiresAt) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(23.9);
    expect(hours).toBeLessThanOrEqual(24);
    expect((await apiCall(e, 'GET', '/payments?q=Baker%20Link')).items).toEqual([]);
    await page.context().close();
  });

  it('Enter Payment by card makes a payment in the Payment Manager and no posting record', async () => {
    const page = await e.pageAs('accountant', '/take/enter-payment');
    await page.getByText('It makes no posting record: enter it in your MMS by hand.').waitFor();
    await page.getByLabel('Payer name').fill('Walk-in Wanda');
    await page.getByLabel('Amount ($)').fill('75.50');
    await option(page, 'Trust').click();
    await page.getByLabel('Invoice number(s)').fill('INV-102');
    await fillCard(page, '4242 4242 4242 4242');
    await page.getByRole('button', { name: 'Charge $75.50' }).click();
    await page.getByText('Payment approved: $75.50').waitFor();

    await page.getByRole('button', { name: 'Open Payment Manager' }).click();
    const row = page.getByRole('table', { name: 'Payments' }).getByRole('row').filter({ hasText: 'Walk-in Wanda' });
    await row.getByText('Entered by staff').waitFor();
    await row.getByText('none').waitFor();

    const payments = await apiCall(e, 'GET', '/payments?q=Walk-in%20Wanda');
    expect(payments.items).toHaveLength(1);
    expect(payments.items[0]).toMatchObject({
      origin: 'enter_payment',
      amountCents: 7550,
      account: 'trust',
      invoiceNumbers: ['INV-102'],
      postingRecordId: null,
      status: 'approved',
    });
    expect((await apiCall(e, 'GET', '/postings?view=all&q=Walk-in%20Wanda')).items).toEqual([]);
    await page.context().close();
  });

  it('Enter Payment with a declined card says so and makes nothing', async () => {
    const before = (await apiCall(e, 'GET', '/payments?limit=500')).items.length;
    const page = await e.pageAs('accountant', '/take/enter-payment');
    await page.getByLabel('Payer name').fill('Declined Dora');
    await page.getByLabel('Amount ($)').fill('20');
    await fillCard(page, '4000 0000 0000 0002');
    await page.getByRole('button', { name: 'Charge $20.00' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Payment declined' });
    // A generic decline is said once ("declined", not "declined (card declined)").
    await alert.getByText('The card was declined. No payment was made; try another card.').waitFor();
    // The form stays, to try another card.
    expect(await page.getByLabel('Payer name').inputValue()).toBe('Declined Dora');
    expect((await apiCall(e, 'GET', '/payments?q=Declined%20Dora')).items).toEqual([]);
    expect((await apiCall(e, 'GET', '/payments?limit=500')).items).toHaveLength(before);
    await page.context().close();
  });

  it('Quick Links: makes a link, lists it outstanding, and cancels it behind a confirmation', async () => {
    const page = await e.pageAs('accountant', '/take/quick-links');
    await page.getByRole('button', { name: 'New quick link' }).click();
    const dialog = page.getByRole('dialog', { name: 'New quick link' });
    await dialog.getByLabel('Amount ($)').fill('120');
    await dialog.getByLabel('Description').fill('Retainer top-up');
    await dialog.getByRole('button', { name: 'Create link' }).click();
    await dialog.getByText('Quick link ready').waitFor();
    const path = payerPath(e, await dialog.getByRole('textbox', { name: 'Quick link address' }).inputValue(), 'quick');
    const opened = await fetch(`${e.baseUrl}/api/v1${path}`);
    expect(opened.status).toBe(200);
    expect(await opened.json()).toMatchObject({
      amountCents: 12_000,
      description: 'Retainer top-up',
      status: 'outstanding',
    });
    // Sent by email from the same screen: queued for the payer, and said so.
    await dialog.getByLabel("Payer's email").fill('retainer@payer.test');
    await dialog.getByRole('button', { name: 'Send by email' }).click();
    await dialog.getByRole('status').filter({ hasText: 'Sent to retainer@payer.test.' }).waitFor();
    await dialog.getByRole('button', { name: 'Done' }).click();

    const table = page.getByRole('table', { name: 'Quick links' });
    const row = table.getByRole('row').filter({ hasText: 'Retainer top-up' });
    await row.getByText('outstanding', { exact: true }).waitFor();
    await row.getByText('$120.00').waitFor();
    await page.getByRole('button', { name: 'Cancel quick link Retainer top-up' }).click();
    const confirm = page.getByRole('dialog', { name: 'Cancel quick link' });
    await confirm.getByText(/Cancel the link for \$120\.00, “Retainer top-up”\?/).waitFor();
    await confirm.getByRole('button', { name: 'Cancel link' }).click();
    await page.getByRole('status').filter({ hasText: 'is cancelled; it can no longer be paid.' }).waitFor();
    await row.getByText('cancelled', { exact: true }).waitFor();
    expect(await page.getByRole('button', { name: 'Cancel quick link Retainer top-up' }).count()).toBe(0);
    await option(page, 'Outstanding').click();
    await page.getByText('No outstanding quick link.').waitFor();

    const links = await apiCall(e, 'GET', '/quick-links');
    expect(links.items.find((l: { description: string }) => l.description === 'Retainer top-up')).toMatchObject({
      status: 'cancelled',
      amountCents: 12_000,
    });
    expect((await fetch(`${e.baseUrl}/api/v1${path}`)).status).toBe(410);
    await page.context().close();
  });

  it('Payment Schedules: makes a monthly eCheck schedule, lists its next charge date, and cancels it', async () => {
    const startOn = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    const shown = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' }).format(
      new Date(`${startOn}T00:00:00Z`),
    );
    const page = await e.pageAs('accountant', '/take/schedules');
    await page.getByRole('button', { name: 'New payment schedule' }).click();
    const dialog = page.getByRole('dialog', { name: 'New payment schedule' });
    await dialog.getByLabel('Payer name').fill('Sched Sam');
    await dialog.getByLabel('Amount each time ($)').fill('300');
    await dialog.getByLabel('Description').fill('Monthly plan');
    await dialog.getByLabel('First charge on').fill(startOn);
    await dialog
      .getByTestId('upcoming-runs')
      .filter({ hasText: `Charges on ${shown},` })
      .waitFor();
    await option(dialog, 'eCheck (bank account)').click();
    await dialog.getByLabel('Routing number').fill('110000000');
    await dialog.getByLabel('Account number').fill('000123456789');
    await dialog.getByRole('button', { name: 'Create schedule' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page
      .getByRole('status')
      .filter({ hasText: `first charge on ${shown}.` })
      .waitFor();

    const row = page
      .getByRole('table', { name: 'Payment schedules' })
      .getByRole('row')
      .filter({ hasText: 'Sched Sam' });
    await row.getByText(shown, { exact: true }).waitFor();
    await row.getByText('eCheck ••6789').waitFor();
    await row.getByText('Monthly', { exact: true }).waitFor();
    await row.getByText('active', { exact: true }).waitFor();
    const made = (await apiCall(e, 'GET', '/payment-schedules')).items.find(
      (s: { payerName: string }) => s.payerName === 'Sched Sam',
    );
    expect(made).toMatchObject({
      status: 'active',
      nextRunOn: startOn,
      interval: 'monthly',
      amountCents: 30_000,
      method: 'echeck',
      runs: [],
    });

    await page.getByRole('button', { name: 'Cancel payment schedule of Sched Sam, Monthly plan' }).click();
    await page
      .getByRole('dialog', { name: 'Cancel payment schedule' })
      .getByRole('button', { name: 'Cancel schedule' })
      .click();
    await row.getByText('cancelled', { exact: true }).waitFor();
    expect(await row.getByText(shown, { exact: true }).count()).toBe(0);
    const cancelled = (await apiCall(e, 'GET', '/payment-schedules')).items.find(
      (s: { id: string }) => s.id === made.id,
    );
    expect(cancelled).toMatchObject({ status: 'cancelled', nextRunOn: null });
    await page.context().close();
  });

  it('Payment Schedules: ends after N payments or when an invoice is paid, and shows a declined charge with its retry date', async () => {
    const today = calendarDateIn(new Date(), 'America/New_York');
    const shown = (iso: string) =>
      new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`));
    const page = await e.pageAs('accountant', '/take/schedules');
    const create = async (payer: string, card: string, ends: (dialog: Locator) => Promise<void>) => {
      await page.getByRole('button', { name: 'New payment schedule' }).click();
      const dialog = page.getByRole('dialog', { name: 'New payment schedule' });
      await dialog.getByLabel('Payer name').fill(payer);
      await dialog.getByLabel('Amount each time ($)').fill('250');
      await dialog.getByLabel('Description').fill('Payment plan');
      await option(dialog, 'Weekly').click();
      await ends(dialog);
      await fillCard(dialog, card);
      await dialog.getByRole('button', { name: 'Create schedule' }).click();
      await dialog.waitFor({ state: 'detached' });
    };
    await create('Count Cora', '4242 4242 4242 4242', async (dialog) => {
      await option(dialog, 'After N payments').click();
      await dialog.getByLabel('Number of payments').fill('3');
    });
    await create('Invoice Ivan', '4000 0000 0000 0002', async (dialog) => {
      await option(dialog, 'When the invoice is paid').click();
      await dialog.getByLabel('Search invoices').fill('INV-103');
      await dialog.getByRole('button', { name: 'Add invoice INV-103' }).click();
      await dialog.getByText('Until invoice INV-103 is paid', { exact: false }).waitFor();
    });
    const items = (await apiCall(e, 'GET', '/payment-schedules')).items;
    const byPayer = (name: string) => items.find((s: { payerName: string }) => s.payerName === name);
    expect(byPayer('Count Cora')).toMatchObject({ endAfterCount: 3, paymentsMade: 0, status: 'active' });
    expect(byPayer('Invoice Ivan')).toMatchObject({ untilInvoicePaid: true, invoiceNumber: 'INV-103' });

    // The server's scheduler runs both today: Cora's card is charged, Ivan's is declined.
    await runDueSchedules(e.t.conn.db, new SandboxProcessor(e.t.conn.db));
    await page.reload();
    const table = page.getByRole('table', { name: 'Payment schedules' });
    const cora = table.getByRole('row').filter({ hasText: 'Count Cora' });
    await cora.getByText('1 of 3', { exact: true }).waitFor();
    await cora.getByText('Ends: After 3 payments').waitFor();
    const ivan = table.getByRole('row').filter({ hasText: 'Invoice Ivan' });
    await ivan.getByText('Ends: When INV-103 is paid').waitFor();
    await ivan.getByText(`${shown(today)}: card declined`).waitFor();
    await ivan.getByText(`Retry on ${shown(addDays(today, 1))}`).waitFor();
    await ivan.getByText('declined', { exact: true }).waitFor();
    for (const name of ['Count Cora', 'Invoice Ivan'])
      await apiCall(e, 'POST', `/payment-schedules/${byPayer(name).id}/cancel`, {});
    await page.context().close();
  });

  it('a viewer reads quick links and schedules but sees no screen or button that takes money or changes them', async () => {
    const { token } = await apiCall(e, 'POST', '/sandbox/tokens', {
      cardNumber: '4242424242424242',
      expMonth: 12,
      expYear: 2030,
      cvc: '123',
    });
    const startOn = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    await apiCall(e, 'POST', '/payment-schedules', {
      token,
      amountCents: 5000,
      account: 'operating',
      description: 'Viewer sees me',
      payerName: 'Vera Active',
      interval: 'weekly',
      startOn,
    });
    await apiCall(e, 'POST', '/quick-links', { amountCents: 4200, description: 'Outstanding for the viewer' });

    const page = await e.pageAs('viewer', '/take/quick-links');
    const nav = page.getByRole('navigation', { name: 'Screens' });
    await nav.getByRole('link', { name: 'Quick Links' }).waitFor();
    await nav.getByRole('link', { name: 'Payment Schedules' }).waitFor();
    for (const name of ['Make A Payment', 'Enter Payment'])
      expect(await nav.getByRole('link', { name }).count(), name).toBe(0);

    const links = page.getByRole('table', { name: 'Quick links' });
    await links
      .getByRole('row')
      .filter({ hasText: 'Outstanding for the viewer' })
      .getByText('outstanding', { exact: true })
      .waitFor();
    expect(await page.getByRole('button', { name: 'New quick link' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Cancel quick link/ }).count()).toBe(0);

    await nav.getByRole('link', { name: 'Payment Schedules' }).click();
    await page
      .getByRole('table', { name: 'Payment schedules' })
      .getByRole('row')
      .filter({ hasText: 'Vera Active' })
      .getByText('active', { exact: true })
      .waitFor();
    expect(await page.getByRole('button', { name: 'New payment schedule' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Cancel payment schedule/ }).count()).toBe(0);

    // Typed in by hand, the paying screens say they are not for viewers and offer nothing to press.
    for (const path of ['/take/make-payment', '/take/enter-payment']) {
      await page.goto(`${e.baseUrl}${path}`);
      await page.getByText("Taking payments is for the firm's accountants and admins.").waitFor();
      expect(await page.getByRole('button', { name: /^(Pay|Charge|Create payment link)/ }).count(), path).toBe(0);
      expect(await page.getByLabel('Card number').count(), path).toBe(0);
    }
    await page.context().close();
  });
});
