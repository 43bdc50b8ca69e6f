import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/cli/logger.ts';
import { loadConfig } from '../../src/config.ts';
import { TEST_BANK_ACCOUNTS, TEST_CARDS } from '../../src/processor/sandbox/test-numbers.ts';
import { SandboxProcessor } from '../../src/processor/sandbox/sandbox-processor.ts';
import { buildApp } from '../../src/server/app.ts';
import { runDueSchedules } from '../../src/usecases/payment-schedules/run-due-schedules.ts';
import { calendarDateIn } from '../../src/domain/dates.ts';
import { call, createTestFirm, type TestApp, type TestFirm } from '../support/app.ts';
import { createTestDb } from '../support/db.ts';
import { syncBasicMms } from '../support/fixtures.ts';
import { BANK, bankToken, CARDS, cardToken, deliverEvents } from '../support/processor.ts';

/**
 * SPEC §7 and issue 5 §6: after every way a card or bank account can be used, no test
 * card or account number, with or without spaces, is in any column of any table or in
 * any line the server logged (at trace, the most it ever writes).
 */
describe('no card or bank account number is stored or logged', () => {
  let t: TestApp;
  let firm: TestFirm;
  const logs: string[] = [];

  beforeAll(async () => {
    const conn = await createTestDb();
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logs.push(chunk.toString('utf8'));
        done();
      },
    });
    const config = { ...loadConfig({}), demo: false, payRequestsPerMinute: 100_000 };
    const app = await buildApp({ db: conn.db, listen: conn.listen, config, logger: createLogger('trace', sink) });
    await app.ready();
    t = {
      conn,
      app,
      config,
      close: async () => {
        await app.close();
        await conn.close();
      },
    };
    firm = await createTestFirm(t, 'CARDS');
    await syncBasicMms(t, firm);
    const page = await call(t, firm.admin, 'POST', '/payment-pages', {
      name: 'Pay',
      slug: 'cards-pay',
      account: 'operating',
      createPostingRecord: true,
      surchargeBps: 250,
    });
    expect(page.statusCode).toBe(201);

    // Tokenize every test number, spaced and not; refused ones too (a wrong expiry, a
    // wrong security code, an unknown field, a body that is not JSON).
    const year = new Date().getUTCFullYear() + 1;
    for (const card of TEST_CARDS) {
      const cvc = card.brand === 'amex' ? '1234' : '123';
      for (const number of [card.number, card.number.replace(/(\d{4})(?=\d)/g, '$1 ')]) {
        expect(
          (await call(t, null, 'POST', '/sandbox/tokens', { cardNumber: number, expMonth: 6, expYear: year, cvc }))
            .statusCode,
        ).toBe(201);
      }
      expect(
        (await call(t, null, 'POST', '/sandbox/tokens', { cardNumber: card.number, expMonth: 6, expYear: 2001, cvc }))
          .statusCode,
      ).toBe(400);
      expect(
        (
          await call(t, null, 'POST', '/sandbox/tokens', {
            cardNumber: card.number,
            expMonth: 6,
            expYear: year,
            cvc: '12',
          })
        ).statusCode,
      ).toBe(400);
      expect(
        (
          await call(t, null, 'POST', '/sandbox/tokens', {
            cardNumber: card.number,
            expMonth: 6,
            expYear: year,
            cvc,
            name: 'x',
          })
        ).statusCode,
      ).toBe(400);
      const broken = await t.app.inject({
        method: 'POST',
        url: '/api/v1/sandbox/tokens',
        headers: { 'content-type': 'application/json' },
        payload: `{"cardNumber":"${card.number}",`,
      });
      expect(broken.statusCode).toBe(400);
    }
    for (const account of TEST_BANK_ACCOUNTS) {
      expect(
        (
          await call(t, null, 'POST', '/sandbox/tokens', {
            routingNumber: BANK.routing,
            accountNumber: account.accountNumber,
          })
        ).statusCode,
      ).toBe(201);
      expect(
        (
          await call(t, null, 'POST', '/sandbox/tokens', {
            routingNumber: '110000001',
            accountNumber: account.accountNumber,
          })
        ).statusCode,
      ).toBe(400);
    }

    // Pay every way: a page (approved and declined), Make A Payment, a link, Enter
    // Payment, a quick link, a schedule; a chargeback and a return arrive; a refund.
    const pay = async (number: string) =>
      call(t, null, 'POST', '/pay/cards-pay/payments', {
        clientNumber: 'C1',
        invoiceNumber: 'INV-100',
        token: (await cardToken(t, number)).token,
        payerName: 'Card Payer',
        allocations: [{ invoiceNumber: 'INV-100', amountCents: 1_000 }],
      });
    expect((await pay(CARDS.visa)).statusCode).toBe(201);
    expect((await pay(CARDS.declined)).statusCode).toBe(402);
    expect((await pay(CARDS.chargebackLater)).statusCode).toBe(201);
    const connect = await call(t, firm.accountant, 'POST', '/connect-payments', {
      token: (await cardToken(t, CARDS.amex)).token,
      payerName: 'Acme',
      allocations: [{ invoiceNumber: 'INV-101', amountCents: 2_000 }],
    });
    expect(connect.statusCode).toBe(201);
    const link = (
      await call(t, firm.accountant, 'POST', '/payment-links', {
        allocations: [{ invoiceNumber: 'INV-102', amountCents: 3_000 }],
      })
    ).json();
    expect(
      (
        await call(t, null, 'POST', `/pay/link/${link.token}`, {
          token: (await bankToken(t)).token,
          payerName: 'Linked',
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (
        await call(t, firm.accountant, 'POST', '/enter-payment', {
          token: (await bankToken(t, BANK.returnsLater)).token,
          amountCents: 4_000,
          account: 'trust',
          payerName: 'Keyed',
        })
      ).statusCode,
    ).toBe(201);
    const quick = (
      await call(t, firm.accountant, 'POST', '/quick-links', { amountCents: 5_000, description: 'Retainer' })
    ).json();
    expect(
      (
        await call(t, null, 'POST', `/pay/quick/${quick.token}`, {
          token: (await cardToken(t)).token,
          payerName: 'Quick',
        })
      ).statusCode,
    ).toBe(201);
    const today = calendarDateIn(new Date(), 'America/New_York');
    const schedule = await call(t, firm.accountant, 'POST', '/payment-schedules', {
      token: (await cardToken(t)).token,
      amountCents: 6_000,
      account: 'operating',
      description: 'Monthly',
      payerName: 'Sched',
      interval: 'monthly',
      startOn: today,
    });
    expect(schedule.statusCode).toBe(201);
    expect(
      (await runDueSchedules(t.conn.db, new SandboxProcessor(t.conn.db), new Date(`${today}T12:00:00Z`)))[0]?.status,
    ).toBe('paid');
    expect((await deliverEvents(t, new Date(Date.now() + 61_000))).delivered).toBe(2);
    expect(
      (await call(t, firm.accountant, 'POST', `/payments/${connect.json().payment.id}/reverse`, { kind: 'refund' }))
        .statusCode,
    ).toBe(200);
    expect((await deliverEvents(t, new Date(Date.now() + 1000))).delivered).toBe(1);
  });
  afterAll(async () => t.close());

  /** Each number as typed in every usual way: digits, groups of four with spaces or hyphens, and the amex 4-6-5 grouping. */
  function forms(): string[] {
    const out = new Set<string>();
    for (const number of [...TEST_CARDS.map((c) => c.number), ...TEST_BANK_ACCOUNTS.map((a) => a.accountNumber)]) {
      out.add(number);
      out.add(number.replace(/(\d{4})(?=\d)/g, '$1 '));
      out.add(number.replace(/(\d{4})(?=\d)/g, '$1-'));
      if (number.length === 15) out.add(`${number.slice(0, 4)} ${number.slice(4, 10)} ${number.slice(10)}`);
    }
    return [...out];
  }

  it('finds none in any text, json, array or bytea column of any table', async () => {
    const columns = await sql<{ table_name: string; column_name: string; data_type: string }>`
      select c.table_name, c.column_name, c.data_type from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
        and c.data_type in ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY', 'bytea', 'USER-DEFINED')
      order by c.table_name, c.column_name`.execute(t.conn.db);
    const names = columns.rows.map((c) => `${c.table_name}.${c.column_name}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'sandbox_tokens.last4',
        'sandbox_events.body',
        'payments.payer_allocations',
        'audit_events.detail',
        'payment_schedules.processor_token',
      ]),
    );
    const found: string[] = [];
    for (const { table_name: table, column_name: column, data_type: type } of columns.rows) {
      const value = type === 'bytea' ? sql`encode(${sql.ref(column)}, 'escape')` : sql`${sql.ref(column)}::text`;
      for (const number of forms()) {
        const hits = await sql<{
          n: number;
        }>`select count(*)::int as n from ${sql.table(table)} where strpos(${value}, ${number}) > 0`.execute(t.conn.db);
        if ((hits.rows[0]?.n ?? 0) > 0) found.push(`${table}.${column} holds ${number}`);
      }
    }
    expect(found).toEqual([]);
    // What is kept instead: brand and last 4.
    const kept = await t.conn.db
      .selectFrom('payments')
      .select(['card_brand', 'last4'])
      .where('firm_id', '=', firm.id)
      .execute();
    expect(kept.length).toBeGreaterThanOrEqual(7);
    for (const row of kept) expect(row.last4).toMatch(/^\d{4}$/);
  });

  it('finds none in the logs', () => {
    const text = logs.join('');
    expect(text).toContain('incoming request');
    expect(text).toContain('/api/v1/sandbox/tokens');
    expect(forms().filter((number) => text.includes(number))).toEqual([]);
  });
});
