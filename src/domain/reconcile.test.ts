import { cents, subtractCents } from './money.ts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addClaims, claimsMovedOutside, claimsOf, takenByOthers, takesFromInvoice, type ClaimLine } from './claims.ts';
import { classify, matterKey } from './classify.ts';
import { invoice, recordTerms, toInvoice } from './classify.test-support.ts';
import { classifyAgainst, reconcile, type Contender, type Mirror, type RecordTerms } from './reconcile.ts';
import type { InvoiceFacts } from './types.ts';

const terms = (overrides: Partial<RecordTerms> = {}): RecordTerms =>
  recordTerms({ receiptCents: cents(6000), invoiceNumbers: ['INV-1'], ...overrides });

function contender(
  id: string,
  standing: Contender['standing'],
  overrides: Partial<RecordTerms> = {},
  at = `2026-01-01T00:00:0${id.slice(-1)}Z`,
): Contender {
  return { id, standing, pendingSince: standing === 'pending' ? at : null, processedAt: at, terms: terms(overrides) };
}

function mirror(invoices: InvoiceFacts[], takenByOthers: [string, number][] = [], autoApply = false): Mirror {
  return {
    invoices: new Map(invoices.map((i) => [i.invoiceNumber, i])),
    matters: new Set([matterKey('C1', 'M1')]),
    takenByOthers: new Map(takenByOthers.map(([n, amount]) => [n, cents(amount)])),
    autoApply,
  };
}

describe('what a line takes from its invoice (SPEC §3.4)', () => {
  const line = (status: ClaimLine['status'], amountCents = 500, reflected = false): ClaimLine => ({
    recordId: 'r',
    status,
    invoiceNumber: 'INV-1',
    amountCents: cents(amountCents),
    reflected,
  });

  it('pending and queued lines take; posted ones until a sync reflects them; the rest never', () => {
    expect(takesFromInvoice(line('pending'))).toBe(true);
    expect(takesFromInvoice(line('queued'))).toBe(true);
    expect(takesFromInvoice(line('posted'))).toBe(true);
    expect(takesFromInvoice(line('posted', 500, true))).toBe(false);
    expect(takesFromInvoice(line('incomplete'))).toBe(false);
    expect(takesFromInvoice(line('removed'))).toBe(false);
    expect(takesFromInvoice(line('pending', -500))).toBe(false);
    expect(takesFromInvoice({ ...line('pending'), invoiceNumber: null })).toBe(false);
  });

  it('sums per invoice, leaving out the records asked', () => {
    const lines: ClaimLine[] = [
      { recordId: 'a', status: 'pending', invoiceNumber: 'INV-1', amountCents: cents(100), reflected: false },
      { recordId: 'b', status: 'queued', invoiceNumber: 'INV-1', amountCents: cents(200), reflected: false },
      { recordId: 'c', status: 'posted', invoiceNumber: 'INV-2', amountCents: cents(300), reflected: false },
    ];
    expect(takenByOthers(lines)).toEqual(
      new Map([
        ['INV-1', 300],
        ['INV-2', 300],
      ]),
    );
    expect(takenByOthers(lines, new Set(['a', 'c']))).toEqual(new Map([['INV-1', 200]]));
  });
});

describe('claimsMovedOutside', () => {
  const lines = (...pairs: [string, number][]) => pairs.map(([n, amount]) => toInvoice(n, amount));

  it('names the invoices outside the area where what pending records claim changed', () => {
    const moved = claimsMovedOutside(
      [
        // Pending before and after, but its claim on INV-2 grew and on INV-4 left.
        {
          before: { status: 'pending', allocations: lines(['INV-1', 100], ['INV-2', 100], ['INV-4', 5]) },
          after: { status: 'pending', allocations: lines(['INV-1', 50], ['INV-2', 150]) },
        },
        // Became pending: it now claims INV-3; an incomplete record claims nothing.
        {
          before: { status: 'incomplete', allocations: lines(['INV-9', 10]) },
          after: { status: 'pending', allocations: lines(['INV-3', 10]) },
        },
        // Unchanged, outside the area: nothing moved there.
        {
          before: { status: 'pending', allocations: lines(['INV-5', 10]) },
          after: { status: 'pending', allocations: lines(['INV-5', 10]) },
        },
      ],
      new Set(['INV-1']),
    );
    expect(moved.sort()).toEqual(['INV-2', 'INV-3', 'INV-4']);
  });

  it('sees claims that moved between records on one invoice as unmoved', () => {
    expect(
      claimsMovedOutside(
        [
          {
            before: { status: 'pending', allocations: lines(['INV-2', 100]) },
            after: { status: 'incomplete', allocations: [] },
          },
          {
            before: { status: 'incomplete', allocations: [] },
            after: { status: 'pending', allocations: lines(['INV-2', 100]) },
          },
        ],
        new Set(),
      ),
    ).toEqual([]);
  });
});

describe('classifyAgainst', () => {
  it('classifies terms against the mirror, what other records take from an invoice counting as applied elsewhere', () => {
    const at = (takenByOthers: [string, number][]): Mirror => ({
      invoices: new Map([['INV-1', invoice('INV-1', { balanceCents: cents(6000) })]]),
      matters: new Set(),
      takenByOthers: new Map(takenByOthers.map(([n, amount]) => [n, cents(amount)])),
      autoApply: false,
    });
    expect(classifyAgainst(at([]), terms()).status).toBe('pending');
    expect(classifyAgainst(at([['INV-1', 1]]), terms())).toMatchObject({
      status: 'incomplete',
      reasons: ['exceeds_balance'],
    });
  });
});

describe('reconcile', () => {
  it('keeps the record that became pending first when a sync lowers the balance', () => {
    const verdicts = reconcile(
      [
        contender('r2', 'pending', {}, '2026-01-01T00:00:01Z'),
        { ...contender('r1', 'pending'), pendingSince: '2026-01-01T00:00:00Z', processedAt: '2026-01-02T00:00:00Z' },
      ],
      mirror([invoice('INV-1', { balanceCents: cents(10000) })]),
    );
    expect(verdicts.get('r1')?.status).toBe('pending');
    expect(verdicts.get('r2')).toMatchObject({ status: 'incomplete', reasons: ['exceeds_balance'] });
  });

  it('never lets a record acted on now displace one already pending', () => {
    const verdicts = reconcile(
      [contender('r9', 'acted'), contender('r2', 'pending')],
      mirror([invoice('INV-1', { balanceCents: cents(10000) })]),
    );
    expect(verdicts.get('r2')?.status).toBe('pending');
    expect(verdicts.get('r9')?.reasons).toEqual(['exceeds_balance']);
  });

  it('gives room freed on an invoice to the oldest incomplete payment, and tells the next why it waits', () => {
    const verdicts = reconcile(
      [contender('r2', 'incomplete'), contender('r1', 'incomplete')],
      mirror([invoice('INV-1', { balanceCents: cents(10000) })]),
    );
    expect(verdicts.get('r1')?.status).toBe('pending');
    expect(verdicts.get('r2')?.reasons).toEqual(['exceeds_balance']);
  });

  it('gives an incomplete record every reason of the final state, not of the moment it was judged', () => {
    // r1 waits on its client, and is judged before r2 claims the balance it would need.
    const verdicts = reconcile(
      [contender('r1', 'incomplete', { clientNumber: 'C9' }), contender('r2', 'acted')],
      mirror([invoice('INV-1', { balanceCents: cents(10000) })]),
    );
    expect(verdicts.get('r2')?.status).toBe('pending');
    expect(verdicts.get('r1')?.reasons).toEqual(['exceeds_balance', 'client_mismatch']);
  });

  it('counts what records outside the group take', () => {
    const verdicts = reconcile(
      [contender('r1', 'acted')],
      mirror([invoice('INV-1', { balanceCents: cents(10000) })], [['INV-1', 4001]]),
    );
    expect(verdicts.get('r1')?.reasons).toEqual(['exceeds_balance']);
  });

  const NUMBERS = ['INV-1', 'INV-2', 'INV-3'];
  const group = fc.record({
    balances: fc.tuple(...NUMBERS.map(() => fc.integer({ min: 0, max: 20_000 }))),
    statuses: fc.tuple(...NUMBERS.map(() => fc.constantFrom('open' as const, 'open' as const, 'paid' as const))),
    outside: fc.tuple(...NUMBERS.map(() => fc.integer({ min: 0, max: 5_000 }))),
    autoApply: fc.boolean(),
    records: fc.array(
      fc.record({
        standing: fc.constantFrom('pending' as const, 'incomplete' as const, 'acted' as const),
        numbers: fc.subarray(NUMBERS, { minLength: 1 }),
        cents: fc.integer({ min: 1, max: 15_000 }),
        client: fc.constantFrom(null, 'C1', 'C2'),
        accepted: fc.boolean(),
        split: fc.option(fc.subarray(NUMBERS, { minLength: 1 }), { nil: null }),
        at: fc.integer({ min: 0, max: 9 }),
      }),
      { maxLength: 8 },
    ),
  });

  it('is a fixed point: every verdict is what classify says of that record given all the others (property)', () => {
    fc.assert(
      fc.property(group, ({ balances, statuses, outside, autoApply, records }) => {
        const invoices = NUMBERS.map((n, i) =>
          invoice(n, {
            balanceCents: cents(balances[i]!),
            status: statuses[i]!,
            clientNumber: i === 2 ? 'C2' : 'C1',
            invoiceDate: `2025-0${i + 1}-01`,
          }),
        );
        const m = mirror(
          invoices,
          NUMBERS.map((n, i) => [n, outside[i]!]),
          autoApply,
        );
        const contenders = records.map((r, i): Contender => {
          // A split puts the whole receipt on its first invoice and a cent on each other one.
          const reallocation = r.split === null ? null : r.split.map((n, j) => toInvoice(n, j === 0 ? r.cents : 1));
          const receiptCents = r.split === null ? r.cents : r.cents + r.split.length - 1;
          return {
            id: `r${i}`,
            standing: r.standing,
            pendingSince: r.standing === 'pending' ? `2026-01-0${r.at}` : null,
            processedAt: `2026-02-0${9 - r.at}`,
            terms: terms({
              invoiceNumbers: r.numbers,
              receiptCents: cents(receiptCents),
              clientNumber: r.client,
              clientMismatchAccepted: r.accepted,
              reallocation,
            }),
          };
        });
        const verdicts = reconcile(contenders, m);
        const all = new Map(m.takenByOthers);
        for (const c of contenders) {
          const v = verdicts.get(c.id)!;
          if (v.status === 'pending') addClaims(all, claimsOf('pending', v.allocations));
        }
        for (const c of contenders) {
          const own = verdicts.get(c.id)!;
          const others = new Map(all);
          if (own.status === 'pending')
            for (const [n, amount] of claimsOf('pending', own.allocations))
              others.set(n, subtractCents(others.get(n)!, amount));
          const fresh = classify({
            ...c.terms,
            invoices: m.invoices,
            matters: m.matters,
            appliedElsewhere: others,
            autoApply,
          });
          expect(fresh, c.id).toEqual(own);
        }
        // No open invoice is over-applied by the pending records and what others take.
        for (const inv of invoices) {
          const pendingHere = [...verdicts.values()]
            .filter((v) => v.status === 'pending')
            .reduce((sum, v) => sum + (claimsOf('pending', v.allocations).get(inv.invoiceNumber) ?? 0), 0);
          if (pendingHere > 0)
            expect(pendingHere).toBeLessThanOrEqual(
              Math.max(0, inv.balanceCents - (m.takenByOthers.get(inv.invoiceNumber) ?? 0)),
            );
        }
      }),
      { numRuns: 3000 },
    );
  });
});
