import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestFirm, startTestApp, type TestApp, type TestFirm } from '../support/app.ts';
import { syncBasicMms, takePayment } from '../support/fixtures.ts';

describe('Post All, batches and the agent acknowledgement', () => {
  let t: TestApp;
  let firm: TestFirm;
  beforeAll(async () => {
    t = await startTestApp();
    firm = await createTestFirm(t, 'BAT');
    await syncBasicMms(t, firm);
  });
  afterAll(async () => t.close());

  it('20 concurrent Post All requests make one batch holding every pending record exactly once', async () => {
    const made: string[] = [];
    for (let i = 0; i < 30; i++)
      made.push(
        (
          await takePayment(t, firm, {
            invoiceNumbers: [`INV-10${i % 5}`],
            clientNumber: i % 5 < 3 ? 'C1' : 'C2',
            amountCents: 100 + i,
          })
        ).postingRecord.id,
      );
    const pendingBefore = await t.conn.db
      .selectFrom('posting_records')
      .select('id')
      .where('status', '=', 'pending')
      .execute();
    expect(pendingBefore.length).toBe(30);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => call(t, firm.accountant, 'POST', '/postings/post', { all: true })),
    );
    expect(answers.every((a) => a.statusCode === 200)).toBe(true);
    const batches = answers.map((a) => a.json().batch).filter(Boolean);
    expect(batches).toHaveLength(1);
    expect(batches[0].recordCount).toBe(30);
    const stored = await t.conn.db.selectFrom('batches').selectAll().execute();
    expect(stored).toHaveLength(1);
    const perRecord = await sql<{ record_id: string; batches: number }>`
      select r.id as record_id, count(distinct bl.batch_id)::int as batches
      from posting_records r left join batch_lines bl on bl.record_id = r.id and bl.firm_id = r.firm_id
      where r.firm_id = ${firm.id} group by r.id`.execute(t.conn.db);
    expect(perRecord.rows.every((r) => r.batches === 1)).toBe(true);
    expect(perRecord.rows.length).toBe(30);
  });

  it('Post All with nothing pending answers batch null and makes no empty batch', async () => {
    const res = await call(t, firm.accountant, 'POST', '/postings/post', { all: true });
    expect(res.json()).toEqual({ batch: null });
    expect(await t.conn.db.selectFrom('batches').selectAll().execute()).toHaveLength(1);
  });

  it('keeps the batch sequence gap-free', async () => {
    for (let i = 0; i < 3; i++) {
      await takePayment(t, firm, { invoiceNumbers: ['INV-102'], amountCents: 10 });
      await call(t, firm.accountant, 'POST', '/postings/post', { all: true });
    }
    const seqs = (
      await t.conn.db.selectFrom('batches').select('seq').where('firm_id', '=', firm.id).orderBy('seq').execute()
    ).map((b) => b.seq);
    expect(seqs).toEqual([1, 2, 3, 4]);
  });

  it('the agent lists undelivered batches oldest first, downloads, and acknowledges idempotently', async () => {
    const list = await call(t, firm.agent, 'GET', '/agent/batches');
    expect(list.statusCode).toBe(200);
    const items = list.json().items;
    expect(items.map((b: { seq: number }) => b.seq)).toEqual([1, 2, 3, 4]);
    const first = items[0];
    const file = await call(t, firm.agent, 'GET', `/agent/batches/${first.id}/file`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['x-sha256']).toBe(first.sha256);

    const wrong = await call(t, firm.agent, 'POST', `/agent/batches/${first.id}/ack`, { sha256: '0'.repeat(64) });
    expect(wrong.statusCode).toBe(409);
    // It does not tell the caller the hash it expected.
    expect(wrong.json().error).toEqual({
      code: 'sha256_mismatch',
      message: 'batch 1: the sha256 sent does not match the file',
      details: { id: first.id },
    });
    expect(wrong.body).not.toContain(first.sha256);
    // Batch 2 waits until batch 1 is acknowledged.
    const second = items[1];
    const early = await call(t, firm.agent, 'POST', `/agent/batches/${second.id}/ack`, { sha256: second.sha256 });
    expect(early.statusCode).toBe(409);
    expect(early.json().error).toMatchObject({
      code: 'batch_out_of_order',
      details: { id: second.id, waitingFor: first.id },
    });
    expect(
      (await t.conn.db.selectFrom('batches').select('status').where('id', '=', second.id).executeTakeFirstOrThrow())
        .status,
    ).toBe('queued');
    expect(
      (await t.conn.db.selectFrom('batches').select('status').where('id', '=', first.id).executeTakeFirstOrThrow())
        .status,
    ).toBe('queued');

    const ack = await call(t, firm.agent, 'POST', `/agent/batches/${first.id}/ack`, { sha256: first.sha256 });
    expect(ack.statusCode, ack.body).toBe(200);
    expect(ack.json()).toMatchObject({ seq: 1, status: 'delivered', alreadyAcknowledged: false });
    const again = await call(t, firm.agent, 'POST', `/agent/batches/${first.id}/ack`, { sha256: first.sha256 });
    expect(again.json()).toMatchObject({
      seq: 1,
      status: 'delivered',
      alreadyAcknowledged: true,
      deliveredAt: ack.json().deliveredAt,
    });

    const records = await t.conn.db
      .selectFrom('posting_records')
      .select('status')
      .where('batch_id', '=', first.id)
      .execute();
    expect(records.every((r) => r.status === 'posted')).toBe(true);
    // One audit event for the batch's 30 records, written once however often the agent acknowledges,
    // and in the history of each of them.
    const events = await t.conn.db
      .selectFrom('audit_events')
      .select(['record_id', 'batch_id', 'from_status', 'to_status', 'detail'])
      .where('action', '=', 'acknowledged')
      .execute();
    expect(events).toEqual([
      {
        record_id: null,
        batch_id: first.id,
        from_status: 'queued',
        to_status: 'posted',
        detail: { seq: 1, records: 30 },
      },
    ]);
    // Posting them wrote one event for the batch too, not one per record.
    const postedEvents = await t.conn.db
      .selectFrom('audit_events')
      .select(['record_id', 'from_status', 'to_status', 'detail'])
      .where('action', '=', 'posted')
      .where('batch_id', '=', first.id)
      .execute();
    expect(postedEvents).toEqual([
      { record_id: null, from_status: 'pending', to_status: 'queued', detail: { seq: 1, records: 30 } },
    ]);
    const [one] = await t.conn.db
      .selectFrom('posting_records')
      .select('id')
      .where('batch_id', '=', first.id)
      .limit(1)
      .execute();
    const history = (await call(t, firm.viewer, 'GET', `/postings/${one!.id}`)).json().history;
    expect(
      history.map((h: { action: string; from: string | null; to: string | null }) => [h.action, h.from, h.to]),
    ).toEqual([
      ['created', null, 'pending'],
      ['posted', 'pending', 'queued'],
      ['acknowledged', 'queued', 'posted'],
    ]);
    expect(
      (await call(t, firm.agent, 'GET', '/agent/batches')).json().items.map((b: { seq: number }) => b.seq),
    ).toEqual([2, 3, 4]);
    const posted = await call(t, firm.viewer, 'GET', '/postings/counts');
    expect(posted.json().posted).toBe(30);
  });

  it('lists batch history newest first with a cursor', async () => {
    const page1 = (await call(t, firm.viewer, 'GET', '/batches?limit=2')).json();
    expect(page1.items.map((b: { seq: number }) => b.seq)).toEqual([4, 3]);
    const page2 = (await call(t, firm.viewer, 'GET', `/batches?limit=2&cursor=${page1.nextCursor}`)).json();
    expect(page2.items.map((b: { seq: number }) => b.seq)).toEqual([2, 1]);
    expect(page2.nextCursor).toBeNull();
    expect(page2.items[1].deliveredAt).not.toBeNull();
  });

  it('batch lines are unique per record allocation: the database refuses a second batch for a record', async () => {
    const line = await t.conn.db.selectFrom('batch_lines').selectAll().limit(1).executeTakeFirstOrThrow();
    await expect(
      t.conn.db
        .insertInto('batch_lines')
        .values({ ...line, file_line: 999_999 })
        .execute(),
    ).rejects.toThrow();
  });
});

describe('a posted payment counts against its invoice until the MMS balance is synced back', () => {
  let t: TestApp;
  let firm: TestFirm;
  beforeAll(async () => {
    t = await startTestApp();
    firm = await createTestFirm(t, 'BAL');
    await syncBasicMms(t, firm);
  });
  afterAll(async () => t.close());

  it('flags a second full payment of a delivered invoice, then follows the synced balance', async () => {
    const first = await takePayment(t, firm, { invoiceNumbers: ['INV-102'], amountCents: 100000 });
    const batch = (await call(t, firm.accountant, 'POST', '/postings/post', { ids: [first.postingRecord.id] })).json()
      .batch;
    const sha = (await call(t, firm.agent, 'GET', '/agent/batches')).json().items[0].sha256;
    expect((await call(t, firm.agent, 'POST', `/agent/batches/${batch.id}/ack`, { sha256: sha })).statusCode).toBe(200);

    const twice = await takePayment(t, firm, { invoiceNumbers: ['INV-102'], amountCents: 100000 });
    expect(twice.postingRecord.reasons).toEqual(['exceeds_balance']);

    // The MMS took the receipt: its sync brings the invoice back paid.
    await call(t, firm.agent, 'POST', '/agent/sync', {
      invoices: [
        {
          invoiceNumber: 'INV-102',
          clientNumber: 'C1',
          matterNumber: 'M1',
          invoiceDate: '2026-03-05',
          totalCents: 100000,
          balanceCents: 0,
          status: 'paid',
        },
      ],
    });
    const after = await takePayment(t, firm, { invoiceNumbers: ['INV-102'], amountCents: 100 });
    expect(after.postingRecord.reasons).toEqual(['invoice_closed']);
  });
});
