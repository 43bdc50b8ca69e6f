import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestFirm, startTestApp, TEST_PASSWORD, type TestApp, type TestFirm } from '../support/app.ts';
import { syncBasicMms } from '../support/fixtures.ts';
import { CARDS, cardToken, countRows } from '../support/processor.ts';

/** Issue 5 §2: public payment pages, through the API the page's browser calls. */
describe('public payment pages', () => {
  let t: TestApp;
  let firm: TestFirm;

  async function page(slug: string, body: object) {
    const res = await call(t, firm.admin, 'POST', '/payment-pages', { name: `Page ${slug}`, slug, ...body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string }>();
  }

  beforeAll(async () => {
    t = await startTestApp({ payRequestsPerMinute: 100_000 });
    firm = await createTestFirm(t, 'PAYPG');
    await syncBasicMms(t, firm);
    await page('pg-op', { account: 'operating', createPostingRecord: true, surchargeBps: 300 });
    await page('pg-trust', { account: 'trust', createPostingRecord: true });
    await page('pg-norec', { account: 'operating', createPostingRecord: false });
    const off = await page('pg-off', { account: 'operating', createPostingRecord: true });
    expect((await call(t, firm.admin, 'PATCH', `/payment-pages/${off.id}`, { enabled: false })).statusCode).toBe(200);
  });
  afterAll(async () => t.close());

  const lookup = (slug: string, body: object) => call(t, null, 'POST', `/pay/${slug}/lookup`, body);
  const pay = (slug: string, body: object) => call(t, null, 'POST', `/pay/${slug}/payments`, body);

  it("shows the firm's name, the page, its account and surcharge; a disabled or unknown page is 404 alike", async () => {
    const res = await call(t, null, 'GET', '/pay/pg-op');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      firmName: 'PAYPG LLP',
      pageName: 'Page pg-op',
      slug: 'pg-op',
      account: 'operating',
      surchargeBps: 300,
      enabled: true,
    });
    const off = await call(t, null, 'GET', '/pay/pg-off');
    const missing = await call(t, null, 'GET', '/pay/pg-missing');
    expect(off.statusCode).toBe(404);
    expect(off.body.replace('pg-off', 'X')).toBe(missing.body.replace('pg-missing', 'X'));
    expect((await lookup('pg-off', { clientNumber: 'C1', invoiceNumber: 'INV-100' })).statusCode).toBe(404);
  });

  it("looks up a client's open invoices only with the client number AND one of its invoice or matter numbers", async () => {
    const byInvoice = await lookup('pg-op', { clientNumber: 'C1', invoiceNumber: 'INV-101' });
    expect(byInvoice.statusCode, byInvoice.body).toBe(200);
    expect(byInvoice.json()).toMatchObject({ clientNumber: 'C1', clientName: 'Acme Holdings', matterNumber: null });
    expect(byInvoice.json().invoices.map((i: { invoiceNumber: string }) => i.invoiceNumber)).toEqual([
      'INV-100',
      'INV-101',
      'INV-102',
    ]);
    const byMatter = await lookup('pg-op', { clientNumber: 'C1', matterNumber: 'M1' });
    expect(byMatter.json().invoices).toEqual(byInvoice.json().invoices);
    // C2's paid invoice proves C2; only its open invoices come back.
    expect(
      (await lookup('pg-op', { clientNumber: 'C2', invoiceNumber: 'INV-105' }))
        .json()
        .invoices.map((i: { invoiceNumber: string }) => i.invoiceNumber),
    ).toEqual(['INV-103', 'INV-104']);

    // A client number alone, another client's invoice, or a guess: the same 404, naming nothing.
    expect((await lookup('pg-op', { clientNumber: 'C1' })).statusCode).toBe(400);
    const refusals = await Promise.all([
      lookup('pg-op', { clientNumber: 'C1', invoiceNumber: 'INV-103' }),
      lookup('pg-op', { clientNumber: 'C9', invoiceNumber: 'INV-100' }),
      lookup('pg-op', { clientNumber: 'C1', matterNumber: 'M9' }),
      lookup('pg-op', { clientNumber: 'C2', invoiceNumber: 'NOPE' }),
    ]);
    for (const res of refusals) {
      expect(res.statusCode).toBe(404);
      expect(res.body).toBe(refusals[0].body);
      for (const word of ['INV-', 'Acme', 'Baker', 'C1', 'C2']) expect(res.body).not.toContain(word);
    }
    // Paying needs the same proof: an invoice of another client cannot be paid.
    const token = await cardToken(t);
    const other = await pay('pg-op', {
      clientNumber: 'C1',
      invoiceNumber: 'INV-100',
      token: token.token,
      payerName: 'Ann',
      allocations: [{ invoiceNumber: 'INV-103', amountCents: 100 }],
    });
    expect(other.statusCode).toBe(400);
    expect(await countRows(t, firm.id, 'sandbox_charges')).toBe(0);
  });

  it('pays several invoices in part with the surcharge rounded half up, makes a posting record with the person icon, and shows a receipt', async () => {
    const token = await cardToken(t, CARDS.visa);
    const body = {
      clientNumber: 'C1',
      invoiceNumber: 'INV-100',
      token: token.token,
      payerName: 'Ann Payer',
      payerEmail: 'ann@acme.test',
      allocations: [
        { invoiceNumber: 'INV-100', amountCents: 10_001 },
        { invoiceNumber: 'INV-101', amountCents: 5_000 },
      ],
    };
    const res = await pay('pg-op', body);
    expect(res.statusCode, res.body).toBe(201);
    const receipt = res.json();
    // 15,001 cents at 3% is 450.03 cents: 450.
    expect(receipt).toMatchObject({
      firmName: 'PAYPG LLP',
      pageName: 'Page pg-op',
      receiptCents: 15_001,
      surchargeCents: 450,
      amountCents: 15_451,
      brand: 'visa',
      last4: '4242',
      method: 'card',
      account: 'operating',
    });
    expect(receipt.allocations).toEqual([
      { invoiceNumber: 'INV-100', clientNumber: 'C1', matterNumber: 'M1', amountCents: 10_001 },
      { invoiceNumber: 'INV-101', clientNumber: 'C1', matterNumber: 'M1', amountCents: 5_000 },
    ]);

    const payments = (await call(t, firm.viewer, 'GET', '/payments?origin=payment_page')).json().items;
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({
      id: receipt.paymentId,
      processorId: receipt.processorId,
      amountCents: 15_451,
      surchargeCents: 450,
      last4: '4242',
      status: 'approved',
    });
    const record = (await call(t, firm.viewer, 'GET', `/postings/${payments[0].postingRecordId}`)).json();
    expect(record).toMatchObject({
      status: 'pending',
      fromPaymentPage: true,
      amountCents: 15_001,
      surchargeCents: 450,
      origin: 'payment_page',
    });
    expect(
      record.allocations.map((a: { invoiceNumber: string; amountCents: number }) => [a.invoiceNumber, a.amountCents]),
    ).toEqual([
      ['INV-100', 10_001],
      ['INV-101', 5_000],
    ]);

    // What is still due takes the payment into account.
    const after = (await lookup('pg-op', { clientNumber: 'C1', invoiceNumber: 'INV-100' })).json().invoices;
    expect(after.find((i: { invoiceNumber: string }) => i.invoiceNumber === 'INV-100').balanceCents).toBe(89_999);

    // The same token sent again (a double click) charges once and answers the same receipt.
    const again = await pay('pg-op', body);
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json().paymentId).toBe(receipt.paymentId);
    expect(await countRows(t, firm.id, 'sandbox_charges')).toBe(1);
  });

  it('refuses more than is due on an invoice before charging', async () => {
    const token = await cardToken(t);
    const res = await pay('pg-op', {
      clientNumber: 'C2',
      matterNumber: 'M1',
      token: token.token,
      payerName: 'Bo',
      allocations: [{ invoiceNumber: 'INV-103', amountCents: 100_001 }],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.field).toBe('allocations.0.amountCents');
  });

  it('answers a declined card with a clear 402 and creates nothing', async () => {
    const before = await Promise.all(
      (['payments', 'posting_records', 'audit_events'] as const).map((table) => countRows(t, firm.id, table)),
    );
    for (const [card, reason] of [
      [CARDS.declined, 'card declined'],
      [CARDS.insufficientFunds, 'insufficient funds'],
    ] as const) {
      const token = await cardToken(t, card);
      const res = await pay('pg-op', {
        clientNumber: 'C2',
        invoiceNumber: 'INV-103',
        token: token.token,
        payerName: 'Bo',
        allocations: [{ invoiceNumber: 'INV-103', amountCents: 2_500 }],
      });
      expect(res.statusCode, res.body).toBe(402);
      expect(res.json().error).toMatchObject({ code: 'card_declined', details: { declineReason: reason } });
      expect(res.json().error.message).toBe(
        reason === 'card declined'
          ? 'The card was declined. No payment was made; try another card.'
          : `The card was declined (${reason}). No payment was made; try another card.`,
      );
    }
    const after = await Promise.all(
      (['payments', 'posting_records', 'audit_events'] as const).map((table) => countRows(t, firm.id, table)),
    );
    expect(after).toEqual(before);
  });

  it('takes a trust deposit for the matter looked up', async () => {
    const found = await lookup('pg-trust', { clientNumber: 'C3', matterNumber: 'M9' });
    expect(found.json()).toMatchObject({
      clientNumber: 'C3',
      matterNumber: 'M9',
      matterDescription: 'Escrow',
      invoices: [],
    });
    expect((await lookup('pg-trust', { clientNumber: 'C3', invoiceNumber: 'INV-100' })).statusCode).toBe(400);
    const token = await cardToken(t, CARDS.amex);
    const res = await pay('pg-trust', {
      clientNumber: 'C3',
      matterNumber: 'M9',
      token: token.token,
      payerName: 'Castle',
      amountCents: 50_000,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      account: 'trust',
      brand: 'amex',
      last4: '0005',
      surchargeCents: 0,
      amountCents: 50_000,
    });
    expect(res.json().allocations).toEqual([
      { invoiceNumber: null, clientNumber: 'C3', matterNumber: 'M9', amountCents: 50_000 },
    ]);
    const payment = (await call(t, firm.viewer, 'GET', `/payments?q=Castle`)).json().items[0];
    expect((await call(t, firm.viewer, 'GET', `/postings/${payment.postingRecordId}`)).json()).toMatchObject({
      status: 'pending',
      account: 'trust',
      fromPaymentPage: true,
    });
  });

  it('makes no posting record when the page says so', async () => {
    const token = await cardToken(t);
    const res = await pay('pg-norec', {
      clientNumber: 'C2',
      invoiceNumber: 'INV-104',
      token: token.token,
      payerName: 'Nora',
      allocations: [{ invoiceNumber: 'INV-104', amountCents: 1_000 }],
    });
    expect(res.statusCode, res.body).toBe(201);
    const payment = (await call(t, firm.viewer, 'GET', '/payments?q=Nora')).json().items[0];
    expect(payment).toMatchObject({ origin: 'payment_page', postingRecordId: null });
  });

  it('lets a browser that is also signed in to paybridge pay: the public routes ignore its session cookie, so they need no CSRF header', async () => {
    // A firm's own staff opening the page (to try it, or to pay a bill of their own) carry
    // the session cookie to /api/v1; the payer's page knows no CSRF token and needs none.
    const signIn = await t.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: firm.emails.viewer, password: TEST_PASSWORD },
    });
    const session = /pb_session=([^;]+)/.exec(String(signIn.headers['set-cookie']))![1]!;
    const asSignedIn = (url: string, payload: object) =>
      t.app.inject({ method: 'POST', url: `/api/v1${url}`, payload, cookies: { pb_session: session } });
    const token = await asSignedIn('/sandbox/tokens', {
      cardNumber: CARDS.visa,
      expMonth: 12,
      expYear: 2099,
      cvc: '123',
    });
    expect(token.statusCode, token.body).toBe(201);
    expect(
      (await asSignedIn('/pay/pg-norec/lookup', { clientNumber: 'C2', invoiceNumber: 'INV-104' })).statusCode,
    ).toBe(200);
    const paid = await asSignedIn('/pay/pg-norec/payments', {
      clientNumber: 'C2',
      invoiceNumber: 'INV-104',
      token: token.json().token,
      payerName: 'Staff Self',
      allocations: [{ invoiceNumber: 'INV-104', amountCents: 500 }],
    });
    expect(paid.statusCode, paid.body).toBe(201);
    // The cookie still guards every signed-in change.
    expect(
      (await t.app.inject({ method: 'DELETE', url: '/api/v1/session', cookies: { pb_session: session } })).json().error
        .code,
    ).toBe('csrf');
  });

  it('keeps slugs that would shadow payment links', async () => {
    for (const slug of ['link', 'quick']) {
      const res = await call(t, firm.admin, 'POST', '/payment-pages', {
        name: 'x',
        slug,
        account: 'operating',
        createPostingRecord: true,
      });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('reserved');
    }
  });
});

describe('rate limits on public payment routes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ payRequestsPerMinute: 3 });
    const firm = await createTestFirm(t, 'PAYRL');
    expect(
      (
        await call(t, firm.admin, 'POST', '/payment-pages', {
          name: 'RL',
          slug: 'pg-rl',
          account: 'operating',
          createPostingRecord: true,
        })
      ).statusCode,
    ).toBe(201);
  });
  afterAll(async () => t.close());

  it('answers 429 once an address has used its allowance', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 4; i++)
      codes.push(
        (await call(t, null, 'POST', '/pay/pg-rl/lookup', { clientNumber: 'C1', invoiceNumber: `INV-${i}` }))
          .statusCode,
      );
    expect(codes).toEqual([404, 404, 404, 429]);
    const limited = await call(t, null, 'POST', '/pay/pg-rl/lookup', { clientNumber: 'C1', invoiceNumber: 'INV-1' });
    expect(limited.json().error.code).toBe('rate_limited');
    const tokens = [];
    for (let i = 0; i < 4; i++)
      tokens.push(
        (
          await call(t, null, 'POST', '/sandbox/tokens', {
            cardNumber: '4242424242424242',
            expMonth: 1,
            expYear: 2099,
            cvc: '123',
          })
        ).statusCode,
      );
    expect(tokens).toEqual([201, 201, 201, 429]);
  });
});
