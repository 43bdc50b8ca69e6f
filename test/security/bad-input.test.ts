import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRoutes } from '../../src/server/app.ts';
import { call, createTestFirm, startTestApp, type TestApp, type TestFirm } from '../support/app.ts';
import { paymentBody, syncBasicMms, takePayment } from '../support/fixtures.ts';
import { countsOf, firmSnapshot } from '../support/snapshot.ts';

/**
 * SPEC §9 and the issue: malformed JSON, wrong types, bad cents, unknown enum values,
 * unknown fields, control characters, oversized bodies and unknown ids each answer a
 * 4xx whose message names the field or id, and nothing changes.
 */

const BODY_LIMIT = 4096;

interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

describe('bad input is refused, named, and changes nothing', () => {
  let t: TestApp;
  let firm: TestFirm;
  let pending: { id: string; version: number };

  beforeAll(async () => {
    t = await startTestApp({ bodyLimitBytes: BODY_LIMIT });
    firm = await createTestFirm(t, 'BADIN');
    await syncBasicMms(t, firm);
    const taken = await takePayment(t, firm, { invoiceNumbers: ['INV-100'], amountCents: 25000 });
    expect(taken.postingRecord.status).toBe('pending');
    pending = { id: taken.postingRecord.id, version: taken.postingRecord.version };
    await takePayment(t, firm, { invoiceNumbers: ['NOPE-1'] });
  });
  afterAll(async () => t.close());

  /** Runs the calls, then checks that every firm-owned row is as it was before them. */
  async function unchanged(calls: () => Promise<void>) {
    const before = await firmSnapshot(t.conn.db, firm.id);
    await calls();
    const after = await firmSnapshot(t.conn.db, firm.id);
    expect(countsOf(after)).toEqual(countsOf(before));
    expect(after).toEqual(before);
  }

  /** The answer has this status and its message (or details) names every one of `names`. */
  function refused(res: LightMyRequestResponse, status: number, ...names: string[]): ErrorBody {
    expect(res.statusCode, res.body).toBe(status);
    const body = res.json<ErrorBody>();
    expect(typeof body.error.code).toBe('string');
    const said = `${body.error.message} ${JSON.stringify(body.error.details ?? null)}`;
    for (const name of names) expect(said, `the answer should name ${name}`).toContain(name);
    return body;
  }

  function raw(token: string, method: 'POST' | 'PATCH', path: string, payload: string | Buffer) {
    return t.app.inject({
      method,
      url: `/api/v1${path}`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload,
    });
  }

  /** A body that is valid JSON and larger than the limit that applies to the route. */
  function oversized(path: string, method: string, fields: object): string {
    const route = listRoutes(t.app).find((r) => r.method === method && r.url === `/api/v1${path}`);
    const limit = route?.bodyLimit ?? BODY_LIMIT;
    const body = JSON.stringify({ ...fields, filler: '' });
    return body.replace('"filler":""', `"filler":"${'x'.repeat(limit - body.length + 1)}"`);
  }

  describe('POST /payments', () => {
    const post = (body: object) => call(t, firm.accountant, 'POST', '/payments', body);

    it('refuses malformed JSON with 400 invalid_json', async () => {
      await unchanged(async () => {
        const body = refused(await raw(firm.accountant, 'POST', '/payments', '{"processorId": "ch_1", '), 400);
        expect(body.error.code).toBe('invalid_json');
      });
    });

    it('refuses wrong types, fractional, negative and unsafe cents, naming the field', async () => {
      await unchanged(async () => {
        refused(await post(paymentBody({ amountCents: '25000' })), 400, 'amountCents');
        refused(await post(paymentBody({ amountCents: 12.5 })), 400, 'amountCents');
        refused(await post(paymentBody({ amountCents: -100 })), 400, 'amountCents');
        refused(await post(paymentBody({ amountCents: 0 })), 400, 'amountCents');
        refused(await post(paymentBody({ amountCents: 2 ** 53 })), 400, 'amountCents');
        refused(await post(paymentBody({ surchargeCents: -1 })), 400, 'surchargeCents');
        refused(await post(paymentBody({ surchargeCents: 0.5 })), 400, 'surchargeCents');
        refused(await post(paymentBody({ invoiceNumbers: 'INV-100' })), 400, 'invoiceNumbers');
        refused(await post(paymentBody({ payerName: 42 })), 400, 'payerName');
        refused(
          await post(paymentBody({ allocations: [{ invoiceNumber: 'INV-100', amountCents: 12.5 }] })),
          400,
          'allocations.0.amountCents',
        );
        refused(
          await post(paymentBody({ allocations: [{ invoiceNumber: 'INV-100', amountCents: -25000 }] })),
          400,
          'allocations.0.amountCents',
        );
      });
    });

    it('refuses unknown enum values and unknown fields, naming them', async () => {
      await unchanged(async () => {
        refused(await post(paymentBody({ account: 'savings' })), 400, 'account');
        refused(await post(paymentBody({ origin: 'cash' })), 400, 'origin');
        refused(await post(paymentBody({ method: 'bitcoin' })), 400, 'method');
        refused(await post(paymentBody({ cardNumber: '4242424242424242' })), 400, 'cardNumber');
        // A card number in the brand's place is refused too, spaced or not.
        refused(await post(paymentBody({ cardBrand: '4242424242424242' })), 400, 'cardBrand');
        refused(await post(paymentBody({ cardBrand: 'visa 4242 4242 4242 4242' })), 400, 'cardBrand');
        refused(
          await post(paymentBody({ allocations: [{ invoiceNumber: 'INV-100', amountCents: 25000, note: 'x' }] })),
          400,
          'note',
        );
      });
    });

    it('refuses control characters in text fields, naming the field', async () => {
      await unchanged(async () => {
        refused(await post(paymentBody({ payerName: 'A\u0007B' })), 400, 'payerName');
        refused(await post(paymentBody({ payerName: 'Acme\u0000' })), 400, 'payerName');
        refused(await post(paymentBody({ processorId: 'ch_\n1' })), 400, 'processorId');
        refused(await post(paymentBody({ cardBrand: 'vi\u001bsa' })), 400, 'cardBrand');
        refused(await post(paymentBody({ invoiceNumbers: ['INV-100', 'INV\u0085101'] })), 400, 'invoiceNumbers.1');
        refused(await post(paymentBody({ clientNumber: 'C1\u007f' })), 400, 'clientNumber');
      });
    });

    it('refuses a body over the limit with 413', async () => {
      await unchanged(async () => {
        const body = refused(
          await raw(firm.accountant, 'POST', '/payments', oversized('/payments', 'POST', paymentBody())),
          413,
        );
        expect(body.error.code).toBe('body_too_large');
      });
    });

    it('answers an unknown payment page id, uuid or not, 404 naming it', async () => {
      await unchanged(async () => {
        for (const id of [randomUUID(), 'not-a-uuid']) {
          refused(await post(paymentBody({ origin: 'payment_page', paymentPageId: id })), 404, id);
        }
      });
    });

    it('refuses a surcharge that is not less than the amount', async () => {
      await unchanged(async () => {
        refused(await post(paymentBody({ amountCents: 1000, surchargeCents: 1000 })), 400, 'surchargeCents');
        refused(await post(paymentBody({ amountCents: 1000, surchargeCents: 5000 })), 400, 'surchargeCents');
      });
    });

    it('refuses allocations that do not sum to the receipt with 422 naming both sums', async () => {
      await unchanged(async () => {
        const split = [
          { invoiceNumber: 'INV-100', amountCents: 10000 },
          { invoiceNumber: 'INV-101', amountCents: 10000 },
        ];
        // 250.00 paid with 5.00 surcharge: the receipt is 245.00, the split 200.00.
        const body = refused(
          await post(paymentBody({ amountCents: 25000, surchargeCents: 500, allocations: split })),
          422,
          '200.00',
          '245.00',
        );
        expect(body.error.message).toMatch(/sum/);
      });
    });
  });

  describe('PATCH /postings/:id', () => {
    const patch = (body: object, id = pending.id) => call(t, firm.accountant, 'PATCH', `/postings/${id}`, body);
    const edit = (overrides: Record<string, unknown> = {}, allocation: Record<string, unknown> = {}) => ({
      version: pending.version,
      allocations: [{ invoiceNumber: 'INV-101', amountCents: 25000, ...allocation }],
      ...overrides,
    });

    it('refuses malformed JSON with 400 invalid_json', async () => {
      await unchanged(async () => {
        const body = refused(
          await raw(firm.accountant, 'PATCH', `/postings/${pending.id}`, '{"version": 1, "allocations": ['),
          400,
        );
        expect(body.error.code).toBe('invalid_json');
      });
    });

    it('refuses wrong types and bad cents, naming the field', async () => {
      await unchanged(async () => {
        refused(await patch(edit({ version: '1' })), 400, 'version');
        refused(await patch(edit({ version: 1.5 })), 400, 'version');
        refused(await patch(edit({ allocations: 'INV-101' })), 400, 'allocations');
        refused(await patch(edit({}, { amountCents: '25000' })), 400, 'allocations.0.amountCents');
        refused(await patch(edit({}, { amountCents: 12.5 })), 400, 'allocations.0.amountCents');
        refused(await patch(edit({}, { amountCents: -25000 })), 400, 'allocations.0.amountCents');
        refused(await patch(edit({}, { amountCents: 2 ** 53 })), 400, 'allocations.0.amountCents');
      });
    });

    it('refuses unknown fields and control characters, naming them', async () => {
      await unchanged(async () => {
        refused(await patch(edit({ status: 'pending' })), 400, 'status');
        refused(await patch(edit({}, { account: 'trust' })), 400, 'account');
        refused(await patch(edit({ memo: 'paid\u0000in full' })), 400, 'memo');
        refused(await patch(edit({}, { invoiceNumber: 'INV-\u0007101' })), 400, 'allocations.0.invoiceNumber');
      });
    });

    it('refuses a body over the limit with 413', async () => {
      await unchanged(async () => {
        refused(
          await raw(firm.accountant, 'PATCH', `/postings/${pending.id}`, oversized('/postings/:id', 'PATCH', edit())),
          413,
        );
      });
    });

    it('answers an unknown id, uuid or not, 404 naming it', async () => {
      await unchanged(async () => {
        for (const id of [randomUUID(), 'not-a-uuid']) refused(await patch(edit(), id), 404, id);
      });
    });

    it('refuses allocations that do not sum to the receipt with 422 naming both sums, and a stale version with 409', async () => {
      await unchanged(async () => {
        refused(await patch(edit({}, { amountCents: 24999 })), 422, '249.99', '250.00');
        refused(await patch(edit({ version: pending.version + 7 })), 409, pending.id);
      });
    });
  });

  describe('POST /postings/post and POST /postings/remove', () => {
    for (const path of ['/postings/post', '/postings/remove']) {
      const post = (body: object) => call(t, firm.accountant, 'POST', path, body);

      it(`${path}: refuses malformed JSON, wrong types, unknown fields and oversized bodies`, async () => {
        await unchanged(async () => {
          refused(await raw(firm.accountant, 'POST', path, '{"ids": ["'), 400);
          refused(await post({ ids: pending.id }), 400, 'ids');
          refused(await post({ ids: [42] }), 400, 'ids');
          refused(await post({ ids: [] }), 400, 'ids');
          refused(await post({ ids: [pending.id], force: true }), 400, 'force');
          refused(await raw(firm.accountant, 'POST', path, oversized(path, 'POST', { ids: [pending.id] })), 413);
        });
      });

      it(`${path}: answers unknown ids, uuid or not, 404 naming each, even beside a good one`, async () => {
        await unchanged(async () => {
          const unknown = randomUUID();
          const body = refused(await post({ ids: [pending.id, unknown, 'not-a-uuid'] }), 404, unknown, 'not-a-uuid');
          expect(body.error.message).not.toContain(pending.id);
        });
      });
    }

    it('/postings/post: refuses all other than true, naming the field', async () => {
      await unchanged(async () => {
        refused(await call(t, firm.accountant, 'POST', '/postings/post', { all: 'yes' }), 400, 'all');
        refused(await call(t, firm.accountant, 'POST', '/postings/post', { all: false }), 400, 'all');
      });
    });

    it('/postings/remove: refuses a control character in the note', async () => {
      await unchanged(async () => {
        refused(
          await call(t, firm.accountant, 'POST', '/postings/remove', { ids: [pending.id], note: 'by\u0007hand' }),
          400,
          'note',
        );
      });
    });
  });

  describe('POST /agent/sync', () => {
    const sync = (body: object) => call(t, firm.agent, 'POST', '/agent/sync', body);
    const invoice = (n: number, overrides: Record<string, unknown> = {}) => ({
      invoiceNumber: `INV-9${n}`,
      clientNumber: 'C7',
      matterNumber: 'M7',
      invoiceDate: '2026-04-01',
      totalCents: 50000,
      balanceCents: 50000,
      status: 'open',
      ...overrides,
    });
    const good = (invoices: object[]) => ({
      clients: [{ clientNumber: 'C7', name: 'Seventh Client' }],
      matters: [{ clientNumber: 'C7', matterNumber: 'M7', description: 'New matter' }],
      invoices,
      full: false,
    });

    it('refuses malformed JSON, wrong types, bad cents, unknown enums, unknown fields and control characters', async () => {
      await unchanged(async () => {
        refused(await raw(firm.agent, 'POST', '/agent/sync', '{"clients": [{"clientNumber": "C7",'), 400);
        refused(await sync(good([invoice(0), invoice(1, { totalCents: '50000' })])), 400, 'invoices.1.totalCents');
        refused(await sync(good([invoice(0, { totalCents: 12.5 })])), 400, 'invoices.0.totalCents');
        refused(await sync(good([invoice(0, { balanceCents: -1 })])), 400, 'invoices.0.balanceCents');
        refused(await sync(good([invoice(0, { totalCents: 2 ** 53, balanceCents: 0 })])), 400, 'invoices.0.totalCents');
        refused(await sync(good([invoice(0, { status: 'overdue' })])), 400, 'invoices.0.status');
        refused(await sync(good([invoice(0, { invoiceDate: '2026-02-30' })])), 400, 'invoices.0.invoiceDate');
        refused(await sync(good([invoice(0, { discount: 5 })])), 400, 'discount');
        refused(await sync({ ...good([]), since: 'yesterday' }), 400, 'since');
        refused(
          await sync({ ...good([]), clients: [{ clientNumber: 'C7', name: 'Seventh\u0000Client' }] }),
          400,
          'clients.0.name',
        );
        refused(await sync({ ...good([]), full: 'yes' }), 400, 'full');
      });
    });

    it('refuses a body over the limit that applies to the sync with 413', async () => {
      const route = listRoutes(t.app).find((r) => r.method === 'POST' && r.url === '/api/v1/agent/sync');
      const limit = route?.bodyLimit ?? BODY_LIMIT;
      await unchanged(async () => {
        refused(await raw(firm.agent, 'POST', '/agent/sync', Buffer.alloc(limit + 1, 0x20)), 413);
      });
    });

    it('refuses a whole sync for one bad row among good ones, naming the row, and writes nothing of it', async () => {
      const cases: [object[], string][] = [
        [[invoice(0), invoice(1), invoice(2), invoice(3, { balanceCents: 50001 })], 'invoices.3.balanceCents'],
        [[invoice(0), invoice(1), invoice(2), invoice(3, { matterNumber: 'M404' })], 'invoices.3.matterNumber'],
        [[invoice(0), invoice(1), invoice(2), invoice(1)], 'invoices.3.invoiceNumber'],
      ];
      await unchanged(async () => {
        for (const [invoices, field] of cases) {
          const body = refused(await sync(good(invoices)), 400, field);
          expect(body.error.code).toBe('invalid_sync');
        }
        const unknownClient = { ...good([]), matters: [{ clientNumber: 'C404', matterNumber: 'M1', description: '' }] };
        refused(await sync(unknownClient), 400, 'matters.0.clientNumber');
        const dupClient = {
          ...good([]),
          clients: [
            { clientNumber: 'C7', name: 'One' },
            { clientNumber: 'C7', name: 'Two' },
          ],
        };
        refused(await sync(dupClient), 400, 'clients.1.clientNumber');
      });
      const names = async (table: 'clients' | 'invoices') =>
        t.conn.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('firm_id', '=', firm.id)
          .executeTakeFirstOrThrow();
      expect((await names('clients')).n).toBe(3);
      expect((await names('invoices')).n).toBe(6);
      // The same rows without the bad one are taken whole.
      const fine = await sync(good([invoice(0), invoice(1), invoice(2)]));
      expect(fine.statusCode, fine.body).toBe(200);
      expect((await names('invoices')).n).toBe(9);
    });
  });
});
