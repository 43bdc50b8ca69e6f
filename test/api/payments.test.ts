import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestFirm, startTestApp, type TestApp, type TestFirm } from '../support/app.ts';
import { paymentBody, syncBasicMms, takePayment } from '../support/fixtures.ts';

describe('Payment Manager list', () => {
  let t: TestApp;
  let firm: TestFirm;
  beforeAll(async () => {
    t = await startTestApp();
    firm = await createTestFirm(t, 'PAYL');
    await syncBasicMms(t, firm);
    for (let i = 0; i < 4; i++) await takePayment(t, firm, { amountCents: 1000 + i });
    for (const origin of ['enter_payment', 'quick_link'])
      await call(t, firm.accountant, 'POST', '/payments', paymentBody({ origin }));
  });
  afterAll(async () => t.close());

  it('lists every payment of every origin, pages by cursor, and links each posting record', async () => {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await call(t, firm.viewer, 'GET', `/payments?limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      ids.push(...body.items.map((p: { id: string }) => p.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
    const all = (await call(t, firm.viewer, 'GET', '/payments?limit=100')).json().items;
    const withRecord = all.filter((p: { postingRecordId: string | null }) => p.postingRecordId);
    expect(withRecord).toHaveLength(4);
    expect(
      all.filter((p: { origin: string; postingRecordId: string | null }) => p.origin === 'quick_link')[0]
        .postingRecordId,
    ).toBeNull();
  });

  it('filters by origin, status, amount and text', async () => {
    const quick = (await call(t, firm.viewer, 'GET', '/payments?origin=quick_link')).json().items;
    expect(quick.map((p: { origin: string }) => p.origin)).toEqual(['quick_link']);
    const first = (await call(t, firm.viewer, 'GET', '/payments?origin=connect&sort=asc&limit=1')).json().items[0];
    await call(t, firm.accountant, 'POST', `/payments/${first.id}/reverse`, { kind: 'refund' });
    const refunded = (await call(t, firm.viewer, 'GET', '/payments?status=refunded')).json().items;
    expect(refunded.map((p: { id: string }) => p.id)).toEqual([first.id]);
    const amount = (await call(t, firm.viewer, 'GET', '/payments?minCents=1002&maxCents=1003')).json().items;
    expect(amount).toHaveLength(2);
    const byText = (await call(t, firm.viewer, 'GET', `/payments?q=${first.processorId}`)).json().items;
    expect(byText.map((p: { id: string }) => p.id)).toEqual([first.id]);
  });
});
