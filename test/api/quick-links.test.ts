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

  it('resends once per click through the mail queue, with a new address that replaces the old one, and audits it', async () => {
    const link = await send({ payerName: 'Quinn Resend', payerEmail: 'quick-resend@payer.test' });
    const resend = (key: string, body: object = {}) =>
      call(t, firm.accountant, 'POST', `/quick-links/${link.id}/resend`, body, { headers: { 'idempotency-key': key } });
    const mailed = async () =>
      (
        await t.conn.db
          .selectFrom('mail_queue')
          .select('message')
          .where('recipient', '=', 'quick-resend@payer.test')
          .execute()
      ).map((m) => /\/pay\/quick\/(ql_[A-Za-z0-9_-]{43})/.exec((m.message as { text: string }).text)?.[1]);
    const first = await resend('quick-click-1');
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().to).toBe('quick-resend@payer.test');
    const retried = await resend('quick-click-1');
    expect(retried.headers['idempotent-replay']).toBe('true');
    expect(retried.json().id).toBe(first.json().id);
    expect(await mailed()).toHaveLength(1);
    expect((await resend('quick-click-2')).statusCode).toBe(200);
    const tokens = await mailed();
    expect(tokens).toHaveLength(2);
    expect(tokens[0]).toBeDefined();
    expect(tokens[1]).toBeDefined();
    expect(tokens[0]).not.toBe(tokens[1]);
    expect((await call(t, null, 'GET', `/pay/quick/${link.token}`)).statusCode).toBe(404);
    expect((await call(t, null, 'GET', `/pay/quick/${tokens[0]}`)).statusCode).toBe(404);
    const newest = await call(t, null, 'GET', `/pay/quick/${tokens[1]}`);
    expect(newest.statusCode, newest.body).toBe(200);
    expect(newest.json()).toMatchObject({ status: 'outstanding', amountCents: 25_000 });
    const audit = await t.conn.db
      .selectFrom('audit_events')
      .select(['action', 'detail'])
      .where('firm_id', '=', firm.id)
      .where('action', '=', 'quick_link_resent')
      .execute();
    expect(audit.map((a) => a.detail)).toEqual([
      { quickLinkId: link.id, to: 'quick-resend@payer.test' },
      { quickLinkId: link.id, to: 'quick-resend@payer.test' },
    ]);
    expect((await resend('quick-click-3', { to: 'other@payer.test' })).json().to).toBe('other@payer.test');
    expect((await call(t, firm.viewer, 'POST', `/quick-links/${link.id}/resend`, {})).statusCode).toBe(403);
  });

  it('refuses to resend a quick link without an email, or one no longer outstanding, saying which in words', async () => {
    const resend = (id: string, key: string) =>
      call(t, firm.accountant, 'POST', `/quick-links/${id}/resend`, {}, { headers: { 'idempotency-key': key } });
    const noEmail = await send({ payerName: 'Ira Noemail' });
    const refused = await resend(noEmail.id, 'quick-noemail');
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.message).toBe(
      'to: the quick link “Retainer top-up” for $250.00 to Ira Noemail has no payer email; give the address to send it to',
    );
    const paid = await send({ payerName: 'Pat Paid', payerEmail: 'quick-paid@payer.test' });
    expect((await payLink(paid.token)).statusCode).toBe(201);
    const again = await resend(paid.id, 'quick-paid');
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toBe(
      'cannot resend the quick link “Retainer top-up” for $250.00 to Pat Paid: it is already paid; nothing more is due on it',
    );
    expect(again.json().error.message).not.toContain(paid.id);
    const cancelled = await send({ payerEmail: 'quick-cancelled@payer.test' });
    expect((await call(t, firm.accountant, 'POST', `/quick-links/${cancelled.id}/cancel`, {})).statusCode).toBe(200);
    expect((await resend(cancelled.id, 'quick-cancelled')).json().error.message).toBe(
      'cannot resend the quick link “Retainer top-up” for $250.00 to quick-cancelled@payer.test: it was cancelled; make a new link if the payer should still pay',
    );
    // A payment link's id is not a quick link.
    const other = await call(t, firm.accountant, 'POST', `/payment-links/${noEmail.id}/resend`, {});
    expect(other.statusCode).toBe(404);
  });
});
