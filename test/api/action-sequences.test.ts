import { cents } from '../../src/domain/money.ts';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.ts';
import { ERROR_STATUS } from '../../src/server/errors.ts';
import { createFirm } from '../../src/usecases/auth/firms-and-users.ts';
import type { Actor } from '../../src/domain/actor.ts';
import { acknowledgeBatch } from '../../src/usecases/batches/acknowledge-batch.ts';
import { insertPayout } from '../../src/db/payouts.ts';
import { findDefaultDepositAccount } from '../../src/db/deposit-accounts.ts';
import { payoutTotals, type PayoutLine, type PayoutLineKind } from '../../src/domain/payouts.ts';
import { correctRecord } from '../../src/usecases/postings/correct-record.ts';
import { reversePayment } from '../../src/usecases/payments/reverse-payment.ts';
import { takePayment } from '../../src/usecases/payments/take-payment.ts';
import { editRecord } from '../../src/usecases/postings/edit-record.ts';
import { moveToPending } from '../../src/usecases/postings/move-to-pending.ts';
import { postRecords } from '../../src/usecases/postings/post-records.ts';
import { countMatching, countRecords } from '../../src/usecases/postings/list-records.ts';
import { removeRecords } from '../../src/usecases/postings/remove-records.ts';
import { syncMms } from '../../src/usecases/sync/sync-mms.ts';
import type { Db } from '../../src/db/connect.ts';
import { createTestDb } from '../support/db.ts';
import { checkPayoutLines } from '../support/payout-lines.ts';
import type { Connection } from '../../src/db/connect.ts';

const actor: Actor = { kind: 'user', id: null, label: 'prop@test' };
const INVOICES = ['A-1', 'A-2', 'A-3'];

type Action =
  | { kind: 'take'; invoice: number; cents: number }
  | { kind: 'postSome'; pick: number[] }
  | { kind: 'postAll' }
  | { kind: 'remove'; pick: number[] }
  | { kind: 'move'; pick: number[] }
  | { kind: 'edit'; pick: number; invoice: number }
  | { kind: 'ack'; pick: number; rightSha: boolean }
  | { kind: 'reverse'; pick: number }
  | { kind: 'refundPart'; pick: number; cents: number }
  | { kind: 'chargeback'; pick: number }
  | { kind: 'correct'; pick: number; invoice: number }
  | { kind: 'payout'; lines: { take: number; kind: PayoutLineKind }[] };

// The MMS's answer is not among the actions: a refusal takes a posted record back to
// incomplete, which the invariants below rule out; test/db/payout-line-states.test.ts
// walks it for the payout lines.
const pick = fc.array(fc.nat(20), { minLength: 1, maxLength: 3 });
const action: fc.Arbitrary<Action> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('take' as const),
      invoice: fc.nat(3),
      cents: fc.integer({ min: 1, max: 60_000 }),
    }),
    weight: 3,
  },
  fc.record({ kind: fc.constant('postSome' as const), pick }),
  fc.record({ kind: fc.constant('postAll' as const) }),
  fc.record({ kind: fc.constant('remove' as const), pick }),
  fc.record({ kind: fc.constant('move' as const), pick }),
  fc.record({ kind: fc.constant('edit' as const), pick: fc.nat(20), invoice: fc.nat(2) }),
  fc.record({ kind: fc.constant('ack' as const), pick: fc.nat(5), rightSha: fc.boolean() }),
  fc.record({ kind: fc.constant('reverse' as const), pick: fc.nat(20) }),
  fc.record({ kind: fc.constant('refundPart' as const), pick: fc.nat(20), cents: fc.integer({ min: 1, max: 20_000 }) }),
  fc.record({ kind: fc.constant('chargeback' as const), pick: fc.nat(20) }),
  fc.record({ kind: fc.constant('correct' as const), pick: fc.nat(20), invoice: fc.nat(2) }),
  // A payout of some takes' money (Deposits, SPEC §5.3), a take by its step's number: one
  // taken before, one taken later (a line whose payment paybridge does not have yet), or none at all.
  fc.record({
    kind: fc.constant('payout' as const),
    lines: fc.array(
      fc.record({
        take: fc.nat(12),
        kind: fc.constantFrom<PayoutLineKind>('payment', 'surcharge', 'refund', 'chargeback', 'echeck_return', 'fee'),
      }),
      { minLength: 1, maxLength: 8 },
    ),
  }),
);

/** Refusals (409, 404, 422) are expected outcomes of random actions; anything else is a bug. */
async function attempt(run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (!(error instanceof DomainError) || ERROR_STATUS[error.code] >= 500 || ERROR_STATUS[error.code] === 400)
      throw error;
  }
}

async function apply(db: Db, firmId: string, step: Action, n: number): Promise<void> {
  const records = await db
    .selectFrom('posting_records')
    .select(['id', 'version', 'payment_id'])
    .where('firm_id', '=', firmId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const at = (i: number) => records[i % Math.max(records.length, 1)];
  const ids = (p: number[]) => [...new Set(p.map((i) => at(i)?.id).filter((id): id is string => Boolean(id)))];
  switch (step.kind) {
    case 'take':
      return attempt(() =>
        takePayment(db, firmId, actor, {
          processorId: `prop-${n}`,
          origin: 'connect',
          amountCents: cents(step.cents),
          method: 'card',
          account: 'operating',
          payerName: 'Prop Payer',
          invoiceNumbers: step.invoice < 3 ? [INVOICES[step.invoice]!] : [],
          clientNumber: 'C1',
          processedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
        }),
      );
    case 'postSome':
      return ids(step.pick).length ? attempt(() => postRecords(db, firmId, actor, { ids: ids(step.pick) })) : undefined;
    case 'postAll':
      return attempt(() => postRecords(db, firmId, actor, { all: true }));
    case 'remove':
      return ids(step.pick).length ? attempt(() => removeRecords(db, firmId, actor, ids(step.pick), null)) : undefined;
    case 'move':
      return ids(step.pick).length ? attempt(() => moveToPending(db, firmId, actor, ids(step.pick))) : undefined;
    case 'edit': {
      const r = at(step.pick);
      if (!r) return;
      const amount = await db
        .selectFrom('posting_records')
        .select('amount_cents')
        .where('id', '=', r.id)
        .executeTakeFirstOrThrow();
      if (amount.amount_cents <= 0)
        return attempt(() => editRecord(db, firmId, actor, r.id, { version: r.version, allocations: [] }));
      return attempt(() =>
        editRecord(db, firmId, actor, r.id, {
          version: r.version,
          allocations: [
            {
              invoiceNumber: INVOICES[step.invoice]!,
              clientNumber: null,
              matterNumber: null,
              amountCents: cents(amount.amount_cents),
            },
          ],
        }),
      );
    }
    case 'ack': {
      const batches = await db
        .selectFrom('batches')
        .select(['id', 'sha256'])
        .where('firm_id', '=', firmId)
        .orderBy('seq')
        .execute();
      const b = batches[step.pick % Math.max(batches.length, 1)];
      return b
        ? attempt(() => acknowledgeBatch(db, firmId, actor, b.id, step.rightSha ? b.sha256 : 'f'.repeat(64)))
        : undefined;
    }
    case 'reverse': {
      const r = at(step.pick);
      return r ? attempt(() => reversePayment(db, firmId, actor, r.payment_id, { kind: 'refund' })) : undefined;
    }
    case 'refundPart': {
      // Part of what is left (asking for more is refused as a bad request, not a state).
      const r = at(step.pick);
      if (!r) return;
      const p = await db
        .selectFrom('payments')
        .select(['amount_cents', 'refunded_cents'])
        .where('id', '=', r.payment_id)
        .executeTakeFirstOrThrow();
      const left = p.amount_cents - p.refunded_cents;
      if (left < 2) return;
      const amountCents = cents(Math.min(step.cents, left - 1));
      return attempt(() => reversePayment(db, firmId, actor, r.payment_id, { kind: 'refund', amountCents }));
    }
    case 'chargeback': {
      const r = at(step.pick);
      return r ? attempt(() => reversePayment(db, firmId, actor, r.payment_id, { kind: 'chargeback' })) : undefined;
    }
    case 'correct': {
      const r = at(step.pick);
      if (!r) return;
      const amount = await db
        .selectFrom('posting_records')
        .select('amount_cents')
        .where('id', '=', r.id)
        .executeTakeFirstOrThrow();
      if (amount.amount_cents <= 0) return;
      return attempt(() =>
        correctRecord(db, firmId, actor, r.id, {
          version: r.version,
          allocations: [
            {
              invoiceNumber: INVOICES[step.invoice]!,
              clientNumber: null,
              matterNumber: null,
              amountCents: cents(amount.amount_cents),
            },
          ],
        }),
      );
    }
    case 'payout': {
      const account = await findDefaultDepositAccount(db, firmId, 'operating');
      const lines: PayoutLine[] = step.lines.map((l) => ({
        depositAccountId: account.id,
        kind: l.kind,
        paymentId: `prop-${l.take}`,
        amountCents: cents(l.kind === 'payment' || l.kind === 'surcharge' ? 1_000 : -100),
      }));
      await insertPayout(db, firmId, {
        processorPayoutId: `po-${n}`,
        depositAccountId: account.id,
        account: 'operating',
        settledOn: '2026-01-01',
        paidAt: new Date(Date.UTC(2026, 0, 2, 0, 0, n)),
        paidOn: '2026-01-02',
        paymentCount: lines.length,
        lines,
        ...payoutTotals(lines),
      });
      return;
    }
  }
}

function countsOf(rows: Awaited<ReturnType<typeof countMatching>>) {
  const n = (status: string) => rows.find((r) => r.status === status)?.n ?? 0;
  const pending = rows.find((r) => r.status === 'pending');
  const trust = pending?.trust ?? { n: 0, total: 0n };
  return {
    pending_incomplete: n('pending') + n('incomplete'),
    pending: n('pending'),
    incomplete: n('incomplete'),
    posted: n('posted'),
    removed: n('removed'),
    queued: n('queued'),
    all: rows.reduce((sum, r) => sum + r.n, 0),
    pendingTotalCents: Number(pending?.total ?? 0n),
    pendingByAccount: {
      operating: { count: n('pending') - trust.n, totalCents: Number((pending?.total ?? 0n) - trust.total) },
      trust: { count: trust.n, totalCents: Number(trust.total) },
    },
  };
}

async function checkInvariants(
  db: Db,
  firmId: string,
  postedBefore: Map<string, string>,
): Promise<Map<string, string>> {
  // Every queued or posted record is in exactly one batch, each allocation on one line of it.
  const placement = await sql<{
    id: string;
    status: string;
    batch_id: string | null;
    batches: number;
    lines: number;
    allocations: number;
  }>`
    select r.id, r.status, r.batch_id,
      (select count(distinct bl.batch_id)::int from batch_lines bl where bl.firm_id = r.firm_id and bl.record_id = r.id) as batches,
      (select count(*)::int from batch_lines bl where bl.firm_id = r.firm_id and bl.record_id = r.id and bl.batch_id = r.batch_id) as lines,
      (select count(*)::int from allocations a where a.firm_id = r.firm_id and a.record_id = r.id) as allocations
    from posting_records r where r.firm_id = ${firmId}`.execute(db);
  for (const r of placement.rows) {
    if (r.status === 'queued' || r.status === 'posted') {
      expect(r.batches, `record ${r.id}`).toBe(1);
      expect(r.lines, `record ${r.id}`).toBe(r.allocations);
    } else {
      expect(r.batches, `record ${r.id} is ${r.status}`).toBe(0);
    }
  }
  // Batch totals are their lines; sequence gap-free; delivered batches hold only posted records.
  const batches = await sql<{
    seq: number;
    total_cents: number;
    line_count: number;
    sum: number;
    n: number;
    status: string;
    not_posted: number;
  }>`
    select b.seq, b.total_cents, b.line_count, b.status,
      coalesce((select sum(amount_cents)::int8 from batch_lines bl where bl.batch_id = b.id), 0) as sum,
      (select count(*)::int from batch_lines bl where bl.batch_id = b.id) as n,
      (select count(*)::int from posting_records r where r.batch_id = b.id and r.status <> case when b.status = 'delivered' then 'posted' else 'queued' end) as not_posted
    from batches b where b.firm_id = ${firmId} order by b.seq`.execute(db);
  batches.rows.forEach((b, i) => {
    expect(b.seq).toBe(i + 1);
    expect(b.sum).toBe(b.total_cents);
    expect(b.n).toBe(b.line_count);
    expect(b.not_posted).toBe(0);
  });
  // A posted record never changes again.
  const posted = await sql<{ id: string; snapshot: string }>`
    select r.id, r.status || '|' || r.version || '|' || r.batch_id || '|' ||
      coalesce((select string_agg(a.line || ':' || coalesce(a.invoice_number, '') || ':' || a.amount_cents, ',' order by a.line) from allocations a where a.record_id = r.id), '') as snapshot
    from posting_records r where r.firm_id = ${firmId} and r.status = 'posted'`.execute(db);
  const now = new Map(posted.rows.map((r) => [r.id, r.snapshot]));
  for (const [id, snapshot] of postedBefore) expect(now.get(id), `posted record ${id}`).toBe(snapshot);
  // The tallies the view counts come from agree with counting the records, under every
  // filter they serve; the search table holds each record's current search text.
  for (const filters of [
    {},
    { account: 'operating' as const },
    { account: 'trust' as const },
    { origin: 'connect' as const },
  ]) {
    expect(await countRecords(db, firmId, filters), JSON.stringify(filters)).toEqual(
      countsOf(await countMatching(db, firmId, filters)),
    );
  }
  // (the record's words and client/matter keys, then its amount and last 4 keys: migration 0030).
  const search = await sql<{ id: string; search_text: string; side: string | null }>`
    select r.id, r.search_text || paybridge_search_keys(r.amount_cents, p.last4) as search_text, s.search_text as side
    from posting_records r
    join payments p on p.firm_id = r.firm_id and p.id = r.payment_id
    left join posting_record_search s on s.firm_id = r.firm_id and s.record_id = r.id where r.firm_id = ${firmId}`.execute(
    db,
  );
  for (const r of search.rows) expect(r.side, `search text of record ${r.id}`).toBe(r.search_text);
  tallyPayoutLines(await checkPayoutLines(db, firmId));
  return now;
}

/** How many payout lines the checks saw, and how many flagged: the property must see some. */
const seen = { lines: 0, flagged: 0 };
function tallyPayoutLines(checked: { lines: number; flagged: number }) {
  seen.lines += checked.lines;
  seen.flagged += checked.flagged;
}

describe('random sequences of actions (fast-check, on the real database)', () => {
  let conn: Connection;
  let run = 0;
  beforeAll(async () => {
    conn = await createTestDb();
  });
  afterAll(async () => conn.close());

  it('never put a record in two batches, never change a posted record, keep batches whole and payout lines right', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 5, maxLength: 25 }), async (steps) => {
        run += 1;
        const firm = await createFirm(conn.db, { code: `PROP${run}`, name: 'Prop' });
        await syncMms(conn.db, firm.id, actor, {
          clients: [{ clientNumber: 'C1', name: 'Client' }],
          matters: [{ clientNumber: 'C1', matterNumber: 'M1', description: '' }],
          invoices: INVOICES.map((n, i) => ({
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
        let posted = new Map<string, string>();
        for (const [n, step] of steps.entries()) {
          await apply(conn.db, firm.id, step, n);
          posted = await checkInvariants(conn.db, firm.id, posted);
        }
      }),
      { numRuns: 12 },
    );
    expect(seen.lines).toBeGreaterThan(0);
    expect(seen.flagged).toBeGreaterThan(0);
  }, 240_000);
});
