import { describe, expect, it } from 'vitest';
import type { SyncBody } from '../client.ts';
import { arrayReader, sendInPages } from './pages.ts';

const clients = (n: number) => Array.from({ length: n }, (_, i) => ({ clientNumber: `C${i}`, name: `Client ${i}` }));
const matters = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ clientNumber: `C${i}`, matterNumber: 'M1', description: '' }));
const invoices = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    invoiceNumber: `I${i}`,
    clientNumber: `C${i}`,
    matterNumber: 'M1',
    invoiceDate: '2026-01-01',
    totalCents: 100,
    balanceCents: 100,
    status: 'open' as const,
  }));

async function pages(c: number, m: number, v: number, size: number) {
  const sent: SyncBody[] = [];
  await sendInPages(
    { clients: arrayReader(clients(c)), matters: arrayReader(matters(m)), invoices: arrayReader(invoices(v)) },
    async (b) => void sent.push(b),
    size,
  );
  return sent.map((b) => [b.clients.length, b.matters.length, b.invoices.length]);
}

describe('sendInPages', () => {
  it('keeps every page within the limit and sends clients before matters before invoices', async () => {
    // 7 clients, 3 matters, 5 invoices with pages of 3: a kind joins a page only once the kind before it is finished.
    expect(await pages(7, 3, 5, 3)).toEqual([
      [3, 0, 0],
      [3, 0, 0],
      [1, 3, 3],
      [0, 0, 2],
    ]);
    expect(await pages(2, 2, 2, 3)).toEqual([[2, 2, 2]]);
    expect(await pages(3, 3, 3, 3)).toEqual([[3, 3, 3]]);
    expect(await pages(0, 0, 0, 3)).toEqual([]);
    expect(await pages(0, 0, 4, 3)).toEqual([
      [0, 0, 3],
      [0, 0, 1],
    ]);
  });

  it('sends 50,000 of a kind per call by default', async () => {
    expect(await pages(120_000, 1, 1, 50_000)).toEqual([
      [50_000, 0, 0],
      [50_000, 0, 0],
      [20_000, 1, 1],
    ]);
  });
});

describe('sendInPages with a last page rewritten (a full resync)', () => {
  const mark = (body: SyncBody): SyncBody => ({ ...body, full: true });

  it('rewrites only the last page, and sends one even when there is nothing to send', async () => {
    const sent: SyncBody[] = [];
    const posts = await sendInPages(
      { clients: arrayReader(clients(4)), matters: arrayReader(matters(1)), invoices: arrayReader(invoices(4)) },
      async (b) => void sent.push(b),
      3,
      mark,
    );
    expect(posts).toBe(3);
    expect(sent.map((b) => [b.clients.length, b.matters.length, b.invoices.length, b.full])).toEqual([
      [3, 0, 0, false],
      [1, 1, 3, false],
      [0, 0, 1, true],
    ]);

    const empty: SyncBody[] = [];
    expect(
      await sendInPages(
        { clients: arrayReader([]), matters: arrayReader([]), invoices: arrayReader([]) },
        async (b) => void empty.push(b),
        3,
        mark,
      ),
    ).toBe(1);
    expect(empty).toEqual([{ clients: [], matters: [], invoices: [], full: true }]);
  });
});
