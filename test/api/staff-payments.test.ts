import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestFirm, startTestApp, type TestApp, type TestFirm } from '../support/app.ts';
import { syncBasicMms } from '../support/fixtures.ts';
import { CARDS, cardToken, countRows } from '../support/processor.ts';

/** Issue 5 §3 and §4: Make A Payment (pay now or by link) and Enter Payment. */
describe('staff payments', () => {
  let t: TestApp;
  let firm: TestFirm;

  beforeAll(async () => {
    t = await startTestApp({ payRequestsPerMinute: 100_000 });
    firm = await createTestFirm(t, 'STAFF');
    await syncBasicMms(t, firm);
  });
  afterAll(async () => t.close());

  const allocationsOf = (record: { allocations: { invoiceNumber: string; amountCents: number }[] }) =>
    record.allocations.map((a) => [a.invoiceNumber, a.amountCents]);

  it('Make A Payment by hand: several invoices, origin connect, the split carried into a pending record', async () => {
    const { token } = await cardToken(t);
    const res = await call(t, firm.accountant, 'POST', '/connect-payments', {
      token,
      payerName: 'Acme AP',
      payerEmail: 'ap@acme.test',
      allocations: [
        { invoiceNumber: 'INV-100', amountCents: 30_000 },
        { invoiceNumber: 'INV-102', amountCents: 12_345 },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().payment).toMatchObject({
      origin: 'connect',
      amountCents: 42_345,
      clientNumber: 'C1',
      invoiceNumbers: ['INV-100', 'INV-102'],
    });
    expect(res.json().postingRecord).toMatchObject({ status: 'pending', reasons: [] });
    expect(allocationsOf(res.json().postingRecord)).toEqual([
      ['INV-100', 30_000],
      ['INV-102', 12_345],
    ]);
  });

  it('Make A Payment auto-applied: oldest first, each up to what is still due', async () => {
    const { token } = await cardToken(t);
    const res = await call(t, firm.accountant, 'POST', '/connect-payments', {
      token,
      payerName: 'Acme AP',
      autoApply: true,
      invoiceNumbers: ['INV-101', 'INV-100'],
      amountCents: 100_000,
    });
    expect(res.statusCode, res.body).toBe(201);
    // INV-100 has 70,000 left after the payment above; the rest goes to INV-101.
    expect(allocationsOf(res.json().postingRecord)).toEqual([
      ['INV-100', 70_000],
      ['INV-101', 30_000],
    ]);
  });

  it('refuses a split that would not post cleanly, before charging anyone', async () => {
    const charges = await countRows(t, firm.id, 'sandbox_charges');
    const { token } = await cardToken(t);
    const cases = [
      { allocations: [{ invoiceNumber: 'INV-105', amountCents: 100 }], reason: 'invoice_closed' },
      { allocations: [{ invoiceNumber: 'NOPE', amountCents: 100 }], reason: 'invalid_invoice_number' },
      { allocations: [{ invoiceNumber: 'INV-100', amountCents: 1 }], reason: 'exceeds_balance' },
      { autoApply: true, invoiceNumbers: ['INV-103', 'INV-104'], amountCents: 200_001, reason: 'exceeds_balance' },
    ];
    for (const { reason, ...choice } of cases) {
      const res = await call(t, firm.accountant, 'POST', '/connect-payments', { token, payerName: 'x', ...choice });
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json().error).toMatchObject({ code: 'allocation_conflict', details: { reasons: [reason] } });
    }
    const twice = await call(t, firm.accountant, 'POST', '/connect-payments', {
      token,
      payerName: 'x',
      allocations: [
        { invoiceNumber: 'INV-103', amountCents: 1 },
        { invoiceNumber: 'INV-103', amountCents: 1 },
      ],
    });
    expect(twice.statusCode).toBe(400);
    expect(await countRows(t, firm.id, 'sandbox_charges')).toBe(charges);
  });

  it('Enter Payment: origin enter_payment, in the Payment Manager and never in Manage Postings', async () => {
    const postings = (await call(t, firm.viewer, 'GET', '/postings/counts')).json().all;
    const { token } = await cardToken(t, CARDS.amex);
    const res = await call(t, firm.accountant, 'POST', '/enter-payment', {
      token,
      amountCents: 9_900,
      account: 'trust',
      payerName: 'Walk-in Client',
      invoiceNumbers: ['INV-103'],
      clientNumber: 'C2',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().payment).toMatchObject({
      origin: 'enter_payment',
      account: 'trust',
      cardBrand: 'amex',
      last4: '0005',
      postingRecordId: null,
    });
    expect((await call(t, firm.viewer, 'GET', '/payments?origin=enter_payment')).json().items).toHaveLength(1);
    expect((await call(t, firm.viewer, 'GET', '/postings/counts')).json().all).toBe(postings);
    expect(
      (
        await call(t, firm.viewer, 'POST', '/enter-payment', {
          token,
          amountCents: 1,
          account: 'trust',
          payerName: 'x',
        })
      ).statusCode,
    ).toBe(403);
  });

  describe('payment links', () => {
    async function sendLink(body: object) {
      const res = await call(t, firm.accountant, 'POST', '/payment-links', body);
      expect(res.statusCode, res.body).toBe(201);
      return res.json<{ id: string; token: string; path: string; expiresAt: string; amountCents: number }>();
    }

    it('sends a link for chosen invoices valid 24 hours; the payer sees them and pays once, origin connect with the allocations', async () => {
      const sent = Date.now();
      const link = await sendLink({
        payerName: 'Baker & Sons',
        allocations: [
          { invoiceNumber: 'INV-103', amountCents: 40_000 },
          { invoiceNumber: 'INV-104', amountCents: 10_000 },
        ],
      });
      expect(link.token).toMatch(/^pl_/);
      expect(link.path).toBe(`/pay/link/${link.token}`);
      expect(new Date(link.expiresAt).getTime() - sent).toBeGreaterThan(24 * 3600_000 - 60_000);
      expect(new Date(link.expiresAt).getTime() - sent).toBeLessThanOrEqual(24 * 3600_000 + 1000);

      const view = await call(t, null, 'GET', `/pay/link/${link.token}`);
      expect(view.statusCode, view.body).toBe(200);
      expect(view.json()).toMatchObject({
        firmName: 'STAFF LLP',
        amountCents: 50_000,
        status: 'outstanding',
        payerName: 'Baker & Sons',
      });

      const declined = await call(t, null, 'POST', `/pay/link/${link.token}`, {
        token: (await cardToken(t, CARDS.declined)).token,
        payerName: 'Baker & Sons',
      });
      expect(declined.statusCode).toBe(402);
      const paid = await call(t, null, 'POST', `/pay/link/${link.token}`, {
        token: (await cardToken(t)).token,
        payerName: 'Baker & Sons',
      });
      expect(paid.statusCode, paid.body).toBe(201);
      expect(paid.json().payment).toMatchObject({ origin: 'connect', amountCents: 50_000, clientNumber: 'C2' });
      const record = (await call(t, firm.viewer, 'GET', `/postings/${paid.json().postingRecordId}`)).json();
      expect(record.status).toBe('pending');
      expect(allocationsOf(record)).toEqual([
        ['INV-103', 40_000],
        ['INV-104', 10_000],
      ]);

      const again = await call(t, null, 'POST', `/pay/link/${link.token}`, {
        token: (await cardToken(t)).token,
        payerName: 'Baker & Sons',
      });
      expect(again.statusCode).toBe(409);
      expect(again.json().error.code).toBe('link_paid');
      expect((await call(t, null, 'GET', `/pay/link/${link.token}`)).json().status).toBe('paid');
      const listed = (await call(t, firm.viewer, 'GET', '/payment-links'))
        .json()
        .items.find((l: { id: string }) => l.id === link.id);
      expect(listed).toMatchObject({ status: 'paid', paymentId: paid.json().payment.id });
      expect(JSON.stringify(listed)).not.toContain(link.token);
    });

    it('answers 410 once a link has expired, and stores only the hash of its token', async () => {
      const link = await sendLink({ autoApply: true, invoiceNumbers: ['INV-104'], amountCents: 1_000 });
      await t.conn.db
        .updateTable('links')
        .set({ expires_at: new Date(Date.now() - 1000) })
        .where('id', '=', link.id)
        .execute();
      for (const res of [
        await call(t, null, 'GET', `/pay/link/${link.token}`),
        await call(t, null, 'POST', `/pay/link/${link.token}`, {
          token: (await cardToken(t)).token,
          payerName: 'Late',
        }),
      ]) {
        expect(res.statusCode).toBe(410);
        expect(res.json().error.code).toBe('link_expired');
      }
      expect(
        (await call(t, firm.viewer, 'GET', '/payment-links')).json().items.find((l: { id: string }) => l.id === link.id)
          .status,
      ).toBe('expired');
      const stored = await t.conn.db
        .selectFrom('links')
        .select('token_hash')
        .where('id', '=', link.id)
        .executeTakeFirstOrThrow();
      expect(stored.token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect((await call(t, null, 'GET', `/pay/link/pl_${'x'.repeat(43)}`)).statusCode).toBe(404);
    });

    it('lets one payer at a time hold a link', async () => {
      const link = await sendLink({ allocations: [{ invoiceNumber: 'INV-104', amountCents: 500 }] });
      const [a, b] = await Promise.all([
        call(t, null, 'POST', `/pay/link/${link.token}`, { token: (await cardToken(t)).token, payerName: 'One' }),
        call(t, null, 'POST', `/pay/link/${link.token}`, { token: (await cardToken(t)).token, payerName: 'Two' }),
      ]);
      expect([a.statusCode, b.statusCode].sort()).toEqual([201, 409]);
      expect(
        (await call(t, firm.viewer, 'GET', '/payments?q=INV-104'))
          .json()
          .items.filter((p: { amountCents: number }) => p.amountCents === 500),
      ).toHaveLength(1);
    });
  });
});
