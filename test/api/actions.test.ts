import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestFirm, startTestApp, type TestApp, type TestFirm } from '../support/app.ts';
import { syncBasicMms, takePayment } from '../support/fixtures.ts';

describe('actions on posting records', () => {
  let t: TestApp;
  let firm: TestFirm;
  beforeAll(async () => {
    t = await startTestApp();
    firm = await createTestFirm(t, 'ACT');
    await syncBasicMms(t, firm);
  });
  afterAll(async () => t.close());

  const get = async (id: string) => (await call(t, firm.viewer, 'GET', `/postings/${id}`)).json();

  it('Post Selected is all-or-nothing and names the records that are not pending', async () => {
    const ok = await takePayment(t, firm, { invoiceNumbers: ['INV-100'], amountCents: 1000 });
    const bad = await takePayment(t, firm, { invoiceNumbers: [] });
    const res = await call(t, firm.accountant, 'POST', '/postings/post', {
      ids: [ok.postingRecord.id, bad.postingRecord.id],
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.details.ids).toEqual([bad.postingRecord.id]);
    expect(res.json().error.message).not.toContain(bad.postingRecord.id);
    expect(res.json().error.message).toMatch(
      /^cannot post: Acme Holdings's payment of \$250\.00 on \d\d\/\d\d\/2026 is incomplete: /,
    );
    expect((await get(ok.postingRecord.id)).status).toBe('pending');
    expect(await t.conn.db.selectFrom('batches').selectAll().execute()).toHaveLength(0);
  });

  it('Post Selected makes one batch of the chosen records and moves them to queued', async () => {
    const a = await takePayment(t, firm, { invoiceNumbers: ['INV-100'], amountCents: 1000 });
    const b = await takePayment(t, firm, { invoiceNumbers: ['INV-101'], amountCents: 2000 });
    const res = await call(t, firm.accountant, 'POST', '/postings/post', {
      ids: [a.postingRecord.id, b.postingRecord.id],
    });
    expect(res.statusCode, res.body).toBe(200);
    const batch = res.json().batch;
    expect(batch).toMatchObject({
      seq: 1,
      lineCount: 2,
      recordCount: 2,
      totalCents: 3000,
      fileName: 'PB_ACT_000001.csv',
    });
    const record = await get(a.postingRecord.id);
    expect(record.status).toBe('queued');
    expect(record.batch.id).toBe(batch.id);
    expect(record.history.map((h: { action: string }) => h.action)).toEqual(['created', 'posted']);
  });

  it('refuses a second post of a queued record and changes nothing', async () => {
    const queued = await t.conn.db
      .selectFrom('posting_records')
      .select(['id', 'version'])
      .where('status', '=', 'queued')
      .executeTakeFirstOrThrow();
    const res = await call(t, firm.accountant, 'POST', '/postings/post', { ids: [queued.id] });
    expect(res.statusCode).toBe(409);
    const after = await t.conn.db
      .selectFrom('posting_records')
      .select('version')
      .where('id', '=', queued.id)
      .executeTakeFirstOrThrow();
    expect(after.version).toBe(queued.version);
  });

  it('renders the batch file exactly once, with the trailer matching its lines', async () => {
    const list = (await call(t, firm.viewer, 'GET', '/batches')).json();
    const batch = list.items[0];
    const file = await call(t, firm.viewer, 'GET', `/batches/${batch.id}/file`);
    expect(file.statusCode).toBe(200);
    const text = file.body;
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'record_id,payment_id,line,posting_date,account,invoice_number,client_number,matter_number,amount,surcharge,method,payer,memo',
    );
    expect(lines.at(-1)).toBe(`#TRAILER,${batch.seq},${batch.lineCount},30.00`);
    expect(lines).toHaveLength(batch.lineCount + 2);
    const { createHash } = await import('node:crypto');
    expect(createHash('sha256').update(file.rawPayload).digest('hex')).toBe(batch.sha256);
    await expect(
      t.conn.db.updateTable('batches').set({ file_name: 'x.csv' }).where('id', '=', batch.id).execute(),
    ).rejects.toThrow(/immutable/);
    await expect(
      t.conn.db
        .updateTable('batches')
        .set({ content: Buffer.from('x') })
        .where('id', '=', batch.id)
        .execute(),
    ).rejects.toThrow(/immutable/);
    // The zone and the posting date its lines were dated by (migration 0008) never change either.
    await expect(
      t.conn.db.updateTable('batches').set({ time_zone: 'UTC' }).where('id', '=', batch.id).execute(),
    ).rejects.toThrow(/immutable/);
    await expect(
      t.conn.db.updateTable('batches').set({ posting_date: '2020-01-01' }).where('id', '=', batch.id).execute(),
    ).rejects.toThrow(/immutable/);
    // Named with a column that may change, a column that may not is still refused.
    await expect(
      t.conn.db
        .updateTable('batches')
        .set({ status: 'queued', file_format: 'juris-csv' })
        .where('id', '=', batch.id)
        .execute(),
    ).rejects.toThrow(/immutable/);
  });

  it('Remove Posts takes pending and incomplete records to removed with the note; Move to Pending classifies again', async () => {
    const pending = await takePayment(t, firm, { invoiceNumbers: ['INV-102'], amountCents: 500 });
    const incomplete = await takePayment(t, firm, { invoiceNumbers: ['NOPE'] });
    const res = await call(t, firm.accountant, 'POST', '/postings/remove', {
      ids: [pending.postingRecord.id, incomplete.postingRecord.id],
      note: 'entered by hand',
    });
    expect(res.statusCode, res.body).toBe(200);
    const removed = await get(pending.postingRecord.id);
    expect(removed.status).toBe('removed');
    expect(removed.removalNote).toBe('entered by hand');
    const moved = await call(t, firm.accountant, 'POST', '/postings/move-to-pending', {
      ids: [pending.postingRecord.id, incomplete.postingRecord.id],
    });
    expect(moved.statusCode, moved.body).toBe(200);
    const byId = Object.fromEntries(moved.json().records.map((r: { id: string; status: string }) => [r.id, r.status]));
    expect(byId[pending.postingRecord.id]).toBe('pending');
    expect(byId[incomplete.postingRecord.id]).toBe('incomplete');
    expect((await get(pending.postingRecord.id)).history.map((h: { action: string }) => h.action)).toEqual([
      'created',
      'removed',
      'moved_to_pending',
    ]);
  });

  it('Move to Pending refuses records that are not removed', async () => {
    const pending = await takePayment(t, firm, { invoiceNumbers: ['INV-102'], amountCents: 500 });
    const res = await call(t, firm.accountant, 'POST', '/postings/move-to-pending', {
      ids: [pending.postingRecord.id],
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.details.ids).toEqual([pending.postingRecord.id]);
  });

  it('Edit reallocates an incomplete record to pending and refuses a stale version', async () => {
    const rec = await takePayment(t, firm, { invoiceNumbers: ['INV-100', 'INV-101'], amountCents: 3000 });
    expect(rec.postingRecord.status).toBe('incomplete');
    const edit = await call(t, firm.accountant, 'PATCH', `/postings/${rec.postingRecord.id}`, {
      version: rec.postingRecord.version,
      allocations: [
        { invoiceNumber: 'INV-100', amountCents: 1000 },
        { invoiceNumber: 'INV-101', amountCents: 2000 },
      ],
      memo: 'split per client email',
    });
    expect(edit.statusCode, edit.body).toBe(200);
    expect(edit.json()).toMatchObject({
      status: 'pending',
      reasons: [],
      memo: 'split per client email',
      version: rec.postingRecord.version + 1,
    });
    const stale = await call(t, firm.accountant, 'PATCH', `/postings/${rec.postingRecord.id}`, {
      version: rec.postingRecord.version,
      allocations: [{ invoiceNumber: 'INV-100', amountCents: 3000 }],
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('stale_version');
    expect((await get(rec.postingRecord.id)).allocations).toHaveLength(2);
  });

  it('Edit refuses allocations that do not sum to the receipt (422) and changes nothing', async () => {
    const rec = await takePayment(t, firm, { invoiceNumbers: ['NOPE-2'], amountCents: 3000 });
    const res = await call(t, firm.accountant, 'PATCH', `/postings/${rec.postingRecord.id}`, {
      version: rec.postingRecord.version,
      allocations: [{ invoiceNumber: 'INV-100', amountCents: 1000 }],
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.message).toMatch(/10\.00.*30\.00|30\.00.*10\.00/);
    expect((await get(rec.postingRecord.id)).version).toBe(rec.postingRecord.version);
  });

  it('a viewer can read but not act', async () => {
    const rec = await takePayment(t, firm, { invoiceNumbers: ['INV-100'], amountCents: 100 });
    expect((await call(t, firm.viewer, 'POST', '/postings/post', { all: true })).statusCode).toBe(403);
    expect((await call(t, firm.viewer, 'POST', '/postings/remove', { ids: [rec.postingRecord.id] })).statusCode).toBe(
      403,
    );
    expect((await call(t, firm.viewer, 'GET', `/postings/${rec.postingRecord.id}`)).statusCode).toBe(200);
  });

  it('reversing a pending payment removes its record; Move to Pending then refuses it', async () => {
    const rec = await takePayment(t, firm, { invoiceNumbers: ['INV-100'], amountCents: 100 });
    const res = await call(t, firm.accountant, 'POST', `/payments/${rec.payment.id}/reverse`, { kind: 'refund' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().payment.status).toBe('refunded');
    const record = await get(rec.postingRecord.id);
    expect(record).toMatchObject({ status: 'removed', reasons: ['payment_reversed'], removalNote: 'payment refunded' });
    const move = await call(t, firm.accountant, 'POST', '/postings/move-to-pending', { ids: [rec.postingRecord.id] });
    expect(move.statusCode).toBe(409);
    expect(move.json().error.code).toBe('payment_reversed');
    expect(move.json().error.message).toMatch(
      /^the payment from .+ \(refunded\) was reversed, so its record stays removed$/,
    );
    const again = await call(t, firm.accountant, 'POST', `/payments/${rec.payment.id}/reverse`, { kind: 'refund' });
    expect(again.statusCode).toBe(409);
  });

  it('a chargeback removes the pending record with a note in words, not the status code', async () => {
    const rec = await takePayment(t, firm, { invoiceNumbers: ['INV-100'], amountCents: 100 });
    const res = await call(t, firm.accountant, 'POST', `/payments/${rec.payment.id}/reverse`, { kind: 'chargeback' });
    expect(res.statusCode, res.body).toBe(200);
    expect(await get(rec.postingRecord.id)).toMatchObject({ status: 'removed', removalNote: 'payment charged back' });
  });

  it('reversing the payment of a record already removed keeps it removed, saying why', async () => {
    const rec = await takePayment(t, firm, { invoiceNumbers: ['INV-100'], amountCents: 100 });
    await call(t, firm.accountant, 'POST', '/postings/remove', { ids: [rec.postingRecord.id], note: 'by hand' });
    const res = await call(t, firm.accountant, 'POST', `/payments/${rec.payment.id}/reverse`, { kind: 'refund' });
    expect(res.statusCode, res.body).toBe(200);
    expect(await get(rec.postingRecord.id)).toMatchObject({
      status: 'removed',
      reasons: ['payment_reversed'],
      removalNote: 'by hand',
    });
  });

  it('reversing a queued payment creates a negative pending record mirroring the original', async () => {
    const rec = await takePayment(t, firm, { invoiceNumbers: ['INV-101'], amountCents: 4500, surchargeCents: 100 });
    await call(t, firm.accountant, 'POST', '/postings/post', { ids: [rec.postingRecord.id] });
    const res = await call(t, firm.accountant, 'POST', `/payments/${rec.payment.id}/reverse`, { kind: 'chargeback' });
    expect(res.statusCode, res.body).toBe(200);
    const reversal = res.json().reversal;
    expect(reversal).toMatchObject({
      status: 'pending',
      paymentId: rec.payment.id,
      reversalOf: rec.postingRecord.id,
      amountCents: -4400,
    });
    expect(reversal.allocations).toEqual([
      { invoiceNumber: 'INV-101', clientNumber: 'C1', matterNumber: 'M1', amountCents: -4400 },
    ]);
    expect((await get(rec.postingRecord.id)).status).toBe('queued');
  });

  it("Edit changes a reversal's memo when sent its lines as the amounts they take back, and refuses other lines", async () => {
    const rec = await takePayment(t, firm, { invoiceNumbers: ['INV-102'], amountCents: 3000 });
    await call(t, firm.accountant, 'POST', '/postings/post', { ids: [rec.postingRecord.id] });
    const refund = await call(t, firm.accountant, 'POST', `/payments/${rec.payment.id}/reverse`, {
      kind: 'refund',
      amountCents: 1200,
    });
    expect(refund.statusCode, refund.body).toBe(200);
    const reversal = refund.json().reversal;
    expect(reversal).toMatchObject({ reversalKind: 'refund', amountCents: -1200, memo: '' });
    const edit = (amountCents: number, version: number) =>
      call(t, firm.accountant, 'PATCH', `/postings/${reversal.id}`, {
        version,
        allocations: [{ invoiceNumber: 'INV-102', amountCents }],
        memo: 'Refund agreed on the phone',
      });
    const other = await edit(1000, reversal.version);
    expect(other.statusCode).toBe(409);
    expect(other.json().error.code).toBe('reversal_not_editable');
    const saved = await edit(1200, reversal.version);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ status: 'pending', memo: 'Refund agreed on the phone', amountCents: -1200 });
    expect(saved.json().allocations).toEqual([
      { invoiceNumber: 'INV-102', clientNumber: 'C1', matterNumber: 'M1', amountCents: -1200 },
    ]);
  });

  it('a transition the state machine refuses writes nothing: no record, line, batch or audit event changes', async () => {
    const pending = await takePayment(t, firm, { invoiceNumbers: ['INV-102'], amountCents: 300 });
    const queued = await takePayment(t, firm, { invoiceNumbers: ['INV-102'], amountCents: 200 });
    expect(
      (await call(t, firm.accountant, 'POST', '/postings/post', { ids: [queued.postingRecord.id] })).statusCode,
    ).toBe(200);
    const removed = await takePayment(t, firm, { invoiceNumbers: ['INV-101'], amountCents: 100 });
    expect(
      (await call(t, firm.accountant, 'POST', '/postings/remove', { ids: [removed.postingRecord.id] })).statusCode,
    ).toBe(200);
    const db = t.conn.db;
    const snapshot = async () => ({
      records: await db
        .selectFrom('posting_records')
        .selectAll()
        .where('firm_id', '=', firm.id)
        .orderBy('id')
        .execute(),
      allocations: await db
        .selectFrom('allocations')
        .selectAll()
        .where('firm_id', '=', firm.id)
        .orderBy('record_id')
        .orderBy('line')
        .execute(),
      batches: await db
        .selectFrom('batches')
        .select(['id', 'status', 'delivered_at'])
        .where('firm_id', '=', firm.id)
        .orderBy('seq')
        .execute(),
      audit: await db.selectFrom('audit_events').select('id').where('firm_id', '=', firm.id).orderBy('id').execute(),
    });
    const before = await snapshot();
    // Each asks for a change the table forbids for one of its records (SPEC §4): the others would be allowed.
    const refused: [string, { ids: string[] }][] = [
      ['/postings/post', { ids: [pending.postingRecord.id, removed.postingRecord.id] }],
      ['/postings/remove', { ids: [pending.postingRecord.id, queued.postingRecord.id] }],
      ['/postings/move-to-pending', { ids: [removed.postingRecord.id, pending.postingRecord.id] }],
    ];
    for (const [path, body] of refused) {
      const res = await call(t, firm.accountant, 'POST', path, body);
      expect(res.statusCode, `${path}: ${res.body}`).toBe(409);
      expect(res.json().error.code).toBe('invalid_state');
    }
    const edit = await call(t, firm.accountant, 'PATCH', `/postings/${queued.postingRecord.id}`, {
      version: 1,
      allocations: [{ invoiceNumber: 'INV-102', clientNumber: 'C1', matterNumber: 'M1', amountCents: 200 }],
    });
    expect(edit.statusCode, edit.body).toBe(409);
    expect(await snapshot()).toEqual(before);
  });
});
