import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestFirm, startTestApp, type TestApp, type TestFirm } from '../support/app.ts';
import { paymentBody, syncBasicMms, takePayment } from '../support/fixtures.ts';
import { BANK, bankToken, CARDS, cardToken } from '../support/processor.ts';

/** SPEC §3.6: a surcharge on credit cards only, at most 300 bps, and never on a trust line. */
describe('surcharge rules', () => {
  let t: TestApp;
  let firm: TestFirm;
  let pageId: string;

  beforeAll(async () => {
    t = await startTestApp({ payRequestsPerMinute: 100_000 });
    firm = await createTestFirm(t, 'SURCH');
    await syncBasicMms(t, firm);
    const page = await call(t, firm.admin, 'POST', '/payment-pages', {
      name: 'Invoices',
      slug: 'surch-op',
      account: 'operating',
      createPostingRecord: true,
      surchargeBps: 300,
    });
    expect(page.statusCode, page.body).toBe(201);
    pageId = page.json().id;
  });
  afterAll(async () => t.close());

  it("answers a card's brand and funding from its first six digits, and 404 for a BIN no test card has", async () => {
    const bin = (digits: string) => call(t, null, 'GET', `/sandbox/bins/${digits}`);
    expect((await bin('424242')).json()).toEqual({ brand: 'visa', funding: 'credit' });
    expect((await bin('400005')).json()).toEqual({ brand: 'visa', funding: 'debit' });
    expect((await bin('520082')).json()).toEqual({ brand: 'mastercard', funding: 'debit' });
    expect((await bin('510510')).json()).toEqual({ brand: 'mastercard', funding: 'prepaid' });
    expect((await bin('999999')).statusCode).toBe(404);
    const short = await bin('4242');
    expect(short.statusCode).toBe(400);
    expect(short.json().error.details.issues[0].field).toBe('params.bin');
    expect((await cardToken(t, CARDS.visaDebit)).funding).toBe('debit');
    expect((await bankToken(t)).funding).toBeNull();
  });

  it('charges a page surcharge on a credit card only: a debit or prepaid card and an eCheck pay the receipt alone', async () => {
    const payWith = async (token: { token: string }, invoiceNumber: string) => {
      const res = await call(t, null, 'POST', '/pay/surch-op/payments', {
        clientNumber: 'C1',
        invoiceNumber,
        token: token.token,
        payerName: 'Ann Payer',
        allocations: [{ invoiceNumber, amountCents: 10_000 }],
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<{ paymentId: string; surchargeCents: number; amountCents: number }>();
    };
    const credit = await payWith(await cardToken(t, CARDS.visa), 'INV-100');
    expect(credit).toMatchObject({ surchargeCents: 300, amountCents: 10_300 });
    for (const [token, invoice] of [
      [await cardToken(t, CARDS.visaDebit), 'INV-101'],
      [await cardToken(t, CARDS.mastercardPrepaid), 'INV-101'],
      [await bankToken(t, BANK.approves), 'INV-101'],
    ] as const) {
      expect(await payWith(token, invoice)).toMatchObject({ surchargeCents: 0, amountCents: 10_000 });
    }
    const payments = (await call(t, firm.viewer, 'GET', '/payments?origin=payment_page&sort=asc')).json().items;
    expect(
      payments.map((p: { cardFunding: string | null; surchargeCents: number }) => [p.cardFunding, p.surchargeCents]),
    ).toEqual([
      ['credit', 300],
      ['debit', 0],
      ['prepaid', 0],
      [null, 0],
    ]);
  });

  it('refuses a page surcharge above 300 basis points, on create and on change', async () => {
    const create = await call(t, firm.admin, 'POST', '/payment-pages', {
      name: 'Too much',
      slug: 'surch-high',
      account: 'operating',
      createPostingRecord: true,
      surchargeBps: 301,
    });
    expect(create.statusCode).toBe(400);
    expect(create.json().error.details.issues[0].field).toBe('surchargeBps');
    expect(create.json().error.details.issues[0].message).toMatch(/at most 300/);
    const change = await call(t, firm.admin, 'PATCH', `/payment-pages/${pageId}`, { surchargeBps: 400 });
    expect(change.statusCode).toBe(400);
    const page = (await call(t, firm.viewer, 'GET', '/payment-pages')).json().items[0];
    expect(page.surchargeBps).toBe(300);
  });

  it('refuses a surcharge taken in on an eCheck, a debit or prepaid card, or above 3%, naming surchargeCents', async () => {
    const refused = async (overrides: Record<string, unknown>, message: RegExp, field = 'surchargeCents') => {
      const res = await call(t, firm.accountant, 'POST', '/payments', paymentBody(overrides));
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.details.field).toBe(field);
      expect(res.json().error.message).toMatch(message);
    };
    // 10,300 charged: 10,000 receipt and 300 surcharge is exactly 3%.
    const charged = { amountCents: 10_300, surchargeCents: 300 };
    await refused({ ...charged, method: 'echeck', cardBrand: undefined }, /eCheck/);
    await refused({ ...charged, cardFunding: 'debit' }, /debit card/);
    await refused({ ...charged, cardFunding: 'prepaid' }, /prepaid card/);
    await refused({ amountCents: 10_301, surchargeCents: 301, cardFunding: 'credit' }, /3%/);
    await refused(
      { amountCents: 10_000, method: 'echeck', cardBrand: undefined, cardFunding: 'credit' },
      /eCheck/,
      'cardFunding',
    );
    const taken = await takePayment(t, firm, { ...charged, cardFunding: 'credit', invoiceNumbers: ['INV-102'] });
    expect(taken.postingRecord).toMatchObject({ status: 'pending' });
    expect((await call(t, firm.viewer, 'GET', `/payments?q=INV-102`)).json().items[0]).toMatchObject({
      cardFunding: 'credit',
      surchargeCents: 300,
    });
  });

  it('prints a trust payment’s surcharge as 0.00 on its trust line: operating income never rides on client money', async () => {
    const trust = await takePayment(t, firm, {
      account: 'trust',
      amountCents: 10_300,
      surchargeCents: 300,
      cardFunding: 'credit',
      invoiceNumbers: [],
      allocations: [{ clientNumber: 'C3', matterNumber: 'M9', amountCents: 10_000 }],
      clientNumber: 'C3',
      matterNumber: 'M9',
    });
    expect(trust.postingRecord).toMatchObject({ status: 'pending' });
    const post = await call(t, firm.accountant, 'POST', '/postings/post', { ids: [trust.postingRecord.id] });
    expect(post.statusCode, post.body).toBe(200);
    const file = (await call(t, firm.viewer, 'GET', `/batches/${post.json().batch.id}/file`)).body;
    const line = file.split('\n')[1]!.split(',');
    expect(line.slice(4, 10)).toEqual(['trust', '', 'C3', 'M9', '100.00', '0.00']);
  });
});
