import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../src/db/connect.ts';
import { createFirm } from '../../src/usecases/auth/firms-and-users.ts';
import type { Actor } from '../../src/usecases/auth/principal.ts';
import { takePayment } from '../../src/usecases/payments/take-payment.ts';
import { syncMms } from '../../src/usecases/sync/sync-mms.ts';
import { createTestDb } from '../support/db.ts';

const actor: Actor = { kind: 'user', id: null, label: 'race@test' };
let conn: Connection;
let firms = 0;

beforeAll(async () => {
  conn = await createTestDb();
});
afterAll(async () => conn.close());

async function firmWithInvoice(balanceCents: number) {
  firms += 1;
  const firm = await createFirm(conn.db, { code: `RACE${firms}`, name: 'Race' });
  await syncMms(conn.db, firm.id, actor, {
    clients: [{ clientNumber: 'C1', name: 'Client' }],
    matters: [{ clientNumber: 'C1', matterNumber: 'M1', description: '' }],
    invoices: [{ invoiceNumber: 'INV-1', clientNumber: 'C1', matterNumber: 'M1', invoiceDate: '2026-01-01', totalCents: balanceCents, balanceCents, status: 'open' }],
    full: false,
  });
  return firm;
}

const pay = (firmId: string, n: number, amountCents: number) =>
  takePayment(conn.db, firmId, actor, {
    processorId: `race-${firmId}-${n}`, origin: 'connect', amountCents, method: 'card', account: 'operating', payerName: `Racer ${n}`,
    invoiceNumbers: ['INV-1'], clientNumber: 'C1', processedAt: new Date(Date.UTC(2026, 0, 2, 0, 0, n)).toISOString(),
  });

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
    expect(Number(applied.rows[0]!.cents)).toBe(10_000);
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
});

describe('take_payment (migrations 0006, 0007)', () => {
  it('writes nothing and raises PB001 when the invoices changed since they were read', async () => {
    const firm = await firmWithInvoice(10_000);
    const fingerprint = async () =>
      (await sql<{ f: string }>`select md5(intake_facts(${firm.id}, ${['INV-1']}::text[], '{}'::text[], '{}'::text[])::text) as f`.execute(conn.db)).rows[0]!.f;
    const before = await fingerprint();
    await pay(firm.id, 1, 4_000); // changes what applies to INV-1
    const after = await fingerprint();
    expect(after).not.toBe(before);
    const payment = { id: '00000000-0000-4000-8000-000000000001', processor_id: 'stale-1', processed_at: '2026-01-03T00:00:00Z', amount_cents: 100, surcharge_cents: 0, method: 'card', account: 'operating', payer_name: 'Stale', invoice_numbers: ['INV-1'], origin: 'connect' };
    const record = { id: '00000000-0000-4000-8000-000000000002', status: 'pending', reasons: [], from_payment_page: false, amount_cents: 100, surcharge_cents: 0, account: 'operating', processed_at: '2026-01-03T00:00:00Z', payer_name: 'Stale', origin: 'connect', method: 'card', invoice_numbers: ['INV-1'], refers_to: ['INV-1'], search_text: 'stale', created_at: '2026-01-03T00:00:00Z' };
    const call = (fingerprint: string) =>
      sql`select take_payment(${firm.id}, ${JSON.stringify(payment)}::jsonb, ${JSON.stringify(record)}::jsonb,
        ${JSON.stringify([{ line: 1, invoice_number: 'INV-1', amount_cents: 100 }])}::jsonb, ${JSON.stringify([{ actor_kind: 'user', actor_label: 'x', action: 'payment_taken' }])}::jsonb,
        ${['INV-1']}::text[], '{}'::text[], '{}'::text[], ${fingerprint})`.execute(conn.db);
    await expect(call(before)).rejects.toMatchObject({ code: 'PB001' });
    const written = await sql<{ n: number }>`select count(*)::int as n from payments where firm_id = ${firm.id} and processor_id = 'stale-1'`.execute(conn.db);
    expect(written.rows[0]!.n).toBe(0);
    await call(after);
    const records = await sql<{ n: number }>`select count(*)::int as n from posting_records where firm_id = ${firm.id} and id = ${record.id}`.execute(conn.db);
    expect(records.rows[0]!.n).toBe(1);
  });
});
