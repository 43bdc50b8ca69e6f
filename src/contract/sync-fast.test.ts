import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_AMOUNT_CENTS } from '../domain/money.ts';
import { MAX_SYNC_ROWS, syncBody } from './agent.ts';
import { fastPathOf } from './fast-path.ts';

const fast = fastPathOf(syncBody)!;

/** Text near every edge the schema draws: length, whitespace, control characters, surrogates, separators. */
const edgyText = fc.oneof(
  fc.string({ maxLength: 70 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom('', ' ', '\t', 'A\u0000', 'A\u007f', 'A\u0085', 'A\u009f', 'A\u00a0', '\u00a0', '\ufeff', 'A\u2028'),
  fc.constantFrom(
    'A\ud800',
    '\udc00A',
    'A\ud83d\ude00',
    'x'.repeat(64),
    'x'.repeat(65),
    'x'.repeat(200),
    'x'.repeat(201),
  ),
  fc.constantFrom('x'.repeat(500), 'x'.repeat(501), 'INV-0000001', 'C000001', 'M01'),
);

const date = fc.oneof(
  fc
    .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 14 }), fc.integer({ min: 0, max: 33 }))
    .map(([y, m, d]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
  fc.constantFrom('1900-01-01', '1899-12-31', '2999-12-31', '3000-01-01', '2024-02-29', '2023-02-29', '1900-02-29'),
  fc.constantFrom('2000-02-29', '2100-02-29', '2024-1-01', '2024-01-01T00:00:00Z', ' 2024-01-01', '２０２４-01-01'),
  fc.string({ maxLength: 12 }),
);

const amount = fc.oneof(
  fc.integer({ min: 0, max: 2_000_000 }),
  fc.constantFrom(0, -0, -1, 0.5, MAX_AMOUNT_CENTS, MAX_AMOUNT_CENTS + 1, 2 ** 53, Number.NaN, Infinity, -Infinity),
  fc.double(),
  fc.constantFrom('100', null, true),
);

const status = fc.oneof(fc.constantFrom('open', 'paid', 'void'), fc.constantFrom('Open', 'closed', '', null));

/** Mostly valid rows, each field sometimes wrong, keys sometimes missing or extra. */
function row<T extends Record<string, fc.Arbitrary<unknown>>>(
  good: T,
  bad: Partial<Record<keyof T, fc.Arbitrary<unknown>>>,
) {
  const fields = Object.fromEntries(
    Object.entries(good).map(([key, arb]) => {
      const wrong = bad[key as keyof T] ?? fc.constant(undefined);
      return [key, fc.oneof({ arbitrary: arb, weight: 8 }, { arbitrary: wrong, weight: 1 })];
    }),
  );
  return fc
    .tuple(
      fc.record(fields),
      fc.oneof({ arbitrary: fc.constant(null), weight: 10 }, fc.constantFrom('extra', 'status')),
    )
    .chain(([record, extra]) =>
      fc.subarray(Object.keys(record), { minLength: Object.keys(record).length - 1 }).map((keep) => {
        const picked: Record<string, unknown> = {};
        // Dropping a key only sometimes: most rows keep every key.
        const keys = extra === null ? Object.keys(record) : keep;
        for (const key of keys) picked[key] = record[key];
        if (extra === 'extra') picked.extra = 1;
        return picked;
      }),
    );
}

const validText = fc.stringMatching(/^[A-Za-z0-9 .-]{1,20}$/).filter((s) => s.trim().length > 0);
const validDate = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2999-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

const invoice = row(
  {
    invoiceNumber: validText,
    clientNumber: validText,
    matterNumber: validText,
    invoiceDate: validDate,
    totalCents: fc.integer({ min: 0, max: MAX_AMOUNT_CENTS }),
    balanceCents: fc.integer({ min: 0, max: 1_000_000 }),
    status: fc.constantFrom('open', 'paid', 'void'),
  },
  {
    invoiceNumber: edgyText,
    clientNumber: edgyText,
    matterNumber: edgyText,
    invoiceDate: date,
    totalCents: amount,
    balanceCents: amount,
    status,
  },
);
const client = row({ clientNumber: validText, name: validText }, { clientNumber: edgyText, name: edgyText });
const matter = row(
  { clientNumber: validText, matterNumber: validText, description: fc.oneof(validText, fc.constant('')) },
  { clientNumber: edgyText, matterNumber: edgyText, description: edgyText },
);

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 3 });
const body = fc
  .record(
    {
      clients: maybe(fc.array(client, { maxLength: 4 })),
      matters: maybe(fc.array(matter, { maxLength: 4 })),
      invoices: maybe(fc.array(invoice, { maxLength: 6 })),
      full: maybe(fc.oneof(fc.boolean(), fc.constant('true'))),
      earlierInvoiceNumbers: maybe(fc.array(fc.oneof(validText, edgyText), { maxLength: 3 })),
      readAfter: maybe(fc.constantFrom('2026-12-03T12:00:00Z', '2026-12-03', 'yesterday')),
      unexpected: maybe(fc.constant(1)),
    },
    { requiredKeys: [] },
  )
  .map((b) => JSON.parse(JSON.stringify(b)) as unknown);

describe("the sync body's fast path", () => {
  it('takes exactly what the schema takes, with the same output', () => {
    fc.assert(
      fc.property(fc.oneof({ arbitrary: body, weight: 20 }, fc.anything()), (data) => {
        const bySchema = syncBody.safeParse(data);
        const byHand = fast(data);
        if (bySchema.success) expect(byHand).toStrictEqual(bySchema.data);
        else expect(byHand).toBeUndefined();
      }),
      { numRuns: 3000 },
    );
  });

  it('takes a row at each edge the schema allows, and leaves one past it to the schema', () => {
    const base = {
      invoiceNumber: 'x'.repeat(64),
      clientNumber: ' C1\u00a0',
      matterNumber: 'M\ud83d\ude00',
      invoiceDate: '2000-02-29',
      totalCents: MAX_AMOUNT_CENTS,
      balanceCents: 0,
      status: 'void',
    };
    expect(fast({ invoices: [base] })).toStrictEqual(syncBody.parse({ invoices: [base] }));
    for (const wrong of [
      { invoiceNumber: 'x'.repeat(65) },
      { clientNumber: ' \u00a0' },
      { matterNumber: 'M\ud83d' },
      { invoiceDate: '1900-02-29' },
      { totalCents: MAX_AMOUNT_CENTS + 1 },
      { balanceCents: -1 },
    ]) {
      const data = { invoices: [{ ...base, ...wrong }] };
      expect(fast(data), JSON.stringify(wrong)).toBeUndefined();
      expect(syncBody.safeParse(data).success, JSON.stringify(wrong)).toBe(false);
    }
    const tooMany = { invoices: Array.from({ length: MAX_SYNC_ROWS + 1 }, () => base) };
    expect(fast(tooMany)).toBeUndefined();
  });
});
