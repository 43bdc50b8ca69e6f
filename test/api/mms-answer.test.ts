import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestFirm, startTestApp, type TestApp, type TestFirm } from '../support/app.ts';
import { takePayment } from '../support/fixtures.ts';

/** SPEC §5.1: delivered is not applied; the MMS's answer comes back on every record. */
describe('the MMS answer on every posted record', () => {
  let t: TestApp;
  let firm: TestFirm;
  let other: TestFirm;

  const C1 = { clientNumber: 'C1', matterNumber: 'M1' };
  const invoice = (invoiceNumber: string, balanceCents: number, status: 'open' | 'paid' = 'open') => ({
    invoiceNumber,
    ...C1,
    invoiceDate: '2026-10-01',
    totalCents: 500_000,
    balanceCents,
    status,
  });
  const sync = async (invoices: ReturnType<typeof invoice>[], readAfter = new Date().toISOString()) => {
    const res = await call(t, firm.agent, 'POST', '/agent/sync', {
      clients: [{ clientNumber: 'C1', name: 'Acme' }],
      matters: [{ ...C1, description: '' }],
      invoices,
      readAfter,
    });
    expect(res.statusCode, res.body).toBe(200);
  };
  const record = async (id: string) => (await call(t, firm.accountant, 'GET', `/postings/${id}`)).json();
  const pay = (invoiceNumber: string, amountCents: number) =>
    takePayment(t, firm, { invoiceNumbers: [invoiceNumber], clientNumber: 'C1', amountCents });
  const post = async (ids: string[]) => {
    const res = await call(t, firm.accountant, 'POST', '/postings/post', { ids });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().batch as { id: string; seq: number; lineCount: number };
  };
  const ack = async (batchId: string, expectAnswer: boolean) => {
    const listed = (await call(t, firm.agent, 'GET', '/agent/batches'))
      .json()
      .items.find((b: { id: string }) => b.id === batchId);
    const res = await call(t, firm.agent, 'POST', `/agent/batches/${batchId}/ack`, {
      sha256: listed.sha256,
      expectAnswer,
    });
    expect(res.statusCode, res.body).toBe(200);
  };
  const answer = (batchId: string, body: unknown) =>
    call(t, firm.agent, 'POST', `/agent/batches/${batchId}/outcome`, body);

  beforeAll(async () => {
    t = await startTestApp();
    firm = await createTestFirm(t, 'ANSWER');
    other = await createTestFirm(t, 'OTHERANS');
    await sync([invoice('A-1', 100_000), invoice('A-2', 100_000), invoice('A-3', 100_000), invoice('A-4', 100_000)]);
  });
  afterAll(async () => t.close());

  it('awaits the answer after delivery, then shows it applied, once however often it is told', async () => {
    const a = await pay('A-1', 30_000);
    const batch = await post([a.postingRecord.id]);
    expect((await answer(batch.id, { outcome: 'applied' })).json().error.code).toBe('batch_not_delivered');
    await ack(batch.id, true);
    expect(a.postingRecord).toMatchObject({ mmsStatus: null, batchAnswerExpected: null });
    expect(await record(a.postingRecord.id)).toMatchObject({
      status: 'posted',
      mmsStatus: 'awaiting',
      mmsMessage: null,
      batchAnswerExpected: true,
    });
    expect((await call(t, firm.accountant, 'GET', `/batches/${batch.id}`)).json()).toMatchObject({
      answerExpected: true,
      appliedLines: 0,
      rejectedLines: 0,
    });

    expect((await answer(batch.id, { outcome: 'applied' })).json()).toEqual({
      applied: 1,
      rejected: 0,
      alreadyAnswered: 0,
    });
    expect((await answer(batch.id, { outcome: 'applied' })).json()).toEqual({
      applied: 0,
      rejected: 0,
      alreadyAnswered: 1,
    });
    const applied = await record(a.postingRecord.id);
    expect(applied).toMatchObject({ status: 'posted', mmsStatus: 'applied' });
    expect(applied.history.map((e: { action: string }) => e.action)).toEqual([
      'created',
      'posted',
      'acknowledged',
      'mms_applied',
    ]);
    expect((await call(t, firm.accountant, 'GET', `/batches/${batch.id}`)).json()).toMatchObject({
      appliedLines: 1,
      rejectedLines: 0,
    });
    // Told otherwise now, the server refuses and changes nothing.
    const otherwise = await answer(batch.id, { outcome: 'rejected', message: 'no such invoice' });
    expect(otherwise.statusCode).toBe(409);
    expect(otherwise.json().error).toMatchObject({
      code: 'mms_answer_conflict',
      details: { ids: [a.postingRecord.id] },
    });
    expect(await record(a.postingRecord.id)).toMatchObject({ mmsStatus: 'applied' });
    // Another firm's agent cannot answer for this batch.
    expect(
      (await call(t, other.agent, 'POST', `/agent/batches/${batch.id}/outcome`, { outcome: 'rejected', message: 'x' }))
        .statusCode,
    ).toBe(404);
  });

  it('a refused file takes its records back to Incomplete with the MMS words; fixed, a record goes out in a new batch, and is applied once', async () => {
    const a = await pay('A-2', 40_000);
    const waiting = await pay('A-2', 70_000);
    expect(waiting.postingRecord.reasons).toEqual(['exceeds_balance']);
    const batch = await post([a.postingRecord.id]);
    await ack(batch.id, true);
    const file = (await call(t, firm.agent, 'GET', `/agent/batches/${batch.id}/file`)).body;
    const refused = await answer(batch.id, {
      outcome: 'rejected',
      message: 'PB_ANSWER_000002.csv: refused by the ledger: period 2026-10 is closed',
    });
    expect(refused.json()).toEqual({ applied: 0, rejected: 1, alreadyAnswered: 0 });

    const refusedRecord = await record(a.postingRecord.id);
    expect(refusedRecord).toMatchObject({
      status: 'incomplete',
      mmsStatus: 'rejected',
      mmsMessage: expect.stringContaining('period 2026-10 is closed'),
      batchId: null,
    });
    expect(refusedRecord.history.find((e: { action: string }) => e.action === 'rejected_by_mms')).toMatchObject({
      from: 'posted',
      to: 'incomplete',
    });
    expect((await call(t, firm.accountant, 'GET', `/batches/${batch.id}`)).json()).toMatchObject({
      appliedLines: 0,
      rejectedLines: 1,
    });
    // What it took from A-2 is free: the record waiting on it is pending now, and the refused
    // one, to be fixed, would now also exceed what is left.
    expect(await record(waiting.postingRecord.id)).toMatchObject({ status: 'pending' });
    expect(refusedRecord.reasons).toEqual(['exceeds_balance', 'rejected_by_mms']);
    await call(t, firm.accountant, 'POST', '/postings/remove', { ids: [waiting.postingRecord.id] });
    const back = await record(a.postingRecord.id);
    expect(back.reasons).toEqual(['rejected_by_mms']);

    // Saved unchanged, it is still refused: the accountant has to fix it, or say it is fixed.
    const unchanged = await call(t, firm.accountant, 'PATCH', `/postings/${back.id}`, {
      version: back.version,
      allocations: [{ invoiceNumber: 'A-2', amountCents: 40_000 }],
    });
    expect(unchanged.json()).toMatchObject({ status: 'incomplete', reasons: ['rejected_by_mms'] });
    const fixed = await call(t, firm.accountant, 'PATCH', `/postings/${back.id}`, {
      version: unchanged.json().version,
      allocations: [{ invoiceNumber: 'A-2', amountCents: 40_000 }],
      mmsProblemFixed: true,
    });
    expect(fixed.json()).toMatchObject({ status: 'pending', reasons: [], mmsStatus: null });

    const again = await post([a.postingRecord.id]);
    expect(again.seq).toBeGreaterThan(batch.seq);
    // The refused batch's file never changes.
    expect((await call(t, firm.agent, 'GET', `/agent/batches/${batch.id}/file`)).body).toBe(file);
    await ack(again.id, true);
    expect((await answer(again.id, { outcome: 'applied' })).json()).toMatchObject({ applied: 1 });
    const done = await record(a.postingRecord.id);
    expect(done).toMatchObject({ status: 'posted', mmsStatus: 'applied', batchId: again.id });
    const actions = done.history.map((e: { action: string }) => e.action);
    expect(actions.filter((x: string) => x === 'posted')).toHaveLength(2);
    expect(actions).toContain('rejected_by_mms');
    // The refused batch's late, repeated answer changes nothing.
    expect((await answer(batch.id, { outcome: 'rejected', message: 'again' })).json()).toEqual({
      applied: 0,
      rejected: 0,
      alreadyAnswered: 1,
    });
    expect(await record(a.postingRecord.id)).toMatchObject({ status: 'posted', mmsStatus: 'applied' });
  });

  it('answers record by record: the good applied, the refused back to Incomplete; unknown records are 404', async () => {
    const good = await pay('A-3', 10_000);
    const bad = await pay('A-3', 20_000);
    const batch = await post([good.postingRecord.id, bad.postingRecord.id]);
    await ack(batch.id, true);
    const stranger = await answer(batch.id, {
      records: [{ recordId: '00000000-0000-4000-8000-000000000000', outcome: 'applied' }],
    });
    expect(stranger.statusCode).toBe(404);
    const res = await answer(batch.id, {
      records: [
        { recordId: good.postingRecord.id, outcome: 'applied' },
        { recordId: bad.postingRecord.id, outcome: 'rejected', message: 'mms_apply_receipt: matter C1/M1 is closed' },
      ],
    });
    expect(res.json()).toEqual({ applied: 1, rejected: 1, alreadyAnswered: 0 });
    expect(await record(good.postingRecord.id)).toMatchObject({ status: 'posted', mmsStatus: 'applied' });
    expect(await record(bad.postingRecord.id)).toMatchObject({
      status: 'incomplete',
      reasons: ['rejected_by_mms'],
      mmsMessage: 'mms_apply_receipt: matter C1/M1 is closed',
    });
    expect((await call(t, firm.accountant, 'GET', `/batches/${batch.id}`)).json()).toMatchObject({
      appliedLines: 1,
      rejectedLines: 1,
    });
  });

  it('a posted line counts against its invoice until a sync read after the MMS applied it', async () => {
    const a = await pay('A-4', 100_000);
    const batch = await post([a.postingRecord.id]);
    await ack(batch.id, true);
    // The sync reads the MMS after the delivery, but before the MMS has imported the file.
    await sync([invoice('A-4', 100_000)]);
    const b = await pay('A-4', 50_000);
    expect(b.postingRecord.reasons).toEqual(['exceeds_balance']);
    await answer(batch.id, { outcome: 'applied' });
    // A sync read before the answer still does not show it...
    await sync([invoice('A-4', 100_000)], new Date(Date.now() - 60_000).toISOString());
    expect(await record(b.postingRecord.id)).toMatchObject({ reasons: ['exceeds_balance'] });
    // ...one read after it does: the MMS shows the invoice paid.
    await sync([invoice('A-4', 0, 'paid')]);
    expect(await record(b.postingRecord.id)).toMatchObject({ reasons: ['invoice_closed'] });
  });

  it('without an answer to wait for, the delivery counts as applied', async () => {
    await sync([invoice('A-5', 100_000)]);
    const a = await pay('A-5', 100_000);
    const batch = await post([a.postingRecord.id]);
    await ack(batch.id, false);
    expect((await call(t, firm.accountant, 'GET', `/batches/${batch.id}`)).json()).toMatchObject({
      answerExpected: false,
    });
    // The record says so too, in lists as well: awaiting, but no answer will come (the UI says Delivered).
    expect(await record(a.postingRecord.id)).toMatchObject({
      status: 'posted',
      mmsStatus: 'awaiting',
      batchAnswerExpected: false,
    });
    const listed = (await call(t, firm.accountant, 'GET', '/postings?view=posted&limit=500'))
      .json()
      .items.find((r: { id: string }) => r.id === a.postingRecord.id);
    expect(listed).toMatchObject({ mmsStatus: 'awaiting', batchAnswerExpected: false });
    const b = await pay('A-5', 30_000);
    expect(b.postingRecord.reasons).toEqual(['exceeds_balance']);
    await sync([invoice('A-5', 100_000)]);
    // The sync read after the delivery reflects it: the MMS balance is what counts now.
    expect(await record(b.postingRecord.id)).toMatchObject({ status: 'pending' });
  });
});
