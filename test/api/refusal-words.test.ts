import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestFirm, startTestApp, type TestApp, type TestFirm } from '../support/app.ts';
import { syncBasicMms, takePayment } from '../support/fixtures.ts';

/**
 * Issue 16: a refusal for a record's state names the record in words (payer, amount, day,
 * invoices) and says what to do instead; the ids stay in the details, never in the message.
 */
describe('wrong-state refusals in words', () => {
  let t: TestApp;
  let firm: TestFirm;

  beforeAll(async () => {
    t = await startTestApp();
    firm = await createTestFirm(t, 'WORDS');
    await syncBasicMms(t, firm);
    // The day a record is named by is the firm's: noon UTC is the same day in New York.
    await t.conn.db.updateTable('firms').set({ time_zone: 'America/New_York' }).where('id', '=', firm.id).execute();
  });
  afterAll(async () => t.close());

  const NOON = '2026-03-02T17:00:00.000Z';
  const take = (payerName: string, overrides: object = {}) =>
    takePayment(t, firm, {
      payerName,
      amountCents: 1_250,
      invoiceNumbers: ['INV-101'],
      processedAt: NOON,
      ...overrides,
    });
  const refusal = async (res: { statusCode: number; json: () => { error: { code: string; message: string } } }) => {
    expect(res.statusCode).toBe(409);
    return res.json().error;
  };
  const queued = async (payerName: string) => {
    const rec = await take(payerName);
    const posted = await call(t, firm.accountant, 'POST', '/postings/post', { ids: [rec.postingRecord.id] });
    expect(posted.statusCode, posted.body).toBe(200);
    return rec;
  };

  it('edit (Edit Posting Record and Reallocate Payment) of a queued record', async () => {
    const rec = await queued('Dana Whitfield');
    const error = await refusal(
      await call(t, firm.accountant, 'PATCH', `/postings/${rec.postingRecord.id}`, {
        version: rec.postingRecord.version + 1,
        allocations: [{ invoiceNumber: 'INV-102', amountCents: 1_250 }],
      }),
    );
    expect(error).toMatchObject({ code: 'invalid_state' });
    expect(error.message).toBe(
      "cannot edit: Dana Whitfield's payment of $12.50 on 03/02/2026 (invoice INV-101) is queued: it is on its way to the MMS; once posted, change it with Correct allocation on the record (only pending or incomplete records can be edited)",
    );
    expect(error.message).not.toContain(rec.postingRecord.id);
  });

  it('remove of a queued record', async () => {
    const rec = await queued('Ellis Park');
    const error = await refusal(
      await call(t, firm.accountant, 'POST', '/postings/remove', { ids: [rec.postingRecord.id] }),
    );
    expect(error.message).toBe(
      "cannot remove: Ellis Park's payment of $12.50 on 03/02/2026 (invoice INV-101) is queued: it is on its way to the MMS and cannot be taken back; void or refund its payment in the Payment Manager (only pending or incomplete records can be removed)",
    );
  });

  it('move to pending of a record that is pending already, and of one in the MMS', async () => {
    const pending = await take('Fay Osei', { invoiceNumbers: ['INV-102'] });
    const inMms = await queued('Gus Ortiz');
    const error = await refusal(
      await call(t, firm.accountant, 'POST', '/postings/move-to-pending', {
        ids: [pending.postingRecord.id, inMms.postingRecord.id],
      }),
    );
    const [first, second] = [pending, inMms].sort((a, b) => (a.postingRecord.id < b.postingRecord.id ? -1 : 1));
    const words = (rec: typeof pending) =>
      rec === pending
        ? "Fay Osei's payment of $12.50 on 03/02/2026 (invoice INV-102) is pending: it is in Pending already"
        : "Gus Ortiz's payment of $12.50 on 03/02/2026 (invoice INV-101) is queued: it is on its way to the MMS";
    expect(error.message).toBe(
      `cannot move to pending: ${words(first!)}; ${words(second!)} (only removed records can be moved to pending)`,
    );
  });

  it('post of an incomplete record and of a removed one', async () => {
    const incomplete = await take('Hana Lee', { invoiceNumbers: [] });
    expect(incomplete.postingRecord.status).toBe('incomplete');
    const error = await refusal(
      await call(t, firm.accountant, 'POST', '/postings/post', { ids: [incomplete.postingRecord.id] }),
    );
    expect(error.message).toBe(
      "cannot post: Hana Lee's payment of $12.50 on 03/02/2026 is incomplete: fix its allocation with Edit Posting Record first (only pending records can be posted)",
    );
    const removed = await take('Ivo Grant');
    await call(t, firm.accountant, 'POST', '/postings/remove', { ids: [removed.postingRecord.id] });
    const again = await refusal(
      await call(t, firm.accountant, 'POST', '/postings/post', { ids: [removed.postingRecord.id] }),
    );
    expect(again.message).toBe(
      "cannot post: Ivo Grant's payment of $12.50 on 03/02/2026 (invoice INV-101) is removed: bring it back with Move to Pending first (only pending records can be posted)",
    );
  });

  it("reallocate of a reversal's lines", async () => {
    const rec = await queued('Jo Banks');
    const refund = await call(t, firm.accountant, 'POST', `/payments/${rec.payment.id}/reverse`, {
      kind: 'refund',
      amountCents: 500,
    });
    expect(refund.statusCode, refund.body).toBe(200);
    const reversal = refund.json().reversal as { id: string; version: number };
    const res = await call(t, firm.accountant, 'PATCH', `/postings/${reversal.id}`, {
      version: reversal.version,
      allocations: [{ invoiceNumber: 'INV-102', amountCents: 500 }],
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('reversal_not_editable');
    expect(res.json().error.message).toMatch(
      /^cannot reallocate Jo Banks's reversal of \$5\.00 on \d\d\/\d\d\/\d{4} \(invoice INV-101\): a reversal keeps its original's allocations; only its memo can change \(to apply the payment elsewhere, use Correct allocation on the original\)$/,
    );
    expect(res.json().error.message).not.toContain(reversal.id);
  });
});
