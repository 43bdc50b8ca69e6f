import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncBasicMms, takePayment } from '../support/fixtures.ts';
import { postAndDeliver } from './fixtures.ts';
import { saveShot } from './support/browser.ts';
import { ManagePostingsPage } from './support/pages.ts';
import { DESKTOP, PHONE } from './support/payer.ts';
import { apiCall, startE2e, type E2e } from './support/server.ts';

/** $100.00 for INV-100 and a $3.00 surcharge, taken in January: long settled, so only a refund can send money back. */
const SETTLED = {
  payerName: 'Rita Refund',
  invoiceNumbers: ['INV-100'],
  amountCents: 10_300,
  surchargeCents: 300,
  cardFunding: 'credit',
  processedAt: '2026-01-15T15:00:00.000Z',
};

// Issue 13 (SPEC §3.5) in the browser: a partial refund from the Payment Manager of a
// payment whose record is posted, the Refund record it makes in Manage Postings, linked
// both ways to its original, and its memo edited; Void only until a payment settles.
describe('refunds and reversal records in the browser', () => {
  let e: E2e;
  let rita: Awaited<ReturnType<typeof takePayment>>;

  beforeAll(async () => {
    e = await startE2e('E2EF');
    await syncBasicMms(e.t, e.firm);
    rita = await takePayment(e.t, e.firm, SETTLED);
    await postAndDeliver(e, [rita.postingRecord.id]);
    expect((await apiCall(e, 'GET', `/postings/${rita.postingRecord.id}`)).status).toBe('posted');
    // Taken just now: not settled, so it can still be voided.
    await takePayment(e.t, e.firm, { payerName: 'Nell Now', processedAt: new Date().toISOString() });
  });
  afterAll(async () => e?.close());

  it('refunds part of a settled payment, which makes a Refund record linked both ways to its original, whose memo can be edited', async () => {
    const page = await e.pageAs('accountant', '/payments');
    const payments = page.getByRole('table', { name: 'Payments' });
    const row = payments.getByRole('row').filter({ hasText: 'Rita Refund' });
    await row.waitFor();

    // Void is gone where it was, and the menu says why.
    const [settled] = (await apiCall(e, 'GET', '/payments?q=Rita%20Refund')).items;
    expect(settled).toMatchObject({ voidable: false, refundedCents: 0, settlesOn: '2026-01-16' });
    await page.getByRole('button', { name: /^Reverse payment of Rita Refund/ }).click();
    const menu = page.getByRole('menu');
    await menu.getByText('Settled on Jan 16, 2026: refund instead').waitFor();
    expect(await menu.getByRole('menuitem', { name: 'Void' }).count()).toBe(0);
    await saveShot(page, 'refund-1-menu');
    await menu.getByRole('menuitem', { name: 'Refund…' }).click();

    const dialog = page.getByRole('dialog', { name: 'Refund payment' });
    const amount = dialog.getByLabel('Refund amount ($)');
    expect(await amount.inputValue()).toBe('103.00');
    await dialog.getByText('Up to $103.00 can be refunded.').waitFor();
    await dialog
      .getByText(
        'A partial refund returns part of the $100.00 receipt; the $3.00 surcharge goes back only with a full refund of $103.00.',
      )
      .waitFor();
    await dialog.getByRole('button', { name: 'Refund $103.00' }).waitFor();
    await saveShot(page, 'refund-2-dialog');
    // A partial refund may not reach into the surcharge: said before anything is sent.
    await amount.fill('101');
    await dialog
      .getByText(
        "A partial refund returns part of the payment's $100.00 receipt; refund all $103.00 to return the surcharge too.",
      )
      .waitFor();
    expect(await dialog.getByRole('button', { name: 'Refund', exact: true }).isDisabled()).toBe(true);
    await saveShot(page, 'refund-2b-dialog-refused');
    await amount.fill('25');
    await page.setViewportSize(PHONE);
    await saveShot(page, 'refund-3-dialog-phone');
    await page.setViewportSize(DESKTOP);
    await dialog.getByRole('button', { name: 'Refund $25.00' }).click();

    await page
      .getByRole('status')
      .filter({
        hasText: 'Refunded $25.00 of $103.00. A reversal record (Refund) of -$25.00 is pending in Manage Postings.',
      })
      .waitFor();
    await row.getByText('Refunded $25.00 of $103.00').waitFor();
    await saveShot(page, 'refund-4-payments');
    const [refunded] = (await apiCall(e, 'GET', '/payments?q=Rita%20Refund')).items;
    expect(refunded).toMatchObject({ status: 'approved', refundedCents: 2500, voidable: false });

    // Manage Postings: the negative record for that amount, labelled Refund beside its amount.
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Manage Postings' }).click();
    const postings = new ManagePostingsPage(page);
    await postings.openView('Pending');
    const refundRow = postings.row('Rita Refund');
    await refundRow.getByText('Refund', { exact: true }).waitFor();
    await refundRow.getByText('-$25.00').waitFor();
    expect(await refundRow.count()).toBe(1);
    await saveShot(page, 'refund-5-pending');

    // Its drawer: read-only lines, nothing left to allocate, and a link to its original.
    await page.getByRole('button', { name: /^Edit Posting Record: Rita Refund Refund -\$25\.00 / }).click();
    const drawer = page.getByRole('dialog', { name: 'Edit Posting Record' });
    const lines = drawer.getByRole('table', { name: 'Allocations' });
    await lines.getByRole('row').filter({ hasText: 'INV-100' }).getByText('-$25.00').waitFor();
    expect(await drawer.getByTestId('left-to-allocate').count()).toBe(0);
    expect(await drawer.getByRole('textbox', { name: /^Amount for/ }).count()).toBe(0);
    await drawer.getByText('Only the memo can change.').waitFor();
    await saveShot(page, 'refund-6-drawer');
    const original = rita.postingRecord.id.slice(0, 8);
    await drawer.getByRole('button', { name: `Reverses record ${original}` }).click();

    // The original, posted, lists its reversal; that link leads back.
    const view = page.getByRole('dialog', { name: 'Posting record' });
    await view.getByText(`Record ${original}`).waitFor();
    const reversals = view.getByRole('list', { name: 'Reversals of this record' });
    await reversals.getByText('pending').waitFor();
    await saveShot(page, 'refund-7-original');
    await reversals.getByRole('button', { name: /^Open the Refund record \w+ of -\$25\.00$/ }).click();

    const back = page.getByRole('dialog', { name: 'Edit Posting Record' });
    await back.getByRole('button', { name: `Reverses record ${original}` }).waitFor();
    await back.getByLabel('Memo (A/R message)').fill('Refund of the March retainer overpayment');
    await back.getByRole('button', { name: 'Save' }).click();
    await back.waitFor({ state: 'detached' });
    await page.getByText('It is now pending.').waitFor();

    const record = (await apiCall(e, 'GET', '/postings?view=pending&q=Rita%20Refund')).items[0];
    expect(record).toMatchObject({
      reversalOf: rita.postingRecord.id,
      reversalKind: 'refund',
      amountCents: -2500,
      memo: 'Refund of the March retainer overpayment',
      status: 'pending',
    });
    expect(record.allocations).toEqual([
      { invoiceNumber: 'INV-100', clientNumber: 'C1', matterNumber: 'M1', amountCents: -2500 },
    ]);
    await page.context().close();
  });

  it('offers Void on a payment taken today, until it settles', async () => {
    const page = await e.pageAs('accountant', '/payments');
    await page.getByRole('button', { name: /^Reverse payment of Nell Now/ }).click();
    await page.getByRole('menu').getByRole('menuitem', { name: 'Void' }).waitFor();
    expect(
      await page
        .getByRole('menu')
        .getByText(/refund instead/)
        .count(),
    ).toBe(0);
    await page.context().close();
  });
});
