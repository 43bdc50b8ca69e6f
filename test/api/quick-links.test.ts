import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestFirm, startTestApp, type TestApp, type TestFirm } from '../support/app.ts';
import { CARDS, cardToken } from '../support/processor.ts';

/** Issue 5 §4: Quick Links (Send For Payment) and their statuses. */
describe('quick links', () => {
  let t: TestApp;
  let firm: TestFirm;

  beforeAll(async () => {
    t = await startTestApp({ payRequestsPerMinute: 100_000 });
    firm = await createTestFirm(t, 'QUICK');
  });
  afterAll(async () => t.close());

  async function send(body: object = {}) {
    const res = await call(t, firm.accountant, 'POST', '/quick-links', {
      amountCents: 25_000,
      description: 'Retainer top-up',
      ...body,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string; token: string; status: string; expiresAt: string }>();
  }
  const statusOf = async (id: string) =>
    (await call(t, firm.viewer, 'GET', '/quick-links')).json().items.find((l: { id: string }) => l.id === id).status;
  const payLink = async (token: string, card: string = CARDS.visa) =>
    call(t, null, 'POST', `/pay/quick/${token}`, { token: (await cardToken(t, card)).token, payerName: 'Quick Payer' });

  it('goes from outstanding to paid once; its payment is origin quick_link with no posting record', async () => {
    const link = await send({ account: 'trust', payerEmail: 'client@example.test' });
    expect(link.status).toBe('outstanding');
    expect(link.token).toMatch(/^ql_/);
    expect((await call(t, null, 'GET', `/pay/quick/${link.token}`)).json()).toMatchObject({
      firmName: 'QUICK LLP',
      amountCents: 25_000,
      description: 'Retainer top-up',
      status: 'outstanding',
    });
    expect((await payLink(link.token, CARDS.declined)).statusCode).toBe(402);
    expect(await statusOf(link.id)).toBe('outstanding');
    const paid = await payLink(link.token);
    expect(paid.statusCode, paid.body).toBe(201);
    expect(paid.json().payment).toMatchObject({
      origin: 'quick_link',
      account: 'trust',
      amountCents: 25_000,
      postingRecordId: null,
    });
    expect(await statusOf(link.id)).toBe('paid');
    expect((await payLink(link.token)).json().error.code).toBe('link_paid');
    expect((await call(t, null, 'GET', `/pay/quick/${link.token}`)).json().status).toBe('paid');
    expect((await call(t, firm.viewer, 'GET', '/postings/counts')).json().all).toBe(0);
    expect((await call(t, firm.accountant, 'POST', `/quick-links/${link.id}/cancel`, {})).statusCode).toBe(409);
  });

  it('is cancelled by staff: the payer gets 410', async () => {
    const link = await send();
    const res = await call(t, firm.accountant, 'POST', `/quick-links/${link.id}/cancel`, {});
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'cancelled', cancelledAt: expect.any(String) });
    for (const answer of [await call(t, null, 'GET', `/pay/quick/${link.token}`), await payLink(link.token)]) {
      expect(answer.statusCode).toBe(410);
      expect(answer.json().error.code).toBe('link_cancelled');
    }
    expect((await call(t, firm.accountant, 'POST', `/quick-links/${link.id}/cancel`, {})).statusCode).toBe(409);
  });

  it('expires at its time without any job: listed as expired, 410 to the payer, and no longer cancellable', async () => {
    const link = await send({ expiresInDays: 1 });
    expect(new Date(link.expiresAt).getTime() - Date.now()).toBeGreaterThan(86_400_000 - 60_000);
    await t.conn.db
      .updateTable('links')
      .set({ expires_at: new Date(Date.now() - 1) })
      .where('id', '=', link.id)
      .execute();
    expect(await statusOf(link.id)).toBe('expired');
    expect((await payLink(link.token)).json().error.code).toBe('link_expired');
    expect((await call(t, firm.accountant, 'POST', `/quick-links/${link.id}/cancel`, {})).statusCode).toBe(409);
  });

  it('lists by status', async () => {
    const byStatus = async (status: string) =>
      (await call(t, firm.viewer, 'GET', `/quick-links?status=${status}`))
        .json()
        .items.map((l: { status: string }) => l.status);
    await send();
    expect(await byStatus('outstanding')).toEqual(['outstanding']);
    expect(await byStatus('paid')).toEqual(['paid']);
    expect(await byStatus('cancelled')).toEqual(['cancelled']);
    expect(await byStatus('expired')).toEqual(['expired']);
    expect((await call(t, firm.viewer, 'POST', '/quick-links', { amountCents: 1, description: 'x' })).statusCode).toBe(
      403,
    );
  });
});
