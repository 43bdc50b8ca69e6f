import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cents, sumCents, type Cents } from './money.ts';
import {
  linesByAccount,
  payoutLines,
  payoutTotals,
  processingFeeCents,
  SANDBOX_FEES,
  type Movement,
} from './payouts.ts';

const OPERATING = 'acct-operating';
const OTHER_OPERATING = 'acct-operating-2';
const TRUST = 'acct-trust';
const ACCOUNT_KIND = { [OPERATING]: 'operating', [OTHER_OPERATING]: 'operating', [TRUST]: 'trust' } as const;

function movement(over: Partial<Movement>): Movement {
  return {
    kind: 'payment',
    paymentId: 'p1',
    method: 'card',
    depositAccountId: OPERATING,
    account: 'operating',
    receiptCents: cents(10_000),
    surchargeCents: cents(0),
    ...over,
  };
}

describe('processingFeeCents', () => {
  it('charges a card 2.9% + 30¢, rounded half up', () => {
    expect(processingFeeCents('card', cents(10_000))).toBe(320);
    expect(processingFeeCents('card', cents(10_300))).toBe(329); // 298.7 → 299, + 30
    expect(processingFeeCents('card', cents(1))).toBe(30);
  });

  it('charges an eCheck 0.8%, at most $5', () => {
    expect(processingFeeCents('echeck', cents(10_000))).toBe(80);
    expect(processingFeeCents('echeck', cents(62_500))).toBe(500);
    expect(processingFeeCents('echeck', cents(10_000_000))).toBe(500);
  });

  it('charges nothing on nothing', () => {
    expect(processingFeeCents('card', cents(0))).toBe(0);
  });
});

describe('payoutLines', () => {
  it('pays an operating payment in, less its fee, to its own account', () => {
    const lines = payoutLines([movement({ surchargeCents: cents(300) })], OTHER_OPERATING);
    expect(lines).toEqual([
      { depositAccountId: OPERATING, kind: 'payment', paymentId: 'p1', amountCents: 10_000 },
      { depositAccountId: OPERATING, kind: 'surcharge', paymentId: 'p1', amountCents: 300 },
      { depositAccountId: OPERATING, kind: 'fee', paymentId: 'p1', amountCents: -329 },
    ]);
  });

  it('keeps everything but the receipt of a trust payment out of trust', () => {
    const lines = payoutLines(
      [movement({ depositAccountId: TRUST, account: 'trust', surchargeCents: cents(300) })],
      OPERATING,
    );
    expect(lines).toEqual([
      { depositAccountId: TRUST, kind: 'payment', paymentId: 'p1', amountCents: 10_000 },
      { depositAccountId: OPERATING, kind: 'surcharge', paymentId: 'p1', amountCents: 300 },
      { depositAccountId: OPERATING, kind: 'fee', paymentId: 'p1', amountCents: -329 },
    ]);
  });

  it('takes a trust chargeback or eCheck return from the operating account, whole', () => {
    const trust = { depositAccountId: TRUST, account: 'trust' as const, surchargeCents: cents(300) };
    expect(payoutLines([movement({ ...trust, kind: 'chargeback' })], OPERATING)).toEqual([
      { depositAccountId: OPERATING, kind: 'chargeback', paymentId: 'p1', amountCents: -10_300 },
    ]);
    expect(
      payoutLines([movement({ ...trust, kind: 'chargeback', method: 'echeck', surchargeCents: cents(0) })], OPERATING),
    ).toEqual([{ depositAccountId: OPERATING, kind: 'echeck_return', paymentId: 'p1', amountCents: -10_000 }]);
  });

  it('takes a trust refund of the receipt from trust and of the surcharge from operating', () => {
    const lines = payoutLines(
      [
        movement({
          kind: 'refund',
          refundId: 'rf_1',
          depositAccountId: TRUST,
          account: 'trust',
          receiptCents: cents(2_500),
          surchargeCents: cents(75),
        }),
      ],
      OPERATING,
    );
    expect(lines).toEqual([
      { depositAccountId: TRUST, kind: 'refund', paymentId: 'p1', refundId: 'rf_1', amountCents: -2_500 },
      { depositAccountId: OPERATING, kind: 'refund', paymentId: 'p1', refundId: 'rf_1', amountCents: -75 },
    ]);
  });

  it('totals a payout by kind', () => {
    const lines = payoutLines(
      [
        movement({ surchargeCents: cents(300) }),
        movement({ paymentId: 'p2', kind: 'refund', receiptCents: cents(1_000) }),
        movement({ paymentId: 'p3', kind: 'chargeback', receiptCents: cents(2_000) }),
      ],
      OPERATING,
    );
    expect(payoutTotals(lines)).toEqual({
      grossCents: 10_300,
      refundsCents: -1_000,
      chargebacksCents: -2_000,
      feesCents: -329,
      netCents: 6_971,
    });
  });
});

const amount = fc.integer({ min: 0, max: 1_000_000_000 }).map((n) => cents(n));
const arbitraryMovement: fc.Arbitrary<Movement> = fc
  .record({
    kind: fc.constantFrom('payment', 'refund', 'chargeback'),
    paymentId: fc.constantFrom('p1', 'p2', 'p3', 'p4'),
    method: fc.constantFrom('card', 'echeck'),
    depositAccountId: fc.constantFrom(OPERATING, OTHER_OPERATING, TRUST),
    receiptCents: amount,
    surchargeCents: amount,
  })
  .map((m) => ({
    ...m,
    account: ACCOUNT_KIND[m.depositAccountId],
    // Only a credit card is surcharged (SPEC §3.6).
    surchargeCents: m.method === 'card' ? m.surchargeCents : cents(0),
  }));

const total = (ms: Movement[], kind: Movement['kind'], pick: (m: Movement) => Cents) =>
  sumCents(ms.filter((m) => m.kind === kind).map(pick));

describe('payouts of any day (property)', () => {
  it('a trust payout is exactly its trust receipts less its trust refunds', () => {
    fc.assert(
      fc.property(fc.array(arbitraryMovement, { maxLength: 60 }), (ms) => {
        const trust = ms.filter((m) => m.account === 'trust');
        const payout = linesByAccount(payoutLines(ms, OPERATING)).get(TRUST) ?? [];
        expect(payout.every((l) => l.kind === 'payment' || l.kind === 'refund')).toBe(true);
        expect(payoutTotals(payout).netCents).toBe(
          total(trust, 'payment', (m) => m.receiptCents) - total(trust, 'refund', (m) => m.receiptCents),
        );
      }),
    );
  });

  it('every cent charged is paid out, refunded, charged back or kept as a fee', () => {
    fc.assert(
      fc.property(fc.array(arbitraryMovement, { maxLength: 60 }), (ms) => {
        const lines = payoutLines(ms, OPERATING);
        const charged = (m: Movement) => cents(m.receiptCents + m.surchargeCents);
        const fees = sumCents(
          ms.filter((m) => m.kind === 'payment').map((m) => processingFeeCents(m.method, charged(m), SANDBOX_FEES)),
        );
        const all = payoutTotals(lines);
        expect(all.grossCents).toBe(total(ms, 'payment', charged));
        expect(all.refundsCents).toBe(0 - total(ms, 'refund', charged));
        expect(all.chargebacksCents).toBe(0 - total(ms, 'chargeback', charged));
        expect(all.feesCents).toBe(0 - fees);
        expect(all.netCents).toBe(all.grossCents + all.refundsCents + all.chargebacksCents + all.feesCents);
        // Split into payouts, nothing is lost or counted twice.
        const perAccount = [...linesByAccount(lines).values()].map((l) => payoutTotals(l).netCents);
        expect(sumCents(perAccount)).toBe(all.netCents);
        expect(lines.every((l) => l.amountCents !== 0)).toBe(true);
      }),
    );
  });
});
