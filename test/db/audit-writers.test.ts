import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeAudit } from '../../src/db/audit.ts';
import { createTestFirm, startTestApp, type TestApp, type TestFirm } from '../support/app.ts';
import { syncBasicMms, takePayment } from '../support/fixtures.ts';

/**
 * Two code paths write audit events: db/audit.ts writeAudit, and take_payment (migrations
 * 0006, 0007), which writes a payment's events in the same statement as the payment for
 * intake's speed. They must write the same rows: each event take_payment wrote, written
 * again through writeAudit, gives a row equal in every column but its id and time.
 */
describe('take_payment writes audit events as writeAudit does', () => {
  let t: TestApp;
  let firm: TestFirm;
  beforeAll(async () => {
    t = await startTestApp();
    firm = await createTestFirm(t, 'AUD');
    await syncBasicMms(t, firm);
  });
  afterAll(async () => t.close());

  it('for a payment taken in with its record', async () => {
    const taken = await takePayment(t, firm, { invoiceNumbers: ['INV-100'], amountCents: 1200 });
    const db = t.conn.db;
    const intake = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('firm_id', '=', firm.id)
      .orderBy('id')
      .execute();
    const ours = intake.filter(
      (e) => e.record_id === taken.postingRecord.id || JSON.stringify(e.detail).includes(taken.payment.id),
    );
    expect(ours.map((e) => e.action)).toEqual(['payment_taken', 'created']);
    for (const event of ours) {
      const actor = { kind: event.actor_kind, id: event.actor_id, label: event.actor_label };
      await writeAudit(db, firm.id, actor, [
        {
          action: event.action,
          recordId: event.record_id,
          batchId: event.batch_id,
          from: event.from_status,
          to: event.to_status,
          detail: event.detail ?? undefined,
        },
      ]);
      const again = await db
        .selectFrom('audit_events')
        .selectAll()
        .where('firm_id', '=', firm.id)
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      const { id: _id, at: _at, ...written } = again;
      const { id: _id2, at: _at2, ...fromSql } = event;
      expect(written).toEqual(fromSql);
    }
  });
});
