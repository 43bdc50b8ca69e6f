import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection, Db } from '../../src/db/connect.ts';
import { findDefaultDepositAccount } from '../../src/db/deposit-accounts.ts';
import { insertPayout } from '../../src/db/payouts.ts';
import type { Actor } from '../../src/domain/actor.ts';
import { MMS_STATES, mmsStateOf, needsAttention } from '../../src/domain/deposits.ts';
import { cents } from '../../src/domain/money.ts';
import { PAYOUT_LINE_KINDS, payoutTotals, type PayoutLine, type PayoutLineKind } from '../../src/domain/payouts.ts';
import { RECORD_STATUSES } from '../../src/domain/types.ts';
import { createFirm } from '../../src/usecases/auth/firms-and-users.ts';
import { acknowledgeBatch } from '../../src/usecases/batches/acknowledge-batch.ts';
import { recordMmsAnswer } from '../../src/usecases/batches/record-mms-answer.ts';
import { getDeposit } from '../../src/usecases/deposits/deposits.ts';
import { reversePayment } from '../../src/usecases/payments/reverse-payment.ts';
import { takePayment } from '../../src/usecases/payments/take-payment.ts';
import { correctRecord } from '../../src/usecases/postings/correct-record.ts';
import { editRecord } from '../../src/usecases/postings/edit-record.ts';
import { moveToPending } from '../../src/usecases/postings/move-to-pending.ts';
import { postRecords } from '../../src/usecases/postings/post-records.ts';
import { removeRecords } from '../../src/usecases/postings/remove-records.ts';
import { syncMms } from '../../src/usecases/sync/sync-mms.ts';
import { createTestDb, testEngine } from '../support/db.ts';
import { checkPayoutLines } from '../support/payout-lines.ts';

/**
 * Issue 18: each payout line keeps the record that carries it and whether it needs the
 * accountant (migration 0036), for the Deposits list's count. Every way a line's state
 * moves is walked here — a payment taken after its payout, remove, move to pending, edit,
 * post, delivery, the MMS applying and refusing, a correction, partial refunds (each a
 * new reversal the refund lines move to), a chargeback, a payout arriving late — and
 * after each the kept states equal the states found from scratch (checkPayoutLines).
 */
const actor: Actor = { kind: 'user', id: null, label: 'states@test' };

// Two writers at once need two sessions: PGlite has one, so these cases are registered on
// PostgreSQL only (not skipped on PGlite: simply not there).
const onPostgres = testEngine() === 'postgres' ? it : null;

describe(`payout lines keep their record and state on ${testEngine()}`, () => {
  let conn: Connection;
  beforeAll(async () => {
    conn = await createTestDb();
  });
  afterAll(async () => conn.close());

  it('the SQL rule is the domain rule, for every kind of line and state of its record', async () => {
    const statuses = [null, ...RECORD_STATUSES];
    const mms = [null, 'awaiting', 'applied', 'rejected'] as const;
    const cases = PAYOUT_LINE_KINDS.flatMap((kind) =>
      statuses.flatMap((status) => mms.map((mmsStatus) => ({ kind, status, mmsStatus }))),
    );
    const rows = await sql<{ n: number; attention: boolean }>`
      select c.n, payout_line_needs_attention(c.kind, c.status is not null, c.status, c.mms_status) as attention
      from unnest(${cases.map((c) => c.kind)}::text[], ${cases.map((c) => c.status)}::text[],
        ${cases.map((c) => c.mmsStatus)}::text[]) with ordinality as c(kind, status, mms_status, n)
      order by c.n`.execute(conn.db);
    const seen = new Set<string>();
    rows.rows.forEach((row, i) => {
      const c = cases[i]!;
      const state = mmsStateOf(c.kind, c.status ? { status: c.status, mmsStatus: c.mmsStatus } : null);
      seen.add(state);
      expect(row.attention, JSON.stringify(c)).toBe(needsAttention(state));
    });
    expect([...seen].sort()).toEqual([...MMS_STATES].sort());
  });

  /** A firm with two open invoices, and how a test takes payments and pays them out. */
  async function firmForPayouts(code: string) {
    const db = conn.db;
    const firm = await createFirm(db, { code, name: 'Payout Line States' });
    await syncMms(db, firm.id, actor, {
      clients: [{ clientNumber: 'C1', name: 'Client' }],
      matters: [{ clientNumber: 'C1', matterNumber: 'M1', description: '' }],
      invoices: ['A-1', 'A-2'].map((n, i) => ({
        invoiceNumber: n,
        clientNumber: 'C1',
        matterNumber: 'M1',
        invoiceDate: `2026-01-0${i + 1}`,
        totalCents: 100_000,
        balanceCents: 100_000,
        status: 'open' as const,
      })),
      full: false,
    });
    const account = await findDefaultDepositAccount(db, firm.id, 'operating');
    const take = async (processorId: string, amountCents: number, invoiceNumbers: string[]) => {
      const taken = await takePayment(db, firm.id, actor, {
        processorId,
        origin: 'connect',
        amountCents: cents(amountCents),
        method: 'card',
        account: 'operating',
        payerName: 'State Payer',
        invoiceNumbers,
        clientNumber: 'C1',
        processedAt: '2026-01-05T15:00:00.000Z',
      });
      return { paymentId: taken.payment.id, recordId: taken.postingRecord!.id };
    };
    let payouts = 0;
    const payout = async (lines: [string, PayoutLineKind][], on = db) => {
      payouts += 1;
      const made: PayoutLine[] = lines.map(([processorId, kind]) => ({
        depositAccountId: account.id,
        kind,
        paymentId: processorId,
        amountCents: cents(kind === 'payment' ? 1_000 : -100),
      }));
      return (await insertPayout(on, firm.id, {
        processorPayoutId: `po-${code}-${payouts}`,
        depositAccountId: account.id,
        account: 'operating',
        settledOn: '2026-01-05',
        paidAt: new Date(Date.UTC(2026, 0, 6, payouts)),
        paidOn: '2026-01-06',
        paymentCount: lines.length,
        lines: made,
        ...payoutTotals(made),
      }))!;
    };
    /** Each line's MMS state as the payout's lines say it, after checking every kept state against the records. */
    const states = async (payoutId: string) => {
      await checkPayoutLines(db, firm.id);
      return (await getDeposit(db, firm.id, payoutId)).lines.map((l) => `${l.processorId} ${l.kind}: ${l.mmsState}`);
    };
    return { db, firm, take, payout, states };
  }

  it('along every path that moves a line', { timeout: 120_000 }, async () => {
    const { db, firm, take, payout, states } = await firmForPayouts('PLS');
    const version = async (id: string) =>
      (await db.selectFrom('posting_records').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version;
    const deliverAndAnswer = async (answers: { recordId: string; outcome: 'applied' | 'rejected' }[]) => {
      const batch = await postRecords(db, firm.id, actor, { ids: answers.map((a) => a.recordId) });
      expect(batch).not.toBeNull();
      const row = await db
        .selectFrom('batches')
        .select(['id', 'sha256'])
        .where('id', '=', batch!.id)
        .executeTakeFirstOrThrow();
      await acknowledgeBatch(db, firm.id, actor, row.id, row.sha256, new Date(), true);
      await recordMmsAnswer(db, firm.id, actor, row.id, {
        records: answers.map((a) => ({ ...a, message: a.outcome === 'rejected' ? 'refused by the MMS' : undefined })),
      });
    };

    const x = await take('st-x', 10_000, ['A-1']);
    const y = await take('st-y', 5_000, []);
    // The first payout: X's money in every kind of line, Y's payment, Z's (taken later) and one paybridge never hears of.
    const first = await payout([
      ['st-x', 'payment'],
      ['st-x', 'refund'],
      ['st-x', 'chargeback'],
      ['st-x', 'fee'],
      ['st-y', 'payment'],
      ['st-z', 'payment'],
      ['st-unknown', 'payment'],
    ]);
    expect(await states(first)).toEqual([
      'st-x payment: not_posted',
      'st-x refund: not_posted',
      'st-x chargeback: not_posted',
      'st-x fee: not_applicable',
      'st-y payment: not_posted',
      'st-z payment: no_record',
      'st-unknown payment: no_record',
    ]);

    // A payment taken after the payout that carries it: the line finds its record.
    const z = await take('st-z', 2_000, ['A-2']);
    expect((await states(first))[5]).toBe('st-z payment: not_posted');

    // Removed, moved back to pending, reallocated by an edit.
    await removeRecords(db, firm.id, actor, [y.recordId], 'paid elsewhere');
    expect((await states(first))[4]).toBe('st-y payment: removed');
    await moveToPending(db, firm.id, actor, [y.recordId]);
    expect((await states(first))[4]).toBe('st-y payment: not_posted');
    await editRecord(db, firm.id, actor, y.recordId, {
      version: await version(y.recordId),
      allocations: [{ invoiceNumber: 'A-2', clientNumber: null, matterNumber: null, amountCents: cents(5_000) }],
    });
    expect((await states(first))[4]).toBe('st-y payment: not_posted');

    // Posted and delivered: awaiting the MMS. Then X and Z applied, Y refused.
    const batch = await postRecords(db, firm.id, actor, { ids: [x.recordId, y.recordId, z.recordId] });
    expect((await states(first))[0]).toBe('st-x payment: awaiting');
    const row = await db
      .selectFrom('batches')
      .select(['id', 'sha256'])
      .where('id', '=', batch!.id)
      .executeTakeFirstOrThrow();
    await acknowledgeBatch(db, firm.id, actor, row.id, row.sha256, new Date(), true);
    expect((await states(first))[0]).toBe('st-x payment: awaiting');
    await recordMmsAnswer(db, firm.id, actor, row.id, {
      records: [
        { recordId: x.recordId, outcome: 'applied' },
        { recordId: y.recordId, outcome: 'rejected', message: 'refused by the MMS' },
        { recordId: z.recordId, outcome: 'applied' },
      ],
    });
    expect(await states(first)).toEqual([
      'st-x payment: applied',
      'st-x refund: applied',
      'st-x chargeback: applied',
      'st-x fee: not_applicable',
      'st-y payment: rejected',
      'st-z payment: applied',
      'st-unknown payment: no_record',
    ]);

    // A correction of the applied X: its replacement carries X's lines until the MMS applies it too.
    const corrected = await correctRecord(db, firm.id, actor, x.recordId, {
      version: await version(x.recordId),
      allocations: [{ invoiceNumber: 'A-2', clientNumber: null, matterNumber: null, amountCents: cents(10_000) }],
    });
    expect((await states(first)).slice(0, 3)).toEqual([
      'st-x payment: not_posted',
      'st-x refund: not_posted',
      'st-x chargeback: not_posted',
    ]);
    await deliverAndAnswer([
      { recordId: corrected.reversal.id, outcome: 'applied' },
      { recordId: corrected.replacement.id, outcome: 'applied' },
    ]);
    expect((await states(first)).slice(0, 3)).toEqual([
      'st-x payment: applied',
      'st-x refund: applied',
      'st-x chargeback: applied',
    ]);

    // A partial refund: its reversal carries X's refund lines, this payout's and a late one's.
    await reversePayment(db, firm.id, actor, x.paymentId, { kind: 'refund', amountCents: cents(1_000) });
    expect((await states(first)).slice(0, 3)).toEqual([
      'st-x payment: applied',
      'st-x refund: not_posted',
      'st-x chargeback: applied',
    ]);
    const late = await payout([
      ['st-x', 'refund'],
      ['st-z', 'payment'],
    ]);
    expect(await states(late)).toEqual(['st-x refund: not_posted', 'st-z payment: applied']);
    const refund = await db
      .selectFrom('posting_records')
      .select('id')
      .where('payment_id', '=', x.paymentId)
      .where('reversal_kind', '=', 'refund')
      .executeTakeFirstOrThrow();
    await removeRecords(db, firm.id, actor, [refund.id], null);
    expect(await states(late)).toEqual(['st-x refund: removed', 'st-z payment: applied']);
    await moveToPending(db, firm.id, actor, [refund.id]);
    expect(await states(late)).toEqual(['st-x refund: not_posted', 'st-z payment: applied']);
    await deliverAndAnswer([{ recordId: refund.id, outcome: 'rejected' }]);
    expect((await states(late))[0]).toBe('st-x refund: rejected');
    expect(
      (
        await db
          .selectFrom('posting_records')
          .select('mms_status')
          .where('id', '=', refund.id)
          .executeTakeFirstOrThrow()
      ).mms_status,
    ).toBe('rejected');

    // A second partial refund: the refund lines move to its reversal, the newest.
    await reversePayment(db, firm.id, actor, x.paymentId, { kind: 'refund', amountCents: cents(500) });
    const refunds = await db
      .selectFrom('posting_records')
      .select('id')
      .where('payment_id', '=', x.paymentId)
      .where('reversal_kind', '=', 'refund')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    expect(refunds).toHaveLength(2);
    const lateLines = (await getDeposit(db, firm.id, late)).lines;
    expect(lateLines[0]!.postingRecord!.id).toBe(refunds[0]!.id);
    await deliverAndAnswer([{ recordId: refunds[0]!.id, outcome: 'applied' }]);
    expect((await states(late))[0]).toBe('st-x refund: applied');

    // A chargeback of what is left: the chargeback line moves to its reversal.
    await reversePayment(db, firm.id, actor, x.paymentId, { kind: 'chargeback' });
    expect((await states(first)).slice(0, 3)).toEqual([
      'st-x payment: applied',
      'st-x refund: applied',
      'st-x chargeback: not_posted',
    ]);

    const checked = await checkPayoutLines(db, firm.id);
    expect(checked.byPayout.get(first)).toBe(3);
    expect(checked.byPayout.get(late)).toBe(0);
  });

  /** Runs `first` in a transaction held open until `second` waits on a lock, then lets both finish. */
  async function race(first: (tx: Db) => Promise<unknown>, second: () => Promise<unknown>) {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const begun = new Promise<void>((resolve) => (started = resolve));
    const one = conn.db.transaction().execute(async (tx) => {
      await first(tx);
      started();
      await gate;
    });
    await begun;
    const two = second();
    for (let i = 0; ; i += 1) {
      const waiting = await sql<{ n: number }>`
        select count(*)::int as n from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock'`.execute(conn.db);
      if (waiting.rows[0]!.n > 0) break;
      if (i > 200) throw new Error('the second writer never waited for the first');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    release();
    await Promise.all([one, two]);
  }

  onPostgres?.('a payout arriving while the MMS applies its record, or its payment is taken in, sees it', async () => {
    const { db, firm, take, payout, states } = await firmForPayouts('PLR');
    const posted = await take('race-a', 3_000, ['A-1']);
    const batch = (await postRecords(db, firm.id, actor, { ids: [posted.recordId] }))!;
    const row = await db.selectFrom('batches').select('sha256').where('id', '=', batch.id).executeTakeFirstOrThrow();
    await acknowledgeBatch(db, firm.id, actor, batch.id, row.sha256, new Date(), true);
    const applied = (tx: Db) =>
      sql`update posting_records set mms_status = 'applied' where id = ${posted.recordId}`.execute(tx);

    // The MMS's answer first, not committed: the payout waits for it, and sees it.
    let first = '';
    await race(applied, async () => (first = await payout([['race-a', 'payment']])));
    expect(await states(first)).toEqual(['race-a payment: applied']);

    // The payout first, not committed: a change of the record's state waits for it, then moves its line.
    await sql`update posting_records set mms_status = 'awaiting' where id = ${posted.recordId}`.execute(db);
    let second = '';
    await race(
      async (tx) => (second = await payout([['race-a', 'payment']], tx)),
      () => applied(db),
    );
    expect(await states(second)).toEqual(['race-a payment: applied']);

    // A payout carrying a payment that is being taken in: the intake waits, then finds the line.
    let third = '';
    await race(
      async (tx) => (third = await payout([['race-b', 'payment']], tx)),
      () => take('race-b', 2_000, ['A-2']),
    );
    expect(await states(third)).toEqual(['race-b payment: not_posted']);

    // A refund made while the payout carrying the refund line is taken in: it waits, then moves the line.
    let fourth = '';
    await race(
      async (tx) => (fourth = await payout([['race-a', 'refund']], tx)),
      async () => {
        const payment = await db
          .selectFrom('payments')
          .select('id')
          .where('processor_id', '=', 'race-a')
          .executeTakeFirstOrThrow();
        await reversePayment(db, firm.id, actor, payment.id, { kind: 'refund', amountCents: cents(1_000) });
      },
    );
    expect(await states(fourth)).toEqual(['race-a refund: not_posted']);
  });
});
