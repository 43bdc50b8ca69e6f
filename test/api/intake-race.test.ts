import { cents } from '../../src/domain/money.ts';
import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Connection } from '../../src/db/connect.ts';
import { createFirm } from '../../src/usecases/auth/firms-and-users.ts';
import type { Actor } from '../../src/domain/actor.ts';
import { watchConflicts, type ConflictMet } from '../../src/db/transaction.ts';
import { takePayment } from '../../src/usecases/payments/take-payment.ts';
import { syncMms } from '../../src/usecases/sync/sync-mms.ts';
import { call, createTestFirm, startTestApp, type TestApp, type TestFirm } from '../support/app.ts';
import { testEngine } from '../support/db.ts';
import { paymentBody, syncBasicMms } from '../support/fixtures.ts';
import { cardToken, postEvent, webhookSecret } from '../support/processor.ts';

const actor: Actor = { kind: 'user', id: null, label: 'race@test' };
let t: TestApp;
let conn: Connection;
let firms = 0;

beforeAll(async () => {
  t = await startTestApp({ payRequestsPerMinute: 100_000 });
  conn = t.conn;
});
afterAll(async () => t.close());

async function firmWithInvoice(balanceCents: number) {
  firms += 1;
  const firm = await createFirm(conn.db, { code: `RACE${firms}`, name: 'Race' });
  await syncMms(conn.db, firm.id, actor, {
    clients: [{ clientNumber: 'C1', name: 'Client' }],
    matters: [{ clientNumber: 'C1', matterNumber: 'M1', description: '' }],
    invoices: [
      {
        invoiceNumber: 'INV-1',
        clientNumber: 'C1',
        matterNumber: 'M1',
        invoiceDate: '2026-01-01',
        totalCents: balanceCents,
        balanceCents,
        status: 'open',
      },
    ],
    full: false,
  });
  return firm;
}

const pay = (firmId: string, n: number, amountCents: number) =>
  takePayment(conn.db, firmId, actor, {
    processorId: `race-${firmId}-${n}`,
    origin: 'connect',
    amountCents: cents(amountCents),
    method: 'card',
    account: 'operating',
    payerName: `Racer ${n}`,
    invoiceNumbers: ['INV-1'],
    clientNumber: 'C1',
    processedAt: new Date(Date.UTC(2026, 0, 2, 0, 0, n)).toISOString(),
  });

// A deadlock needs two sessions at once: PGlite has one, so this case is registered on
// PostgreSQL only (not skipped on PGlite: simply not there).
const onPostgres = testEngine() === 'postgres' ? it : null;

describe('payments taken in at once against one invoice', () => {
  it('never apply more than its balance: one fits, the others are incomplete', async () => {
    const firm = await firmWithInvoice(10_000);
    const results = await Promise.all(Array.from({ length: 12 }, (_, n) => pay(firm.id, n, 10_000)));
    const statuses = results.map((r) => r.postingRecord!.status);
    expect(statuses.filter((s) => s === 'pending')).toHaveLength(1);
    expect(statuses.filter((s) => s === 'incomplete')).toHaveLength(11);
    const applied = await sql<{ cents: number }>`
      select coalesce(sum(a.amount_cents), 0)::int8 as cents from allocations a join posting_records r on r.firm_id = a.firm_id and r.id = a.record_id
      where a.firm_id = ${firm.id} and a.invoice_number = 'INV-1' and r.status = 'pending'`.execute(conn.db);
    expect(applied.rows[0]!.cents).toBe(10_000);
    // Each payment made exactly one payment row and one record.
    const counts = await sql<{ payments: number; records: number }>`
      select (select count(*)::int from payments where firm_id = ${firm.id}) as payments,
             (select count(*)::int from posting_records where firm_id = ${firm.id}) as records`.execute(conn.db);
    expect(counts.rows[0]).toEqual({ payments: 12, records: 12 });
  });

  it('split a balance among payments that each fit, in whatever order they land', async () => {
    const firm = await firmWithInvoice(10_000);
    const results = await Promise.all(Array.from({ length: 10 }, (_, n) => pay(firm.id, n, 1_000)));
    expect(results.every((r) => r.postingRecord!.status === 'pending')).toBe(true);
    expect((await pay(firm.id, 99, 1)).postingRecord!.status).toBe('incomplete');
  });

  it('take the same processor id once however many times it is sent at once', async () => {
    const firm = await firmWithInvoice(10_000);
    const results = await Promise.all(Array.from({ length: 6 }, () => pay(firm.id, 7, 2_500)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.payment.id)).size).toBe(1);
    expect(new Set(results.map((r) => r.postingRecord!.id)).size).toBe(1);
  });

  onPostgres?.(
    'without a transaction of their own, are retried when a deadlock ends the write, rather than answering 500',
    async () => {
      firms += 1;
      const firm = await createFirm(conn.db, { code: `RACE${firms}`, name: 'Race' });
      const invoice = (invoiceNumber: string) => ({
        invoiceNumber,
        clientNumber: 'C1',
        matterNumber: 'M1',
        invoiceDate: '2026-01-01',
        totalCents: 10_000,
        balanceCents: 10_000,
        status: 'open' as const,
      });
      await syncMms(conn.db, firm.id, actor, {
        clients: [{ clientNumber: 'C1', name: 'Client' }],
        matters: [{ clientNumber: 'C1', matterNumber: 'M1', description: '' }],
        invoices: [invoice('INV-1'), invoice('INV-2')],
        full: false,
      });
      const lockInvoice = (tx: typeof conn.db, number: string) =>
        sql`select 1 from invoices where firm_id = ${firm.id} and invoice_number = ${number} for update`.execute(tx);
      const waitingForLocks = async () =>
        (
          await sql<{
            n: number;
          }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(
            conn.db,
          )
        ).rows[0]!.n;

      let taking: ReturnType<typeof takePayment> | undefined;
      // Another session locks the invoices in the other order than take_payment (as an
      // unsorted sync does): INV-2 first, then, once the payment's write holds INV-1 and
      // waits for INV-2, INV-1. The payment's session detects the deadlock first (it has
      // waited longest), so it is the one PostgreSQL ends.
      await conn.db.transaction().execute(async (other) => {
        await sql`set local deadlock_timeout = '10s'`.execute(other);
        await lockInvoice(other, 'INV-2');
        taking = takePayment(conn.db, firm.id, actor, {
          processorId: `deadlock-${firm.id}`,
          origin: 'connect',
          amountCents: cents(15_000),
          method: 'card',
          account: 'operating',
          payerName: 'Deadlocked',
          allocations: [
            { invoiceNumber: 'INV-1', clientNumber: 'C1', matterNumber: 'M1', amountCents: cents(5_000) },
            { invoiceNumber: 'INV-2', clientNumber: 'C1', matterNumber: 'M1', amountCents: cents(10_000) },
          ],
          invoiceNumbers: ['INV-1', 'INV-2'],
          clientNumber: 'C1',
          processedAt: '2026-01-02T00:00:00Z',
        });
        taking.catch(() => undefined); // awaited below
        while ((await waitingForLocks()) === 0) await new Promise((resolve) => setTimeout(resolve, 10));
        await lockInvoice(other, 'INV-1');
      });
      const taken = await taking!;
      expect(taken.created).toBe(true);
      expect(taken.postingRecord).toMatchObject({ status: 'pending', reasons: [] });
    },
  );
});

describe('take_payment (migrations 0006, 0007)', () => {
  it('writes nothing and raises PB001 when the invoices changed since they were read', async () => {
    const firm = await firmWithInvoice(10_000);
    const fingerprint = async () =>
      (
        await sql<{
          f: string;
        }>`select md5(intake_facts(${firm.id}, ${['INV-1']}::text[], '{}'::text[], '{}'::text[])::text) as f`.execute(
          conn.db,
        )
      ).rows[0]!.f;
    const before = await fingerprint();
    await pay(firm.id, 1, 4_000); // changes what applies to INV-1
    const after = await fingerprint();
    expect(after).not.toBe(before);
    const payment = {
      id: '00000000-0000-4000-8000-000000000001',
      processor_id: 'stale-1',
      processed_at: '2026-01-03T00:00:00Z',
      amount_cents: 100,
      surcharge_cents: 0,
      method: 'card',
      account: 'operating',
      payer_name: 'Stale',
      invoice_numbers: ['INV-1'],
      origin: 'connect',
    };
    const record = {
      id: '00000000-0000-4000-8000-000000000002',
      status: 'pending',
      reasons: [],
      from_payment_page: false,
      amount_cents: 100,
      surcharge_cents: 0,
      account: 'operating',
      processed_at: '2026-01-03T00:00:00Z',
      payer_name: 'Stale',
      origin: 'connect',
      method: 'card',
      invoice_numbers: ['INV-1'],
      refers_to: ['INV-1'],
      search_text: 'stale',
      created_at: '2026-01-03T00:00:00Z',
    };
    const call = (fingerprint: string) =>
      sql`select take_payment(${firm.id}, ${JSON.stringify(payment)}::jsonb, ${JSON.stringify(record)}::jsonb,
        ${JSON.stringify([{ line: 1, invoice_number: 'INV-1', amount_cents: 100 }])}::jsonb, ${JSON.stringify([{ actor_kind: 'user', actor_label: 'x', action: 'payment_taken' }])}::jsonb,
        ${['INV-1']}::text[], '{}'::text[], '{}'::text[], ${fingerprint})`.execute(conn.db);
    await expect(call(before)).rejects.toMatchObject({ code: 'PB001' });
    const written = await sql<{
      n: number;
    }>`select count(*)::int as n from payments where firm_id = ${firm.id} and processor_id = 'stale-1'`.execute(
      conn.db,
    );
    expect(written.rows[0]!.n).toBe(0);
    await call(after);
    const records = await sql<{
      n: number;
    }>`select count(*)::int as n from posting_records where firm_id = ${firm.id} and id = ${record.id}`.execute(
      conn.db,
    );
    expect(records.rows[0]!.n).toBe(1);
  });
});

/**
 * Issue 10: twelve payers at once on one invoice, through every path that takes a payment
 * inside a transaction of its own (the charge made first, outside it). Each pays 300.00
 * on a 1,000.00 invoice: three fit, and the others are taken in as incomplete
 * (exceeds_balance) or refused before anyone is charged, never answered 500 and never
 * voided for a conflict.
 */
describe('twelve payers at once on one invoice, through every path', () => {
  const PAYERS = 12;
  const EACH = 30_000;
  const BALANCE = 100_000;

  let conflicts: ConflictMet[] = [];
  let unwatch: () => void = () => undefined;
  beforeEach(() => {
    conflicts = [];
    unwatch = watchConflicts(t.conn.db, (conflict) => conflicts.push(conflict));
  });
  afterEach(() => unwatch());

  async function raceFirm(): Promise<TestFirm> {
    firms += 1;
    const firm = await createTestFirm(t, `RACEAPP${firms}`);
    await syncBasicMms(t, firm); // INV-100..INV-104 open at 1,000.00
    return firm;
  }

  /** Every answer 2xx or a clear 4xx; every approved charge taken in once and never voided; the invoice never over-applied. */
  async function expectAnsweredAndTakenInOnce(
    firm: TestFirm,
    invoice: string,
    answers: LightMyRequestResponse[],
    charged: boolean,
  ) {
    for (const res of answers) {
      const ok = res.statusCode === 200 || res.statusCode === 201;
      const refused = res.statusCode >= 400 && res.statusCode < 500 && typeof res.json().error?.code === 'string';
      expect(ok || refused, `${res.statusCode} ${res.body}`).toBe(true);
    }
    const taken = answers.filter((res) => res.statusCode < 300).length;
    expect(taken).toBeGreaterThanOrEqual(Math.floor(BALANCE / EACH));
    const db = t.conn.db;
    if (charged) {
      const charges = await db
        .selectFrom('sandbox_charges')
        .select(['id', 'status'])
        .where('firm_id', '=', firm.id)
        .execute();
      expect(charges.filter((c) => c.status !== 'approved')).toEqual([]); // nothing voided
      expect(charges).toHaveLength(taken);
      const payments = await db.selectFrom('payments').select('processor_id').where('firm_id', '=', firm.id).execute();
      expect(payments.map((p) => p.processor_id).sort()).toEqual(charges.map((c) => c.id).sort());
    }
    const records = await sql<{ status: string; reasons: string[]; cents: number }>`
      select r.status, r.reasons, sum(a.amount_cents)::int8 as cents
      from posting_records r join allocations a on a.firm_id = r.firm_id and a.record_id = r.id
      where r.firm_id = ${firm.id} and a.invoice_number = ${invoice}
      group by r.id, r.status, r.reasons`.execute(db);
    expect(records.rows).toHaveLength(taken);
    expect(await db.selectFrom('payments').select('id').where('firm_id', '=', firm.id).execute()).toHaveLength(taken);
    const pending = records.rows.filter((r) => r.status === 'pending');
    expect(pending.reduce((sum, r) => sum + r.cents, 0)).toBe(Math.floor(BALANCE / EACH) * EACH);
    for (const r of records.rows.filter((r) => r.status !== 'pending'))
      expect(r).toMatchObject({ status: 'incomplete', reasons: ['exceeds_balance'] });

    // The contention was real: on PostgreSQL the payers' transactions overlapped, and each
    // conflict was retried once, in a fresh transaction that locked the invoice and so did
    // not conflict again. PGlite runs one transaction at a time and has none to retry.
    if (testEngine() === 'postgres') expect(conflicts.length).toBeGreaterThan(0);
    expect(conflicts.filter((c) => c.code !== 'PB001' || c.attempt !== 1 || !c.retried)).toEqual([]);
  }

  it('on the public pay page', async () => {
    const firm = await raceFirm();
    const res = await call(t, firm.admin, 'POST', '/payment-pages', {
      name: 'Race page',
      slug: `race-${firms}`,
      account: 'operating',
      createPostingRecord: true,
    });
    expect(res.statusCode, res.body).toBe(201);
    const tokens = await Promise.all(Array.from({ length: PAYERS }, () => cardToken(t)));
    const answers = await Promise.all(
      tokens.map((token, n) =>
        call(t, null, 'POST', `/pay/race-${firms}/payments`, {
          clientNumber: 'C1',
          invoiceNumber: 'INV-100',
          token: token.token,
          payerName: `Payer ${n}`,
          allocations: [{ invoiceNumber: 'INV-100', amountCents: EACH }],
        }),
      ),
    );
    await expectAnsweredAndTakenInOnce(firm, 'INV-100', answers, true);
  });

  it('through payment links', async () => {
    const firm = await raceFirm();
    const links: string[] = [];
    for (let n = 0; n < PAYERS; n += 1) {
      const res = await call(t, firm.accountant, 'POST', '/payment-links', {
        allocations: [{ invoiceNumber: 'INV-101', amountCents: EACH }],
      });
      expect(res.statusCode, res.body).toBe(201);
      links.push(res.json().token);
    }
    const tokens = await Promise.all(links.map(() => cardToken(t)));
    const answers = await Promise.all(
      links.map((link, n) =>
        call(t, null, 'POST', `/pay/link/${link}`, { token: tokens[n]!.token, payerName: `Payer ${n}` }),
      ),
    );
    await expectAnsweredAndTakenInOnce(firm, 'INV-101', answers, true);
  });

  it('through Make A Payment', async () => {
    const firm = await raceFirm();
    const tokens = await Promise.all(Array.from({ length: PAYERS }, () => cardToken(t)));
    const answers = await Promise.all(
      tokens.map((token, n) =>
        call(t, firm.accountant, 'POST', '/connect-payments', {
          token: token.token,
          payerName: `Payer ${n}`,
          allocations: [{ invoiceNumber: 'INV-102', amountCents: EACH }],
        }),
      ),
    );
    await expectAnsweredAndTakenInOnce(firm, 'INV-102', answers, true);
  });

  it("through the processor's signed payment.approved webhook", async () => {
    const firm = await raceFirm();
    const secret = await webhookSecret(t, firm);
    const answers = await Promise.all(
      Array.from({ length: PAYERS }, (_, n) =>
        postEvent(t, firm.code, secret, {
          id: `evt_${randomUUID()}`,
          type: 'payment.approved',
          created: 1,
          data: paymentBody({
            payerName: `Payer ${n}`,
            amountCents: EACH,
            invoiceNumbers: ['INV-103'],
            clientNumber: 'C2',
          }),
        }),
      ),
    );
    expect(answers.map((res) => res.statusCode)).toEqual(Array(PAYERS).fill(200));
    await expectAnsweredAndTakenInOnce(firm, 'INV-103', answers, false);
  });
});
