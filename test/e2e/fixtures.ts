import { call } from '../support/app.ts';
import { acknowledgeInOrder, paymentBody, syncBasicMms, takePayment } from '../support/fixtures.ts';
import { apiCall, type E2e } from './support/server.ts';

/** Posts the records in one batch, which the agent fetches and acknowledges as delivered: they are posted. */
export async function postAndDeliver(e: E2e, ids: string[]): Promise<void> {
  const { batch } = await apiCall(e, 'POST', '/postings/post', { ids });
  await acknowledgeInOrder(e.t, e.firm, batch.id);
}

/** One record in every state, each with a payer name of its own, made through the API. */
export async function seedEveryState(e: E2e) {
  const { t, firm } = e;
  await syncBasicMms(t, firm);
  const page = await call(t, firm.admin, 'POST', '/payment-pages', {
    name: 'Portal',
    slug: `portal-${firm.code.toLowerCase()}`,
    account: 'operating',
    createPostingRecord: true,
  });
  if (page.statusCode !== 201) throw new Error(page.body);
  const take = (payerName: string, overrides: Record<string, unknown> = {}) =>
    takePayment(t, firm, { payerName, ...overrides });

  // Taken today, so not yet settled: the one payment here that can still be voided (SPEC §3.5).
  const alma = await take('Alma Pending', { invoiceNumbers: ['INV-100'], processedAt: new Date().toISOString() });
  const bruno = await take('Bruno Pending', { invoiceNumbers: ['INV-101'] });
  const cora = await take('Cora Pending', { invoiceNumbers: ['INV-102'], amountCents: 12345 });
  const ida = await take('Ida Incomplete', { invoiceNumbers: ['NOPE-1'] });
  const iris = await take('Iris Incomplete', { invoiceNumbers: ['INV-100', 'INV-101'] });
  const pagePayer = await take('Page Payer', {
    origin: 'payment_page',
    paymentPageId: page.json().id,
    invoiceNumbers: ['INV-101'],
    amountCents: 5000,
  });
  const quinn = await take('Quinn Queued', { invoiceNumbers: ['INV-103'], clientNumber: 'C2' });
  const paula = await take('Paula Posted', { invoiceNumbers: ['INV-104'], clientNumber: 'C2' });
  const remy = await take('Remy Removed', { invoiceNumbers: ['INV-102'] });
  const entered = await call(
    t,
    firm.accountant,
    'POST',
    '/payments',
    paymentBody({ payerName: 'Ed Entered', origin: 'enter_payment' }),
  );
  if (entered.statusCode !== 201) throw new Error(entered.body);

  // Paula's batch is delivered and acknowledged (posted); Quinn's waits for the agent (queued).
  await postAndDeliver(e, [paula.postingRecord.id]);
  await apiCall(e, 'POST', '/postings/post', { ids: [quinn.postingRecord.id] });
  await apiCall(e, 'POST', '/postings/remove', { ids: [remy.postingRecord.id], note: 'Keyed in the MMS' });

  return { alma, bruno, cora, ida, iris, pagePayer, quinn, paula, remy };
}

export const PAYERS = [
  'Alma Pending',
  'Bruno Pending',
  'Cora Pending',
  'Ida Incomplete',
  'Iris Incomplete',
  'Page Payer',
  'Quinn Queued',
  'Paula Posted',
  'Remy Removed',
];
