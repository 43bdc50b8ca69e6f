import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestFirm, startTestApp, type TestApp, type TestFirm } from '../support/app.ts';
import { syncBasicMms, takePayment } from '../support/fixtures.ts';
import { invoiceKeySql } from '../../src/db/invoice-search.ts';
import { invoiceKey } from '../../src/domain/invoice-match.ts';

interface Hit {
  invoiceNumber: string;
  clientNumber: string;
  clientName: string;
  matterNumber: string;
  matterDescription: string;
  invoiceDate: string;
  totalCents: number;
  balanceCents: number;
  availableCents: number;
  status: string;
}

describe('Invoice search for Reallocate Payment', () => {
  let t: TestApp;
  let firm: TestFirm;
  let other: TestFirm;
  beforeAll(async () => {
    t = await startTestApp();
    firm = await createTestFirm(t, 'INVS');
    other = await createTestFirm(t, 'INVO');
    await syncBasicMms(t, firm);
    const res = await call(t, other.agent, 'POST', '/agent/sync', {
      clients: [{ clientNumber: 'C1', name: 'Acme Rival' }],
      matters: [{ clientNumber: 'C1', matterNumber: 'M1', description: 'Lease dispute' }],
      invoices: [
        {
          invoiceNumber: 'INV-900',
          clientNumber: 'C1',
          matterNumber: 'M1',
          invoiceDate: '2025-01-01',
          totalCents: 5000,
          balanceCents: 5000,
          status: 'open',
        },
      ],
      full: false,
    });
    expect(res.statusCode).toBe(200);
  });
  afterAll(async () => t.close());

  async function search(query: string, token = firm.viewer): Promise<Hit[]> {
    const res = await call(t, token, 'GET', `/invoices${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items;
  }

  it('returns the invoice with its client and matter, open ones first, then by invoice date', async () => {
    const hits = await search('?q=inv-10');
    expect(hits.map((h) => h.invoiceNumber)).toEqual([
      'INV-100',
      'INV-103',
      'INV-104',
      'INV-101',
      'INV-102',
      'INV-105',
    ]);
    expect(hits[0]).toEqual({
      invoiceNumber: 'INV-100',
      clientNumber: 'C1',
      clientName: 'Acme Holdings',
      matterNumber: 'M1',
      matterDescription: 'Lease dispute',
      invoiceDate: '2026-01-05',
      totalCents: 100000,
      balanceCents: 100000,
      availableCents: 100000,
      status: 'open',
    });
    expect(hits.at(-1)?.status).toBe('paid');
  });

  it('matches client number, client name, matter number and matter description, ignoring case', async () => {
    expect((await search('?q=ACME')).map((h) => h.invoiceNumber)).toEqual(['INV-100', 'INV-101', 'INV-102']);
    expect((await search('?q=estate plan')).map((h) => h.clientNumber)).toEqual(['C2', 'C2', 'C2']);
    expect((await search('?q=c2')).map((h) => h.invoiceNumber)).toEqual(['INV-103', 'INV-104', 'INV-105']);
    expect((await search('?q=m1')).length).toBe(6);
  });

  it('treats % and _ as the characters they are', async () => {
    expect(await search('?q=%25')).toEqual([]);
    expect(await search('?q=INV_10')).toEqual([]);
  });

  it('filters by status and honours the limit', async () => {
    expect((await search('?status=paid')).map((h) => h.invoiceNumber)).toEqual(['INV-105']);
    expect(await search('?limit=2')).toHaveLength(2);
    expect((await call(t, firm.viewer, 'GET', '/invoices?limit=101')).statusCode).toBe(400);
    expect((await call(t, firm.viewer, 'GET', '/invoices?status=closed')).statusCode).toBe(400);
  });

  it('takes what pending and queued records already apply off the available amount, but not incomplete ones', async () => {
    const pending = await takePayment(t, firm, { invoiceNumbers: ['INV-102'], amountCents: 30000 });
    expect(pending.postingRecord.status).toBe('pending');
    const queued = await takePayment(t, firm, { invoiceNumbers: ['INV-102'], amountCents: 20000 });
    const post = await call(t, firm.accountant, 'POST', '/postings/post', { ids: [queued.postingRecord.id] });
    expect(post.statusCode, post.body).toBe(200);
    const incomplete = await takePayment(t, firm, { invoiceNumbers: ['INV-102', 'INV-101'], amountCents: 10000 });
    expect(incomplete.postingRecord.status).toBe('incomplete');
    const [hit] = await search('?q=INV-102');
    expect(hit?.balanceCents).toBe(100000);
    expect(hit?.availableCents).toBe(50000);
    const [untouched] = await search('?q=INV-101');
    expect(untouched?.availableCents).toBe(100000);
  });

  it("never shows another firm's invoices", async () => {
    expect(await search('?q=INV-900')).toEqual([]);
    expect((await search('?q=acme')).every((h) => h.clientName === 'Acme Holdings')).toBe(true);
    expect((await search('', other.viewer)).map((h) => h.invoiceNumber)).toEqual(['INV-900']);
  });

  it('is for signed-in users, not the agent', async () => {
    expect((await call(t, null, 'GET', '/invoices')).statusCode).toBe(401);
    expect((await call(t, firm.agent, 'GET', '/invoices')).statusCode).toBe(403);
  });

  describe('the suggestion Reallocate Payment offers', () => {
    const suggest = async (id: string) => {
      const res = await call(t, firm.viewer, 'GET', `/postings/${id}/suggestion`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };

    it('finds the invoice the payer typed another way, and offers the client’s oldest first', async () => {
      const rec = await takePayment(t, firm, { invoiceNumbers: ['inv 0101'], clientNumber: 'C1', amountCents: 2_500 });
      expect(rec.postingRecord.status).toBe('incomplete');
      const { suggestion, oldestFirst } = await suggest(rec.postingRecord.id);
      expect(suggestion).toMatchObject({
        basis: 'typed',
        confidence: 'medium',
        allocations: [{ invoiceNumber: 'INV-101', clientNumber: 'C1', matterNumber: 'M1', amountCents: 2_500 }],
        leftoverCents: 0,
      });
      expect(suggestion.why).toMatch(/ignoring case, spaces, dashes or leading zeros/);
      expect(oldestFirst).toMatchObject({ basis: 'oldest_first', confidence: 'low', leftoverCents: 0 });
      expect(oldestFirst.allocations[0].invoiceNumber).toBe('INV-100');
    });

    it('falls back to the client’s open invoices when nothing typed matches, and has nothing for trust money', async () => {
      const rec = await takePayment(t, firm, { invoiceNumbers: ['NOPE-7'], clientNumber: 'C2', amountCents: 1_000 });
      const { suggestion } = await suggest(rec.postingRecord.id);
      expect(suggestion).toMatchObject({ basis: 'oldest_first', confidence: 'low' });
      expect(suggestion.allocations.map((a: { invoiceNumber: string }) => a.invoiceNumber)).toEqual(['INV-103']);
      const trust = await takePayment(t, firm, {
        account: 'trust',
        invoiceNumbers: [],
        clientNumber: 'C3',
        matterNumber: 'M9',
      });
      expect(await suggest(trust.postingRecord.id)).toEqual({ suggestion: null, oldestFirst: null });
    });

    it('reduces invoice numbers in SQL exactly as the domain does', async () => {
      const samples = ['INV-0042', 'inv 42', 'A0102', '0-05', '00', '2024-0042', 'x_9', 'INV--007b', '0', 'Inv 10 0'];
      const { rows } = await sql<{ n: string; key: string }>`
        select n, ${invoiceKeySql('n')} as key from unnest(${samples}::text[]) as s(n)`.execute(t.conn.db);
      expect(rows.map((r) => r.key)).toEqual(samples.map(invoiceKey));
    });
  });
});
