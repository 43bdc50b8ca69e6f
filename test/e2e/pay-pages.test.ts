import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../support/app.ts';
import { syncBasicMms } from '../support/fixtures.ts';
import { BANK, CARDS } from '../support/processor.ts';
import { ManagePostingsPage } from './support/pages.ts';
import { PayerPage, PHONE } from './support/payer.ts';
import { apiCall, startE2e, type E2e } from './support/server.ts';

const FIRM = 'E2EPAY';
const DECLINED = 'The card was declined. No payment was made; try another card.';

interface PaymentRow {
  id: string;
  processorId: string;
  amountCents: number;
  surchargeCents: number;
  origin: string;
  method: string;
  cardBrand: string | null;
  cardFunding: string | null;
  last4: string | null;
  paymentPageId: string | null;
  postingRecordId: string | null;
}

// The payer's pages, driven as a payer would (a browser that never signed in), checked
// against what the server stored. The tests run in order: each pays against the balances
// the earlier ones left (C1's INV-100..102 and C2's INV-103..104, $1,000 each).
describe('public payment pages in the browser', () => {
  let e: E2e;
  const pages: Record<string, string> = {};
  const opened: PayerPage[] = [];

  const payerPage = async (path: string, viewport?: typeof PHONE) => {
    const payer = await PayerPage.open(e, path, viewport);
    opened.push(payer);
    return payer;
  };
  const paymentsOf = async (payerName: string): Promise<PaymentRow[]> =>
    (await apiCall(e, 'GET', `/payments?q=${encodeURIComponent(payerName)}`)).items;
  const recordsOf = async (payerName: string) =>
    (await apiCall(e, 'GET', `/postings?view=all&q=${encodeURIComponent(payerName)}`)).items as { id: string }[];

  beforeAll(async () => {
    // Room for every request the file makes from 127.0.0.1 in a minute; the last test uses it up.
    e = await startE2e(FIRM, { payRequestsPerMinute: 60 });
    await syncBasicMms(e.t, e.firm);
    const page = async (slug: string, body: object) => {
      const res = await call(e.t, e.firm.admin, 'POST', '/payment-pages', { slug, account: 'operating', ...body });
      expect(res.statusCode, res.body).toBe(201);
      pages[slug] = res.json().id;
      return res.json().id as string;
    };
    await page('e2e-pay', { name: 'Pay your invoice', createPostingRecord: true });
    await page('e2e-pay-fee', { name: 'Card payments', createPostingRecord: true, surchargeBps: 300 });
    await page('e2e-pay-norec', { name: 'Pay without a record', createPostingRecord: false });
    await page('e2e-pay-trust', {
      name: 'Trust deposits',
      account: 'trust',
      createPostingRecord: true,
      surchargeBps: 250,
    });
    const off = await page('e2e-pay-off', { name: 'Retired page', createPostingRecord: true });
    expect((await call(e.t, e.firm.admin, 'PATCH', `/payment-pages/${off}`, { enabled: false })).statusCode).toBe(200);
  });
  afterAll(async () => {
    for (const payer of opened) await payer.close().catch(() => undefined);
    await e?.close();
  });

  it('pays part of an invoice by card, shows the receipt, and the record appears in Manage Postings with the person icon', async () => {
    const payer = await payerPage('/pay/e2e-pay');
    await payer.heading(`${FIRM} LLP`).waitFor();
    await payer.page.getByText('Pay your invoice').waitFor();
    await payer.shot('desktop-1-lookup');
    await payer.lookUp('C1', { invoiceNumber: 'INV-101' });
    await payer.page.getByText('Acme Holdings (client C1)').waitFor();
    // Every open invoice of the client, the one looked up ticked and in full.
    expect(await payer.invoice('INV-100').isChecked()).toBe(false);
    expect(await payer.invoice('INV-101').isChecked()).toBe(true);
    expect(await payer.invoice('INV-102').isChecked()).toBe(false);
    expect(await payer.amount('INV-101').inputValue()).toBe('1000.00');
    // No surcharge on this page: the total alone.
    expect(await payer.page.getByText(/^Surcharge/).count()).toBe(0);

    await payer.amount('INV-101').fill('250.50');
    await payer.total('Total to be charged', '$250.50').waitFor();
    await payer.fillPayer('Pat Partial', 'pat@acme.test');
    await payer.fillCard(CARDS.visa);
    await payer.payButton('$250.50').click();

    await payer.receipt().waitFor();
    await payer.shot('desktop-4-receipt');
    expect(await payer.fact('Paid to')).toBe(`${FIRM} LLP`);
    expect(await payer.fact('For')).toBe('Pay your invoice');
    expect(await payer.fact('Paid by')).toBe('Pat Partial');
    expect(await payer.fact('Paid with')).toBe('Visa ending in 4242');
    expect(await payer.fact('Deposited to')).toBe('Operating account');
    await payer
      .receipt()
      .getByRole('table', { name: 'Invoices paid' })
      .getByRole('row', { name: 'Invoice INV-101 Matter M1 $250.50' })
      .waitFor();
    await payer.total('Total charged', '$250.50', payer.receipt()).waitFor();
    await payer.receipt().getByRole('button', { name: 'Print receipt' }).waitFor();
    // Printed, the receipt is the page: no button, no footer.
    await payer.page.emulateMedia({ media: 'print' });
    expect(await payer.receipt().getByRole('button', { name: 'Print receipt' }).isVisible()).toBe(false);
    expect(await payer.page.getByText(/^Card and bank details go straight/).isVisible()).toBe(false);
    expect(await payer.receipt().getByText('Visa ending in 4242').isVisible()).toBe(true);
    await payer.shot('desktop-5-receipt-print');
    await payer.page.emulateMedia({ media: 'screen' });
    // A payer's page never asks who is signed in.
    expect(payer.apiPaths).not.toContain('/api/v1/me');

    const [payment, ...others] = await paymentsOf('Pat Partial');
    expect(others).toEqual([]);
    expect(payment).toMatchObject({
      amountCents: 25_050,
      surchargeCents: 0,
      origin: 'payment_page',
      method: 'card',
      cardBrand: 'visa',
      last4: '4242',
      paymentPageId: pages['e2e-pay'],
    });
    expect(await payer.fact('Confirmation number')).toBe(payment!.processorId);
    const record = await apiCall(e, 'GET', `/postings/${payment!.postingRecordId}`);
    expect(record).toMatchObject({ status: 'pending', fromPaymentPage: true, amountCents: 25_050 });
    expect(record.allocations).toEqual([
      { invoiceNumber: 'INV-101', clientNumber: 'C1', matterNumber: 'M1', amountCents: 25_050 },
    ]);

    const staff = await e.pageAs('accountant');
    const postings = new ManagePostingsPage(staff);
    await postings.openView('Pending');
    await postings.row('Pat Partial').getByRole('img', { name: 'Created via a payment page' }).waitFor();
    await postings.row('Pat Partial').getByText('$250.50').waitFor();
    await staff.context().close();
  });

  it('shows a decline in words, keeps the form filled, creates nothing, and takes another card', async () => {
    const payer = await payerPage('/pay/e2e-pay');
    await payer.lookUp('C1', { invoiceNumber: 'INV-100' });
    await payer.amount('INV-100').fill('100');
    await payer.fillPayer('Dee Declined');
    await payer.fillCard(CARDS.declined);
    await payer.payButton('$100.00').click();
    await payer.alert().filter({ hasText: 'Payment declined' }).filter({ hasText: DECLINED }).waitFor();
    await payer.shot('desktop-3-decline');
    expect(await payer.page.getByRole('textbox', { name: 'Card number' }).inputValue()).toBe(CARDS.declined);
    expect(await payer.page.getByRole('textbox', { name: 'Your name' }).inputValue()).toBe('Dee Declined');
    expect(await payer.amount('INV-100').inputValue()).toBe('100');
    expect(await payer.receipt().count()).toBe(0);
    expect(await paymentsOf('Dee Declined')).toEqual([]);
    expect(await recordsOf('Dee Declined')).toEqual([]);

    await payer.fillCard(CARDS.visa);
    await payer.payButton('$100.00').click();
    await payer.receipt().waitFor();
    expect(await payer.fact('Paid with')).toBe('Visa ending in 4242');
    expect((await paymentsOf('Dee Declined')).map((p) => p.amountCents)).toEqual([10_000]);
  });

  it('adds the surcharge, rounded half up, only once the card number says credit, on a 390 px phone', async () => {
    const payer = await payerPage('/pay/e2e-pay-fee', PHONE);
    await payer.page.getByText('Card payments').waitFor();
    await payer.lookUp('C2', { matterNumber: 'M1' });
    await payer.page.getByText('Matter M1: Estate planning').waitFor();
    // Looked up by matter: nothing is ticked for the payer.
    expect(await payer.invoice('INV-103').isChecked()).toBe(false);
    await payer.invoice('INV-103').check();
    await payer.amount('INV-103').fill('100.01');
    await payer.invoice('INV-104').check();
    await payer.amount('INV-104').fill('$0.50');
    // Before the card is known: the rule is said, and no surcharge is counted.
    const note = payer.page.getByRole('status', { name: 'Surcharge' });
    await note.getByText(/3% is added to credit card payments\. There is none on a debit or prepaid card/).waitFor();
    await payer.total('Total to be charged', '$100.51').waitFor();
    expect(await payer.page.getByRole('rowheader', { name: /^Surcharge/ }).count()).toBe(0);

    // An amount over what is due is named before anything is sent.
    await payer.amount('INV-104').fill('1000.01');
    await payer.page.getByText('Enter no more than the $1,000.00 due').waitFor();
    await payer.amount('INV-104').fill('0.50');

    await payer.fillPayer('Sam Surcharge');
    // A debit card: no surcharge, as soon as its first six digits are typed.
    await payer.page.getByRole('textbox', { name: 'Card number' }).fill('4000 05');
    await note.getByText('No surcharge on a debit card.').waitFor();
    await payer.total('Total to be charged', '$100.51').waitFor();
    await payer.shot('phone-surcharge-1-debit');
    // A credit card: 10,051 cents at 3% is 301.53 cents: 302.
    await payer.fillCard(CARDS.visa);
    await note.getByText('A surcharge of 3% is added to this credit card payment.').waitFor();
    await payer.total('Payment', '$100.51').waitFor();
    await payer.total('Surcharge (3%)', '$3.02').waitFor();
    await payer.total('Total to be charged', '$103.53').waitFor();
    await payer.shot('phone-surcharge-2-credit');
    expect(await payer.overflowsSideways()).toBe(false);
    await payer.payButton('$103.53').click();
    await payer.receipt().waitFor();
    await payer.total('Payment', '$100.51', payer.receipt()).waitFor();
    await payer.total('Surcharge', '$3.02', payer.receipt()).waitFor();
    await payer.total('Total charged', '$103.53', payer.receipt()).waitFor();
    const [payment] = await paymentsOf('Sam Surcharge');
    expect(payment).toMatchObject({ amountCents: 10_353, surchargeCents: 302, method: 'card', cardFunding: 'credit' });
    const record = await apiCall(e, 'GET', `/postings/${payment!.postingRecordId}`);
    expect(record).toMatchObject({ amountCents: 10_051, surchargeCents: 302 });

    // An eCheck on the same page: no surcharge shown, charged or stored.
    await payer.page.reload();
    await payer.lookUp('C2', { invoiceNumber: 'INV-103' });
    await payer.amount('INV-103').fill('5');
    await payer.fillPayer('Ed Echeck');
    await payer.fillBank(BANK.routing, BANK.approves);
    await note.getByText('No surcharge on an eCheck.').waitFor();
    await payer.payButton('$5.00').click();
    await payer.receipt().waitFor();
    expect(await payer.fact('Paid with')).toBe('eCheck from the bank account ending in 6789');
    const [echeck] = await paymentsOf('Ed Echeck');
    expect(echeck).toMatchObject({ amountCents: 500, surchargeCents: 0, method: 'echeck', cardFunding: null });
  });

  it('pays several invoices at once as one payment with one allocation per invoice', async () => {
    const payer = await payerPage('/pay/e2e-pay');
    await payer.lookUp('C1', { matterNumber: 'M1' });
    // INV-100 has $100.00 pending from the decline test's second card: $900.00 is still due.
    await payer.invoice('INV-100').check();
    expect(await payer.amount('INV-100').inputValue()).toBe('900.00');
    await payer.invoice('INV-102').check();
    await payer.total('Total to be charged', '$1,900.00').waitFor();
    await payer.fillPayer('Mia Many');
    await payer.fillCard(CARDS.amex, '1234');
    await payer.payButton('$1,900.00').click();
    await payer.receipt().waitFor();
    const lines = payer.receipt().getByRole('table', { name: 'Invoices paid' });
    await lines.getByRole('row', { name: 'Invoice INV-100 Matter M1 $900.00' }).waitFor();
    await lines.getByRole('row', { name: 'Invoice INV-102 Matter M1 $1,000.00' }).waitFor();
    expect(await payer.fact('Paid with')).toBe('American Express ending in 0005');

    const payments = await paymentsOf('Mia Many');
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({ amountCents: 190_000, cardBrand: 'amex' });
    const record = await apiCall(e, 'GET', `/postings/${payments[0]!.postingRecordId}`);
    expect(record.status).toBe('pending');
    expect(record.allocations).toEqual([
      { invoiceNumber: 'INV-100', clientNumber: 'C1', matterNumber: 'M1', amountCents: 90_000 },
      { invoiceNumber: 'INV-102', clientNumber: 'C1', matterNumber: 'M1', amountCents: 100_000 },
    ]);

    // Paid in full, the two invoices are no longer offered.
    await payer.page.reload();
    await payer.lookUp('C1', { invoiceNumber: 'INV-101' });
    await payer.invoice('INV-101').waitFor();
    expect(await payer.invoice('INV-100').count()).toBe(0);
    expect(await payer.invoice('INV-102').count()).toBe(0);
  });

  it('makes a payment but no posting record on a page without "create a posting record"', async () => {
    const payer = await payerPage('/pay/e2e-pay-norec');
    await payer.lookUp('C2', { invoiceNumber: 'INV-103' });
    await payer.amount('INV-103').fill('10');
    await payer.fillPayer('Nora Norecord');
    await payer.fillCard(CARDS.visa);
    await payer.payButton('$10.00').click();
    await payer.receipt().waitFor();

    const [payment] = await paymentsOf('Nora Norecord');
    expect(payment).toMatchObject({
      amountCents: 1_000,
      origin: 'payment_page',
      paymentPageId: pages['e2e-pay-norec'],
      postingRecordId: null,
    });
    expect(await recordsOf('Nora Norecord')).toEqual([]);
    const staff = await e.pageAs('accountant', '/payments');
    await staff
      .getByRole('table', { name: 'Payments' })
      .getByRole('row')
      .filter({ hasText: 'Nora Norecord' })
      .waitFor();
    await staff.context().close();
  });

  it('takes a trust deposit for a matter on a trust page, with its surcharge', async () => {
    const payer = await payerPage('/pay/e2e-pay-trust');
    await payer.page.getByRole('heading', { name: 'Find your matter' }).waitFor();
    expect(await payer.page.getByRole('textbox', { name: 'Invoice number' }).count()).toBe(0);
    await payer.lookUp('C3', { matterNumber: 'M9' });
    await payer.page.getByText('Matter M9: Escrow').waitFor();
    await payer.page.getByRole('textbox', { name: 'Amount' }).fill('500');
    await payer.fillPayer('Tess Trust');
    await payer.fillCard(CARDS.visa);
    // A credit card: 50,000 cents at 2.5% is 1,250 cents.
    await payer.total('Surcharge (2.5%)', '$12.50').waitFor();
    await payer.total('Total to be charged', '$512.50').waitFor();
    await payer.payButton('$512.50').click();
    await payer.receipt().waitFor();
    expect(await payer.fact('Deposited to')).toBe('Trust account');
    await payer
      .receipt()
      .getByRole('table', { name: 'Held in trust' })
      .getByRole('row', { name: 'Matter M9 Client C3 $500.00' })
      .waitFor();
    await payer.total('Total charged', '$512.50', payer.receipt()).waitFor();

    const [payment] = await paymentsOf('Tess Trust');
    expect(payment).toMatchObject({ amountCents: 51_250, surchargeCents: 1_250, postingRecordId: expect.any(String) });
    const record = await apiCall(e, 'GET', `/postings/${payment!.postingRecordId}`);
    expect(record).toMatchObject({ status: 'pending', account: 'trust', amountCents: 50_000, fromPaymentPage: true });
    expect(record.allocations).toEqual([
      { invoiceNumber: null, clientNumber: 'C3', matterNumber: 'M9', amountCents: 50_000 },
    ]);
  });

  it('lets a browser that is signed in to paybridge pay on the page too, with no sign-in asked', async () => {
    const staff = await e.pageAs('viewer', '/pay/e2e-pay-norec');
    const payer = new PayerPage(staff);
    await payer.heading(`${FIRM} LLP`).waitFor();
    await payer.lookUp('C2', { invoiceNumber: 'INV-104' });
    await payer.amount('INV-104').fill('1');
    await payer.fillPayer('Vic Viewer');
    await payer.fillCard(CARDS.visa);
    await payer.payButton('$1.00').click();
    await payer.receipt().waitFor();
    expect(await paymentsOf('Vic Viewer')).toHaveLength(1);
    await staff.context().close();
  });

  it('pays a payment link from Make A Payment, and says so once it is paid', async () => {
    const link = await apiCall(e, 'POST', '/payment-links', {
      allocations: [{ invoiceNumber: 'INV-101', amountCents: 12_345 }],
      payerName: 'Lina Link',
    });
    const payer = await payerPage(link.path);
    await payer.heading(`${FIRM} LLP`).waitFor();
    await payer.page
      .getByRole('table', { name: 'Invoices to pay' })
      .getByRole('row', { name: 'Invoice INV-101 Client C1 · Matter M1 $123.45' })
      .waitFor();
    await payer.page.getByText(/^This link can be paid until /).waitFor();
    // The name staff gave is filled in; the payer may change it.
    expect(await payer.page.getByRole('textbox', { name: 'Your name' }).inputValue()).toBe('Lina Link');
    await payer.shot('desktop-6-payment-link');
    await payer.fillCard(CARDS.visa);
    await payer.payButton('$123.45').click();
    await payer.receipt().waitFor();
    expect(await payer.fact('For')).toBe('Invoice payment');
    expect(await payer.fact('Paid with')).toBe('Visa ending in 4242');
    await payer.receipt().getByRole('row', { name: 'Invoice INV-101 Matter M1 $123.45' }).waitFor();

    const [payment] = await paymentsOf('Lina Link');
    expect(payment).toMatchObject({ amountCents: 12_345, origin: 'connect' });
    expect(await payer.fact('Confirmation number')).toBe(payment!.processorId);
    const links = (await apiCall(e, 'GET', '/payment-links')).items as {
      id: string;
      status: string;
      paymentId: string | null;
    }[];
    expect(links.find((l) => l.id === link.id)).toMatchObject({ status: 'paid', paymentId: payment!.id });

    await payer.page.reload();
    await payer.page.getByText('This payment link has already been paid').waitFor();
    expect(await payer.payButton().count()).toBe(0);
  });

  it('says clearly that a payment link has expired, when it is opened and when it runs out while the payer types', async () => {
    const link = await apiCall(e, 'POST', '/payment-links', {
      allocations: [{ invoiceNumber: 'INV-101', amountCents: 500 }],
    });
    const payer = await payerPage(link.path);
    await payer.payButton('$5.00').waitFor();
    // The clock moves past the link's 24 hours while the page is open.
    await e.t.conn.db
      .updateTable('links')
      .set({ expires_at: new Date(Date.now() - 60_000) })
      .where('id', '=', link.id)
      .execute();
    await payer.fillPayer('Eve Expired');
    await payer.fillCard(CARDS.visa);
    await payer.payButton('$5.00').click();
    await payer.heading('This payment link has expired').waitFor();
    await payer.page.getByText('Ask the firm to send you a new one.').waitFor();
    expect(await paymentsOf('Eve Expired')).toEqual([]);

    const again = await payerPage(link.path);
    await again.heading('This payment link has expired').waitFor();
    await again.shot('desktop-8-link-expired');
    const unknown = await payerPage(`/pay/link/pl_${'x'.repeat(43)}`);
    await unknown.heading('This payment link does not exist').waitFor();
  });

  it('pays a quick link for its amount and description, with no posting record', async () => {
    const quick = await apiCall(e, 'POST', '/quick-links', {
      amountCents: 5_000,
      description: 'Retainer top-up, March',
    });
    const payer = await payerPage(quick.path);
    await payer.heading(`${FIRM} LLP`).waitFor();
    await payer.page
      .getByRole('table', { name: 'Amount due' })
      .getByRole('row', { name: 'Retainer top-up, March $50.00' })
      .waitFor();
    await payer.shot('desktop-7-quick-link');
    await payer.fillPayer('Quin Quick');
    await payer.fillCard('5555 5555 5555 4444');
    await payer.payButton('$50.00').click();
    await payer.receipt().waitFor();
    expect(await payer.fact('For')).toBe('Retainer top-up, March');
    expect(await payer.fact('Paid with')).toBe('Mastercard ending in 4444');

    const [payment] = await paymentsOf('Quin Quick');
    expect(payment).toMatchObject({ amountCents: 5_000, origin: 'quick_link', postingRecordId: null });
    const links = (await apiCall(e, 'GET', '/quick-links')).items as { id: string; status: string }[];
    expect(links.find((l) => l.id === quick.id)?.status).toBe('paid');
    await payer.page.reload();
    await payer.page.getByText('This quick link has already been paid').waitFor();
  });

  it('says a quick link was cancelled or has expired, and a cancelled one cannot be paid from a page left open', async () => {
    const cancelled = await apiCall(e, 'POST', '/quick-links', { amountCents: 2_000, description: 'Filing fee' });
    const payer = await payerPage(cancelled.path);
    await payer.payButton('$20.00').waitFor();
    await apiCall(e, 'POST', `/quick-links/${cancelled.id}/cancel`, {});
    await payer.fillPayer('Cal Cancelled');
    await payer.fillCard(CARDS.visa);
    await payer.payButton('$20.00').click();
    await payer.heading('This quick link was cancelled').waitFor();
    expect(await paymentsOf('Cal Cancelled')).toEqual([]);

    const expired = await apiCall(e, 'POST', '/quick-links', {
      amountCents: 2_000,
      description: 'Copy charges',
      expiresInDays: 1,
    });
    await e.t.conn.db
      .updateTable('links')
      .set({ expires_at: new Date(Date.now() - 60_000) })
      .where('id', '=', expired.id)
      .execute();
    const late = await payerPage(expired.path);
    await late.heading('This quick link has expired').waitFor();
    await late.page.getByText('Ask the firm to send you a new one.').waitFor();
  });

  it('shows "not available" for an unknown or disabled page, without asking anyone to sign in', async () => {
    for (const slug of ['no-such-page', 'e2e-pay-off', 'Not A Slug!']) {
      const payer = await payerPage(`/pay/${encodeURIComponent(slug)}`);
      await payer.heading('This payment page is not available').waitFor();
      if (slug === 'no-such-page') await payer.shot('desktop-9-not-available');
      expect(await payer.page.getByLabel('Password').count()).toBe(0);
      expect(payer.apiPaths).not.toContain('/api/v1/me');
    }
  });

  it('works on a 390px phone: lookup, surcharge, decline and receipt, with nothing to scroll sideways', async () => {
    const payer = await payerPage('/pay/e2e-pay-fee', PHONE);
    await payer.heading(`${FIRM} LLP`).waitFor();
    await payer.shot('phone-1-lookup');
    expect(await payer.overflowsSideways()).toBe(false);
    await payer.lookUp('C2', { invoiceNumber: 'INV-103' });
    await payer.amount('INV-103').fill('5');
    await payer.fillPayer('Phoebe Phone');
    await payer.fillCard(CARDS.insufficientFunds);
    // A credit card: 500 cents at 3% is 15 cents.
    await payer.total('Surcharge (3%)', '$0.15').waitFor();
    await payer.total('Total to be charged', '$5.15').waitFor();
    expect(await payer.overflowsSideways()).toBe(false);
    await payer.shot('phone-2-pick-with-surcharge');
    await payer.payButton('$5.15').click();
    await payer.alert().filter({ hasText: 'The card was declined (insufficient funds).' }).waitFor();
    await payer.shot('phone-3-decline');
    await payer.fillCard(CARDS.visa);
    await payer.payButton('$5.15').click();
    await payer.receipt().waitFor();
    await payer.total('Total charged', '$5.15', payer.receipt()).waitFor();
    // The receipt starts at its top, though Pay was at the foot of a long form.
    expect(await payer.page.evaluate(() => window.scrollY)).toBe(0);
    expect(await payer.overflowsSideways()).toBe(false);
    await payer.shot('phone-4-receipt');
  });

  // Last: it uses up this address's allowance for a minute.
  it('asks the payer to wait a minute once too many requests came from their address', async () => {
    const payer = await payerPage('/pay/e2e-pay');
    await payer.heading(`${FIRM} LLP`).waitFor();
    let status = 0;
    for (let i = 0; i < 100 && status !== 429; i++) {
      const res = await fetch(`${e.baseUrl}/api/v1/pay/e2e-pay/lookup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ clientNumber: 'C9', invoiceNumber: 'X' }),
      });
      status = res.status;
    }
    expect(status).toBe(429);
    await payer.lookUp('C1', { invoiceNumber: 'INV-101' });
    await payer.alert().filter({ hasText: 'Wait a minute, then try again.' }).waitFor();
  });
});
