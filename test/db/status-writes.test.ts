import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRecordStatuses } from '../../src/db/postings.ts';
import { inTransaction } from '../../src/db/transaction.ts';
import { transition } from '../../src/domain/state-machine.ts';
import { createTestFirm, startTestApp, type TestApp, type TestFirm } from '../support/app.ts';
import { syncBasicMms, takePayment } from '../support/fixtures.ts';

/**
 * The one status write of a posting record stores only the state machine's decision, and
 * only while the record is still in the status the decision was taken from: a decision
 * for another status (stale, or meant for another record) fails and writes nothing.
 */
describe('writeRecordStatuses', () => {
  let t: TestApp;
  let firm: TestFirm;
  beforeAll(async () => {
    t = await startTestApp();
    firm = await createTestFirm(t, 'STW');
    await syncBasicMms(t, firm);
  });
  afterAll(async () => t.close());

  it('refuses a decision taken from another status and keeps the whole change out', async () => {
    const a = await takePayment(t, firm, { invoiceNumbers: ['INV-100'], amountCents: 100 });
    const b = await takePayment(t, firm, { invoiceNumbers: ['INV-101'], amountCents: 100 });
    const db = t.conn.db;
    const read = () =>
      db.selectFrom('posting_records').selectAll().where('firm_id', '=', firm.id).orderBy('id').execute();
    const before = await read();
    expect(before.map((r) => r.status)).toEqual(['pending', 'pending']);
    const moves = [
      { id: a.postingRecord.id, transition: transition('pending', 'remove')! },
      // Decided for a removed record: this one is pending.
      { id: b.postingRecord.id, transition: transition('removed', 'move_to_pending', 'pending')! },
    ];
    await expect(
      inTransaction(db, (tx) => writeRecordStatuses(tx, firm.id, { moves }, { removalNote: 'x' }, new Date())),
    ).rejects.toThrow(/no longer in the status/);
    expect(await read()).toEqual(before);
    // Another firm's id changes nothing either.
    const other = await createTestFirm(t, 'STX');
    await expect(
      inTransaction(db, (tx) => writeRecordStatuses(tx, other.id, { moves: [moves[0]!] }, {}, new Date())),
    ).rejects.toThrow(/changed 0 of 1/);
    expect(await read()).toEqual(before);
  });
});
