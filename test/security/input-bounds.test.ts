import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePaybridgeCsv } from '../../src/domain/posting-file.ts';
import { call, createTestFirm, startTestApp, type TestApp, type TestFirm } from '../support/app.ts';
import { paymentBody, syncBasicMms, takePayment } from '../support/fixtures.ts';
import { cardToken, countRows } from '../support/processor.ts';
import { firmSnapshot } from '../support/snapshot.ts';

/**
 * Issue 10, "input bounds": the cases a tester found on a fresh `npm start`, each of which
 * answered 500 (or changed the text) before. SPEC §2: one amount is at most
 * 10,000,000,000 cents, text refuses control characters, unpaired surrogates and
 * U+2028/U+2029, dates fall in the years 1900 to 2999. The corpus over every route is
 * test/security/malformed-input.test.ts.
 */

const MAX = 10_000_000_000;

interface ErrorBody {
  error: { code: string; message: string; details?: { field?: string; issues?: { field: string }[] } };
}

/** The answer is this status, and names the field in its details or as `field:` in its message. */
function refused(res: LightMyRequestResponse, status: number, field: string): ErrorBody {
  expect(res.statusCode, res.body).toBe(status);
  const body = res.json<ErrorBody>();
  const named = [body.error.details?.field, ...(body.error.details?.issues ?? []).map((i) => i.field)];
  expect(named.includes(field) || body.error.message.includes(`${field}:`), `${res.body} should name ${field}`).toBe(
    true,
  );
  return body;
}

describe('input bounds: the cases of issue 10', () => {
  let t: TestApp;
  let firm: TestFirm;

  beforeAll(async () => {
    t = await startTestApp({ payRequestsPerMinute: 100_000 });
    firm = await createTestFirm(t, 'BOUNDS');
    await syncBasicMms(t, firm);
    for (const [slug, account, surchargeBps] of [
      ['ib-trust', 'trust', 0],
      ['ib-trust-fee', 'trust', 300],
      ['ib-op', 'operating', 0],
    ] as const) {
      const res = await call(t, firm.admin, 'POST', '/payment-pages', {
        name: slug,
        slug,
        account,
        createPostingRecord: true,
        surchargeBps,
      });
      expect(res.statusCode, res.body).toBe(201);
    }
  });
  afterAll(async () => t.close());

  const payTrust = async (slug: string, amountCents: number, payerName = 'Ann Payer') =>
    call(t, null, 'POST', `/pay/${slug}/payments`, {
      clientNumber: 'C1',
      matterNumber: 'M1',
      token: (await cardToken(t)).token,
      payerName,
      amountCents,
    });

  /** Runs the calls and checks that the firm's rows, sandbox charges included, are as before. */
  async function unchanged(calls: () => Promise<void>) {
    const before = await firmSnapshot(t.conn.db, firm.id);
    await calls();
    expect(await firmSnapshot(t.conn.db, firm.id)).toEqual(before);
  }

  it('refuses an amount past $100,000,000.00 on a payment page before charging, so no payment can break the counts', async () => {
    await unchanged(async () => {
      // The tester's amount: taken twice, it made the counts and Post All answer 500 for good.
      refused(await payTrust('ib-trust', 9_007_199_254_740_991), 400, 'amountCents');
      refused(await payTrust('ib-trust', MAX + 1), 400, 'amountCents');
      // The receipt is at the bound, but what would be charged (with the 3% surcharge) is past it.
      const fee = refused(await payTrust('ib-trust-fee', MAX), 400, 'amountCents');
      expect(fee.error.message).toContain('$100,000,000.00');
    });
    expect(await countRows(t, firm.id, 'sandbox_charges')).toBe(0);

    for (let i = 0; i < 2; i += 1) expect((await payTrust('ib-trust', MAX)).statusCode).toBe(201);
    const counts = await call(t, firm.viewer, 'GET', '/postings/counts');
    expect(counts.statusCode, counts.body).toBe(200);
    expect(counts.json()).toMatchObject({ pending: 2, pendingTotalCents: 2 * MAX });
    const posted = await call(t, firm.accountant, 'POST', '/postings/post', { all: true });
    expect(posted.statusCode, posted.body).toBe(200);
    expect(posted.json().batch).toMatchObject({ recordCount: 2, totalCents: 2 * MAX });
  });

  it('refuses several bounded amounts that together pass the bound, before charging or making a link', async () => {
    const big = (n: number) => ({
      invoiceNumber: `INV-BIG-${n}`,
      clientNumber: 'C1',
      matterNumber: 'M1',
      invoiceDate: '2026-05-01',
      totalCents: 6_000_000_000,
      balanceCents: 6_000_000_000,
      status: 'open',
    });
    expect((await call(t, firm.agent, 'POST', '/agent/sync', { invoices: [big(1), big(2)] })).statusCode).toBe(200);
    const split = [
      { invoiceNumber: 'INV-BIG-1', amountCents: 6_000_000_000 },
      { invoiceNumber: 'INV-BIG-2', amountCents: 6_000_000_000 },
    ];
    await unchanged(async () => {
      const token = (await cardToken(t)).token;
      refused(
        await call(t, null, 'POST', '/pay/ib-op/payments', {
          clientNumber: 'C1',
          invoiceNumber: 'INV-BIG-1',
          token,
          payerName: 'Ann',
          allocations: split,
        }),
        400,
        'allocations',
      );
      refused(
        await call(t, firm.accountant, 'POST', '/connect-payments', { token, payerName: 'Ann', allocations: split }),
        400,
        'allocations',
      );
      refused(
        await call(t, firm.accountant, 'POST', '/payment-links', { payerName: 'Ann', allocations: split }),
        400,
        'allocations',
      );
    });
    // One of them alone is a payment like any other.
    const token = (await cardToken(t)).token;
    const one = await call(t, firm.accountant, 'POST', '/connect-payments', {
      token,
      payerName: 'Ann',
      allocations: split.slice(0, 1),
    });
    expect(one.statusCode, one.body).toBe(201);
  });

  it('keeps the counts, Post All and Remove Posts answering for a firm holding records taken in before the bound', async () => {
    const other = await createTestFirm(t, 'LEGACY');
    await syncBasicMms(t, other);
    const taken = [];
    for (let i = 0; i < 2; i += 1) {
      taken.push(
        await takePayment(t, other, {
          account: 'trust',
          invoiceNumbers: [],
          clientNumber: 'C1',
          matterNumber: 'M1',
          amountCents: 100,
        }),
      );
    }
    // What an older paybridge stored for the tester's two payments of 9,007,199,254,740,991 cents.
    const ids = taken.map((p) => p.postingRecord.id);
    const huge = 9_007_199_254_740_991;
    await sql`update payments set amount_cents = ${huge} where firm_id = ${other.id} and id = any(${taken.map((p) => p.payment.id)}::uuid[])`.execute(
      t.conn.db,
    );
    await sql`update posting_records set amount_cents = ${huge} where firm_id = ${other.id} and id = any(${ids}::uuid[])`.execute(
      t.conn.db,
    );
    await sql`update allocations set amount_cents = ${huge} where firm_id = ${other.id} and record_id = any(${ids}::uuid[])`.execute(
      t.conn.db,
    );

    for (const query of ['', '?account=trust', '?minCents=1', '?q=Acme']) {
      const counts = await call(t, other.viewer, 'GET', `/postings/counts${query}`);
      expect(counts.statusCode, `${query} ${counts.body}`).toBe(200);
      // The two records are counted; their sum is more than a JSON number holds exactly, so it is left out.
      expect(counts.json(), query).toMatchObject({ pending: 2, all: 2 });
      expect(counts.json(), query).not.toHaveProperty('pendingTotalCents');
    }
    const list = await call(t, other.viewer, 'GET', '/postings?view=pending');
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().items.map((r: { amountCents: number }) => r.amountCents)).toEqual([huge, huge]);

    const before = await firmSnapshot(t.conn.db, other.id);
    const all = await call(t, other.accountant, 'POST', '/postings/post', { all: true });
    expect(all.statusCode, all.body).toBe(422);
    expect(all.json().error).toMatchObject({ code: 'batch_total_too_large' });
    expect(all.json().error.message).toContain('Post Selected');
    expect(await firmSnapshot(t.conn.db, other.id)).toEqual(before);

    const removed = await call(t, other.accountant, 'POST', '/postings/remove', { ids: [ids[1]] });
    expect(removed.statusCode, removed.body).toBe(200);
    const counts = await call(t, other.viewer, 'GET', '/postings/counts');
    expect(counts.statusCode, counts.body).toBe(200);
    expect(counts.json()).toMatchObject({ pending: 1, removed: 1, pendingTotalCents: huge });
    const one = await call(t, other.accountant, 'POST', '/postings/post', { all: true });
    expect(one.statusCode, one.body).toBe(200);
    expect(one.json().batch).toMatchObject({ recordCount: 1, totalCents: huge });
  });

  it('refuses a lone surrogate in a payer name before any charge, on every way a payment is charged', async () => {
    const charges = await countRows(t, firm.id, 'sandbox_charges');
    const link = await call(t, firm.accountant, 'POST', '/payment-links', {
      allocations: [{ invoiceNumber: 'INV-103', amountCents: 1000 }],
    });
    const quick = await call(t, firm.accountant, 'POST', '/quick-links', {
      amountCents: 1000,
      description: 'Retainer',
    });
    await unchanged(async () => {
      const payerName = 'x\ud800y';
      const token = (await cardToken(t)).token;
      refused(
        await call(t, null, 'POST', '/pay/ib-op/payments', {
          clientNumber: 'C1',
          invoiceNumber: 'INV-100',
          token,
          payerName,
          allocations: [{ invoiceNumber: 'INV-100', amountCents: 1000 }],
        }),
        400,
        'payerName',
      );
      refused(await payTrust('ib-trust', 1000, '\udc00 Ann'), 400, 'payerName');
      refused(await call(t, null, 'POST', `/pay/link/${link.json().token}`, { token, payerName }), 400, 'payerName');
      refused(await call(t, null, 'POST', `/pay/quick/${quick.json().token}`, { token, payerName }), 400, 'payerName');
      refused(
        await call(t, firm.accountant, 'POST', '/connect-payments', {
          token,
          payerName,
          allocations: [{ invoiceNumber: 'INV-100', amountCents: 1000 }],
        }),
        400,
        'payerName',
      );
      refused(
        await call(t, firm.accountant, 'POST', '/enter-payment', {
          token,
          payerName,
          amountCents: 1000,
          account: 'operating',
        }),
        400,
        'payerName',
      );
    });
    expect(await countRows(t, firm.id, 'sandbox_charges')).toBe(charges);
  });

  it('refuses text PostgreSQL would rewrite, and keeps a memo with its line breaks byte for byte', async () => {
    const taken = await takePayment(t, firm, { invoiceNumbers: ['INV-104'], clientNumber: 'C2', amountCents: 2500 });
    const id = taken.postingRecord.id;
    const edit = (memo: string) =>
      call(t, firm.accountant, 'PATCH', `/postings/${id}`, {
        version: taken.postingRecord.version,
        allocations: [{ invoiceNumber: 'INV-104', amountCents: 2500 }],
        memo,
      });
    await unchanged(async () => {
      // Each of these was stored as U+FFFD or answered 500 before.
      refused(
        await call(t, firm.accountant, 'POST', '/payments', paymentBody({ payerName: 'Ann \ud800' })),
        400,
        'payerName',
      );
      refused(
        await call(t, firm.accountant, 'POST', '/payments', paymentBody({ invoiceNumbers: ['INV-\udfff100'] })),
        400,
        'invoiceNumbers.0',
      );
      refused(
        await call(t, firm.accountant, 'POST', '/payments', paymentBody({ payerName: 'Ann\u2028Payer' })),
        400,
        'payerName',
      );
      refused(await edit('paid\ud83d'), 400, 'memo');
      refused(await edit('paid\u2029in full'), 400, 'memo');
      refused(await edit('paid\rin full'), 400, 'memo');
      refused(await edit('paid\tin full'), 400, 'memo');
    });
    // A memo may keep line breaks, and a paired surrogate (an emoji) is ordinary text.
    const memo = 'Paid in full\r\nby cheque\n😀 thanks';
    const saved = await edit(memo);
    expect(saved.statusCode, saved.body).toBe(200);
    expect((await call(t, firm.viewer, 'GET', `/postings/${id}`)).json().memo).toBe(memo);
    const batch = (await call(t, firm.accountant, 'POST', '/postings/post', { ids: [id] })).json().batch as {
      id: string;
    };
    const file = await call(t, firm.viewer, 'GET', `/batches/${batch.id}/file`);
    expect(parsePaybridgeCsv(file.body).lines.map((l) => l.memo)).toEqual([memo]);
  });

  it('refuses dates and instants outside the years 1900 to 2999, naming the field', async () => {
    const invoice = (invoiceDate: string) => ({
      invoices: [
        {
          invoiceNumber: 'INV-700',
          clientNumber: 'C1',
          matterNumber: 'M1',
          invoiceDate,
          totalCents: 100,
          balanceCents: 100,
          status: 'open',
        },
      ],
    });
    await unchanged(async () => {
      for (const processedAt of [
        '0000-01-01T00:00:00Z',
        '1899-12-31T23:59:59Z',
        '3000-01-01T00:00:00Z',
        '9999-12-31T23:00:00-05:00',
        '1900-01-01T00:30:00+01:00',
      ]) {
        refused(await call(t, firm.accountant, 'POST', '/payments', paymentBody({ processedAt })), 400, 'processedAt');
      }
      for (const invoiceDate of ['0000-01-01', '1899-12-31', '3000-01-01']) {
        refused(await call(t, firm.agent, 'POST', '/agent/sync', invoice(invoiceDate)), 400, 'invoices.0.invoiceDate');
      }
      for (const [name, value] of [
        ['from', '0000-01-01'],
        ['to', '9999-12-31'],
        ['from', '1899-12-31'],
        ['to', '3000-01-01'],
      ]) {
        for (const list of [
          '/postings',
          '/postings/counts',
          '/payments',
          '/postings/export.xlsx',
          '/payments/export.xlsx',
        ]) {
          refused(await call(t, firm.viewer, 'GET', `${list}?${name}=${value}`), 400, `querystring.${name}`);
        }
      }
      const schedule = {
        token: (await cardToken(t)).token,
        amountCents: 100,
        account: 'operating',
        description: 'Monthly',
        payerName: 'Ann',
        interval: 'monthly',
      };
      refused(
        await call(t, firm.accountant, 'POST', '/payment-schedules', { ...schedule, startOn: '3000-01-01' }),
        400,
        'startOn',
      );
    });
    // The bounds themselves are taken.
    expect(
      (await call(t, firm.accountant, 'POST', '/payments', paymentBody({ processedAt: '1900-01-01T00:00:00Z' })))
        .statusCode,
    ).toBe(201);
    expect(
      (await call(t, firm.accountant, 'POST', '/payments', paymentBody({ processedAt: '2999-12-31T23:59:59.999Z' })))
        .statusCode,
    ).toBe(201);
    expect((await call(t, firm.agent, 'POST', '/agent/sync', invoice('1900-01-01'))).statusCode).toBe(200);
    expect((await call(t, firm.viewer, 'GET', '/postings?from=1900-01-01&to=2999-12-31')).statusCode).toBe(200);
  });

  it('answers a crafted cursor 400 naming cursor on every list', async () => {
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const keyset = [
      b64(['0000-01-01T00:00:00.000Z', randomUUID()]),
      b64(['+275760-09-13T00:00:00.000Z', randomUUID()]),
      b64(['-000001-01-01T00:00:00.000Z', randomUUID()]),
      b64(['2026-01-01T00:00:00.000Z', 'not-a-uuid']),
      b64({ junk: true }),
      Buffer.from([0xff, 0x00, 0xfe]).toString('base64url'),
      '!!not base64!!',
    ];
    await unchanged(async () => {
      for (const list of ['/postings?view=all&', '/payments?']) {
        for (const cursor of keyset)
          refused(await call(t, firm.viewer, 'GET', `${list}cursor=${encodeURIComponent(cursor)}`), 400, 'cursor');
      }
      for (const cursor of ['9999999999', '2147483648', '0', '-1', keyset[0]!.slice(0, 20)]) {
        refused(await call(t, firm.viewer, 'GET', `/batches?cursor=${encodeURIComponent(cursor)}`), 400, 'cursor');
      }
    });
  });
});
