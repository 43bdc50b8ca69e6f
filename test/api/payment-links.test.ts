import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestFirm, startTestApp, type TestApp, type TestFirm } from '../support/app.ts';
import { syncBasicMms } from '../support/fixtures.ts';
import { CARDS, cardToken } from '../support/processor.ts';

/** Issue 16: the payment links a firm sent, listed with their state; Resend and Cancel. */
describe('sent payment links', () => {
  let t: TestApp;
  let firm: TestFirm;

  beforeAll(async () => {
    t = await startTestApp({ payRequestsPerMinute: 100_000 });
    firm = await createTestFirm(t, 'SENT');
    await syncBasicMms(t, firm);
  });
  afterAll(async () => t.close());

  async function sendLink(body: object = {}) {
    const res = await call(t, firm.accountant, 'POST', '/payment-links', {
      payerName: 'Dana Whitfield',
      payerEmail: 'dana@payer.test',
      allocations: [{ invoiceNumber: 'INV-101', amountCents: 12_500 }],
      ...body,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string; token: string }>();
  }
  const listed = async (query = '') =>
    (await call(t, firm.viewer, 'GET', `/payment-links${query}`)).json<{
      items: { id: string; status: string; payerName: string; amountCents: number; createdAt: string }[];
    }>().items;
  const mailTo = async (address: string) =>
    (await t.conn.db.selectFrom('mail_queue').select('message').where('recipient', '=', address).execute()).map(
      (m) => (m.message as { text: string }).text,
    );
  const resend = (id: string, key: string, body: object = {}) =>
    call(t, firm.accountant, 'POST', `/payment-links/${id}/resend`, body, { headers: { 'idempotency-key': key } });
  const pay = async (token: string) =>
    call(t, null, 'POST', `/pay/link/${token}`, { token: (await cardToken(t, CARDS.visa)).token, payerName: 'Dana' });

  it('lists the sent links with payer, amount, status and sent date, and filters by status', async () => {
    const link = await sendLink();
    const row = (await listed()).find((l) => l.id === link.id);
    expect(row).toMatchObject({ status: 'outstanding', payerName: 'Dana Whitfield', amountCents: 12_500 });
    expect(Date.now() - new Date(row!.createdAt).getTime()).toBeLessThan(60_000);
    expect((await listed('?status=outstanding')).map((l) => l.id)).toContain(link.id);
    expect((await listed('?status=paid')).map((l) => l.id)).not.toContain(link.id);
  });

  it('resends through the mail queue once per click, with a new address that replaces the old one', async () => {
    const link = await sendLink({ payerEmail: 'resend@payer.test' });
    const first = await resend(link.id, 'click-1');
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().to).toBe('resend@payer.test');
    // The same click again (a retry) is answered from the first: still one message.
    const retried = await resend(link.id, 'click-1');
    expect(retried.statusCode).toBe(200);
    expect(retried.headers['idempotent-replay']).toBe('true');
    expect(retried.json().id).toBe(first.json().id);
    expect(await mailTo('resend@payer.test')).toHaveLength(1);
    // A second click sends again.
    expect((await resend(link.id, 'click-2')).statusCode).toBe(200);
    const texts = await mailTo('resend@payer.test');
    expect(texts).toHaveLength(2);
    const tokens = texts.map((text) => /\/pay\/link\/(pl_[A-Za-z0-9_-]{43})/.exec(text)?.[1]);
    expect(tokens[0]).toBeDefined();
    expect(tokens[1]).toBeDefined();
    expect(tokens[0]).not.toBe(tokens[1]);
    // Only the newest address pays; the one made with the link no longer opens.
    expect((await call(t, null, 'GET', `/pay/link/${link.token}`)).statusCode).toBe(404);
    expect((await call(t, null, 'GET', `/pay/link/${tokens[0]}`)).statusCode).toBe(404);
    const newest = await call(t, null, 'GET', `/pay/link/${tokens[1]}`);
    expect(newest.statusCode, newest.body).toBe(200);
    expect(newest.json().status).toBe('outstanding');
    // Another address may be given; a viewer may not resend.
    expect((await resend(link.id, 'click-3', { to: 'other@payer.test' })).json().to).toBe('other@payer.test');
    const viewer = await call(t, firm.viewer, 'POST', `/payment-links/${link.id}/resend`, {});
    expect(viewer.statusCode).toBe(403);
  });

  it('refuses to resend a link without an email, or one no longer outstanding, saying which in words', async () => {
    const noEmail = await sendLink({ payerEmail: undefined, payerName: 'Ira Noemail' });
    const refused = await resend(noEmail.id, 'noemail');
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.message).toBe(
      'to: the payment link for $125.00 to Ira Noemail has no payer email; give the address to send it to',
    );
    const paid = await sendLink({ payerEmail: 'paid@payer.test' });
    expect((await pay(paid.token)).statusCode).toBe(201);
    const again = await resend(paid.id, 'paid');
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toBe(
      'cannot resend the payment link for $125.00 to Dana Whitfield: it is already paid; nothing more is due on it',
    );
    expect(again.json().error.message).not.toContain(paid.id);
  });

  it('cancels an outstanding link: the payer is told it was cancelled, and it cannot be resent or paid', async () => {
    const link = await sendLink();
    const res = await call(t, firm.accountant, 'POST', `/payment-links/${link.id}/cancel`, {});
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: link.id, status: 'cancelled', cancelledAt: expect.any(String) });
    for (const answer of [await call(t, null, 'GET', `/pay/link/${link.token}`), await pay(link.token)]) {
      expect(answer.statusCode).toBe(410);
      expect(answer.json().error).toMatchObject({ code: 'link_cancelled' });
      expect(answer.json().error.message).toMatch(/cancelled by the firm/);
    }
    expect((await resend(link.id, 'cancelled')).json().error.message).toBe(
      'cannot resend the payment link for $125.00 to Dana Whitfield: it was cancelled; make a new link if the payer should still pay',
    );
    const twice = await call(t, firm.accountant, 'POST', `/payment-links/${link.id}/cancel`, {});
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.message).toBe(
      'cannot cancel the payment link for $125.00 to Dana Whitfield: it is already cancelled; nobody can pay it',
    );
    expect((await listed('?status=cancelled')).map((l) => l.id)).toContain(link.id);
  });

  it('refuses to cancel a paid link with a clear error, and leaves it paid', async () => {
    const link = await sendLink();
    expect((await pay(link.token)).statusCode).toBe(201);
    const res = await call(t, firm.accountant, 'POST', `/payment-links/${link.id}/cancel`, {});
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({
      code: 'invalid_state',
      message:
        'cannot cancel the payment link for $125.00 to Dana Whitfield: it is already paid; to give the money back, refund its payment in the Payment Manager',
    });
    expect((await listed()).find((l) => l.id === link.id)?.status).toBe('paid');
    expect((await call(t, firm.viewer, 'POST', `/payment-links/${link.id}/cancel`, {})).statusCode).toBe(403);
  });

  it('refuses to cancel an expired link, and answers 404 for a link of another kind or firm', async () => {
    const link = await sendLink();
    await t.conn.db
      .updateTable('links')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', link.id)
      .execute();
    const res = await call(t, firm.accountant, 'POST', `/payment-links/${link.id}/cancel`, {});
    expect(res.json().error.message).toBe(
      'cannot cancel the payment link for $125.00 to Dana Whitfield: it has already expired; nobody can pay it',
    );
    const quick = await call(t, firm.accountant, 'POST', '/quick-links', { amountCents: 100, description: 'Q' });
    const other = await call(t, firm.accountant, 'POST', `/payment-links/${quick.json().id}/cancel`, {});
    expect(other.statusCode).toBe(404);
  });
});
