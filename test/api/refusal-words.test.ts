import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestFirm, startTestApp, type TestApp, type TestFirm } from '../support/app.ts';
import { randomUUID } from 'node:crypto';
import { acknowledgeInOrder, paymentBody, syncBasicMms, takePayment } from '../support/fixtures.ts';

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

  it('a save on an older version (another person changed the record first)', async () => {
    const rec = await take('Kim Reyes');
    const res = await call(t, firm.accountant, 'PATCH', `/postings/${rec.postingRecord.id}`, {
      version: rec.postingRecord.version + 1,
      memo: 'x',
    });
    const error = await refusal(res);
    expect(error).toMatchObject({
      code: 'stale_version',
      message:
        "Someone else changed Kim Reyes's payment of $12.50 on 03/02/2026 (invoice INV-101) while you were editing, so nothing was saved; reload to see their change and make yours again",
    });
    expect(res.json().error.details).toEqual({ id: rec.postingRecord.id, currentVersion: rec.postingRecord.version });
  });

  it('records and payments not found, the ids only in the details', async () => {
    const missing = randomUUID();
    for (const [method, path, body] of [
      ['GET', `/postings/${missing}`, undefined],
      ['POST', `/payments/${missing}/reverse`, { kind: 'chargeback' }],
      [
        'POST',
        `/postings/${missing}/correct`,
        { version: 1, allocations: [{ invoiceNumber: 'INV-101', amountCents: 1 }] },
      ],
    ] as const) {
      const res = await call(t, firm.accountant, method, path, body);
      expect(res.statusCode, path).toBe(404);
      expect(res.json().error.message, path).toMatch(/^this (posting record|payment) was not found: reload the page/);
      expect(res.json().error.message, path).not.toContain(missing);
      expect(res.json().error.details, path).toEqual({ id: missing });
    }
    const rec = await take('Lou Marsh');
    const res = await call(t, firm.accountant, 'POST', '/postings/remove', { ids: [rec.postingRecord.id, missing] });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toMatchObject({
      message: '1 of the 2 posting records chosen were not found: reload the list and choose them again',
      details: { ids: [missing] },
    });
  });

  it('correct allocation of a record not posted', async () => {
    const rec = await take('Mo Fenn');
    const res = await call(t, firm.accountant, 'POST', `/postings/${rec.postingRecord.id}/correct`, {
      version: rec.postingRecord.version,
      allocations: [{ invoiceNumber: 'INV-101', amountCents: 1_250 }],
    });
    const error = await refusal(res);
    expect(error.message).toBe(
      "cannot correct Mo Fenn's payment of $12.50 on 03/02/2026 (invoice INV-101): it is pending; only a posted record can be corrected",
    );
    expect(res.json().error.details).toEqual({ ids: [rec.postingRecord.id] });
  });

  it('void of a settled payment, and a reversal of one reversed already', async () => {
    const rec = await queued('Nia Cole');
    const words = "Nia Cole's payment of $12.50 on 03/02/2026 (invoice INV-101)";
    const reverse = (body: object) => call(t, firm.accountant, 'POST', `/payments/${rec.payment.id}/reverse`, body);
    const voided = await refusal(await reverse({ kind: 'void' }));
    expect(voided.code).toBe('not_voidable');
    expect(voided.message.startsWith(`${words} can no longer be voided: `)).toBe(true);
    expect((await reverse({ kind: 'chargeback' })).statusCode).toBe(200);
    const again = await reverse({ kind: 'chargeback' });
    const error = await refusal(again);
    expect(error).toMatchObject({
      code: 'invalid_state',
      message: `cannot reverse ${words}: it is charged back already; only an approved payment can be voided or refunded`,
    });
    expect(again.json().error.details).toEqual({ id: rec.payment.id });
  });

  it("the agent's MMS answers for a record not in the batch, and against an earlier answer", async () => {
    const rec = await queued('Omar Diaz');
    const [batch] = (
      await t.conn.db.selectFrom('posting_records').select('batch_id').where('id', '=', rec.postingRecord.id).execute()
    ).map((r) => r.batch_id!);
    await acknowledgeInOrder(t, firm, batch!, true);
    const stranger = await take('Pia Stone', { invoiceNumbers: ['INV-102'] });
    const answer = (body: object) => call(t, firm.agent, 'POST', `/agent/batches/${batch}/outcome`, body);
    const nobody = [randomUUID(), randomUUID()];
    const notIn = await answer({
      records: [stranger.postingRecord.id, ...nobody].map((recordId) => ({ recordId, outcome: 'applied' })),
    });
    expect(notIn.statusCode).toBe(404);
    expect(notIn.json().error.message).toMatch(
      /^not in batch \d+: Pia Stone's payment of \$12\.50 on 03\/02\/2026 \(invoice INV-102\); 2 records the firm does not have; answer only for the records the batch file holds$/,
    );
    expect(notIn.json().error.details).toEqual({ ids: [stranger.postingRecord.id, ...nobody] });
    expect((await answer({ outcome: 'applied' })).statusCode).toBe(200);
    const conflict = await answer({ outcome: 'rejected', message: 'no such invoice' });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().error.message).toMatch(
      /^the MMS already answered otherwise in batch \d+ for Omar Diaz's payment of \$12\.50 on 03\/02\/2026 \(invoice INV-101\) \(applied\)$/,
    );
    expect(conflict.json().error.details).toEqual({ ids: [rec.postingRecord.id] });
  });

  it("a deposit account of the other kind, and a payment page's account", async () => {
    const accounts = (await call(t, firm.admin, 'GET', '/deposit-accounts')).json().items as {
      id: string;
      name: string;
      kind: string;
      isDefault: boolean;
    }[];
    const trust = accounts.find((a) => a.kind === 'trust' && a.isDefault)!;
    const wrongKind = await call(
      t,
      firm.accountant,
      'POST',
      '/payments',
      paymentBody({ account: 'operating', depositAccountId: trust.id }),
    );
    expect(wrongKind.statusCode).toBe(400);
    expect(wrongKind.json().error.message).toBe(
      `deposit account "${trust.name}" is a trust account but the money is for the operating account; choose an operating deposit account`,
    );
    expect(wrongKind.json().error.details).toMatchObject({ id: trust.id });

    const page = await call(t, firm.admin, 'POST', '/payment-pages', {
      name: 'Trust retainers',
      slug: 'words-trust',
      account: 'trust',
      createPostingRecord: true,
    });
    expect(page.statusCode, page.body).toBe(201);
    const onPage = await call(
      t,
      firm.accountant,
      'POST',
      '/payments',
      paymentBody({ origin: 'payment_page', paymentPageId: page.json().id, account: 'operating' }),
    );
    expect(onPage.statusCode).toBe(400);
    expect(onPage.json().error.message).toBe(
      'this payment is for the operating account but payment page "Trust retainers" deposits to the trust account; take it as trust, or without the page',
    );
    expect(onPage.json().error.message).not.toContain(page.json().id);
  });
});
