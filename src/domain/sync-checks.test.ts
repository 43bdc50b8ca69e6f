import { describe, expect, it } from 'vitest';
import { readAfterOf, syncProblems, syncReferences, syncRefusal, type SyncFacts } from './sync-checks.ts';

const invoice = (
  invoiceNumber: string,
  clientNumber = 'C1',
  matterNumber = 'M1',
  totalCents = 100,
  balanceCents = 100,
) => ({
  invoiceNumber,
  clientNumber,
  matterNumber,
  totalCents,
  balanceCents,
});
const none = { clients: new Set<string>(), matters: [] };

describe('syncReferences', () => {
  it('names the clients and matters referred to but not sent, once each', () => {
    const input: SyncFacts = {
      clients: [{ clientNumber: 'C1' }],
      matters: [
        { clientNumber: 'C1', matterNumber: 'M1' },
        { clientNumber: 'C2', matterNumber: 'M1' },
        { clientNumber: 'C2', matterNumber: 'M2' },
      ],
      invoices: [invoice('A'), invoice('B', 'C3', 'M3'), invoice('C', 'C3', 'M3')],
      full: false,
    };
    expect(syncReferences(input)).toEqual({ clients: ['C2'], matters: [['C3', 'M3']] });
  });
});

describe('syncProblems', () => {
  it('finds nothing wrong in a sync that holds together', () => {
    const input: SyncFacts = {
      clients: [{ clientNumber: 'C1' }],
      matters: [{ clientNumber: 'C1', matterNumber: 'M1' }],
      invoices: [invoice('A')],
      full: true,
      earlierInvoiceNumbers: [],
    };
    expect(syncProblems(input, none)).toEqual([]);
  });

  it('names repeats, balances over the total, unknown references and a misplaced earlierInvoiceNumbers, in that order', () => {
    const input: SyncFacts = {
      clients: [{ clientNumber: 'C1' }, { clientNumber: 'C1' }],
      matters: [
        { clientNumber: 'C1', matterNumber: 'M1' },
        { clientNumber: 'C9', matterNumber: 'M1' },
        { clientNumber: 'C8', matterNumber: 'M1' },
      ],
      invoices: [invoice('A', 'C1', 'M1', 100, 101), invoice('A'), invoice('B', 'C7', 'M7'), invoice('D', 'C6', 'M6')],
      full: false,
      earlierInvoiceNumbers: ['X'],
    };
    expect(syncProblems(input, { clients: new Set(['C8']), matters: [['C6', 'M6']] })).toEqual([
      { field: 'clients.1.clientNumber', message: 'repeats clients.0' },
      { field: 'invoices.1.invoiceNumber', message: 'repeats invoices.0' },
      { field: 'invoices.0.balanceCents', message: 'is more than totalCents' },
      { field: 'matters.1.clientNumber', message: 'client C9 is neither in this sync nor synced before' },
      { field: 'invoices.2.matterNumber', message: 'matter C7/M7 is neither in this sync nor synced before' },
      { field: 'earlierInvoiceNumbers', message: 'is only for the last page of a full sync (full: true)' },
    ]);
  });
});

describe('readAfterOf', () => {
  const now = new Date('2026-03-01T12:00:00.000Z');
  it('is when the sync arrived, unless the agent read earlier', () => {
    expect(readAfterOf(undefined, now)).toBe(now);
    expect(readAfterOf('2026-03-01T11:59:00.000Z', now)).toEqual(new Date('2026-03-01T11:59:00.000Z'));
    expect(readAfterOf('2026-03-01T13:00:00.000Z', now)).toBe(now);
  });
});

describe('syncRefusal', () => {
  it('refuses the sync naming its first twenty problems, and counts them all', () => {
    const problems = Array.from({ length: 25 }, (_, i) => ({ field: `invoices.${i}.balanceCents`, message: 'is bad' }));
    const refused = syncRefusal(problems);
    expect(refused.code).toBe('invalid_sync');
    expect(refused.details).toEqual({ issues: problems.slice(0, 20), total: 25 });
    expect(refused.message.split('; ')).toHaveLength(20);
    expect(refused.message.startsWith('invoices.0.balanceCents: is bad; invoices.1.balanceCents: is bad')).toBe(true);
  });
});
