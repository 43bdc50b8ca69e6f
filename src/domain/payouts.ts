import { addCents, basisPointsOf, cents, minCents, negateCents, sumCents, ZERO_CENTS, type Cents } from './money.ts';
import type { Account, Method } from './types.ts';

/**
 * SPEC §5.3: the processor pays each settled day's money out per deposit account. This
 * module is the rule of what goes where, without a database or a clock: the day's
 * movements in, the payout lines of each account out.
 *
 * Nothing but client money moves in trust (ABA Model Rule 1.15): a trust payment's
 * receipt goes to its trust account and its refunds come back out of it, but its
 * surcharge, its processing fee and a chargeback or eCheck return of it are the firm's
 * own money and are debited from the firm's operating account. So a trust payout always
 * equals its trust receipts less its trust refunds.
 */

/** What moved money on one day, as the processor settles it the next. */
export type MovementKind = 'payment' | 'refund' | 'chargeback';

export interface Movement {
  kind: MovementKind;
  paymentId: string;
  /** The processor's id of the refund, for a refund. */
  refundId?: string | undefined;
  method: Method;
  /** The payment's deposit account and its kind. */
  depositAccountId: string;
  account: Account;
  /** Of the money moved (always positive here), the part that is the receipt: the client's money on a trust payment… */
  receiptCents: Cents;
  /** …and the part that is surcharge: always the firm's operating income. */
  surchargeCents: Cents;
}

export const PAYOUT_LINE_KINDS = ['payment', 'surcharge', 'refund', 'chargeback', 'echeck_return', 'fee'] as const;
export type PayoutLineKind = (typeof PAYOUT_LINE_KINDS)[number];

/** One line of a payout: money in is positive, money out negative. */
export interface PayoutLine {
  depositAccountId: string;
  kind: PayoutLineKind;
  paymentId: string;
  refundId?: string | undefined;
  amountCents: Cents;
}

/**
 * What the processor charges for a payment, taken from the payout: a card costs a rate
 * and a fixed amount per charge, an eCheck a rate up to a cap. Refunds give no fee back,
 * and a chargeback or return costs nothing beyond the money it takes (the sandbox's
 * schedule; a real processor's is its contract's).
 */
export interface FeeSchedule {
  cardBps: number;
  cardFixedCents: Cents;
  echeckBps: number;
  echeckCapCents: Cents;
}

/** The sandbox's fees: 2.9 % + 30 ¢ a card payment; 0.8 % of an eCheck, at most $5. */
export const SANDBOX_FEES: FeeSchedule = {
  cardBps: 290,
  cardFixedCents: cents(30),
  echeckBps: 80,
  echeckCapCents: cents(500),
};

/** The processing fee of a charge of `chargedCents` (receipt and surcharge) paid by `method`. */
export function processingFeeCents(method: Method, chargedCents: Cents, schedule: FeeSchedule = SANDBOX_FEES): Cents {
  if (chargedCents === 0) return ZERO_CENTS;
  return method === 'card'
    ? addCents(basisPointsOf(chargedCents, schedule.cardBps), schedule.cardFixedCents)
    : minCents(basisPointsOf(chargedCents, schedule.echeckBps), schedule.echeckCapCents);
}

/**
 * The payout lines of one day's movements. `operatingAccountId` is the firm's operating
 * account that carries what a trust payment must not: its surcharge, its fee, and a
 * chargeback or return of it.
 */
export function payoutLines(
  movements: readonly Movement[],
  operatingAccountId: string,
  schedule: FeeSchedule = SANDBOX_FEES,
): PayoutLine[] {
  const lines: PayoutLine[] = [];
  for (const m of movements) {
    const own = m.depositAccountId;
    const firmsOwn = m.account === 'trust' ? operatingAccountId : own;
    const line = (depositAccountId: string, kind: PayoutLineKind, amountCents: Cents) => {
      if (amountCents !== 0)
        lines.push({
          depositAccountId,
          kind,
          paymentId: m.paymentId,
          ...(m.refundId && { refundId: m.refundId }),
          amountCents,
        });
    };
    const charged = addCents(m.receiptCents, m.surchargeCents);
    switch (m.kind) {
      case 'payment':
        line(own, 'payment', m.receiptCents);
        line(firmsOwn, 'surcharge', m.surchargeCents);
        line(firmsOwn, 'fee', negateCents(processingFeeCents(m.method, charged, schedule)));
        break;
      case 'refund':
        line(own, 'refund', negateCents(m.receiptCents));
        line(firmsOwn, 'refund', negateCents(m.surchargeCents));
        break;
      case 'chargeback':
        line(firmsOwn, m.method === 'echeck' ? 'echeck_return' : 'chargeback', negateCents(charged));
        break;
    }
  }
  return lines;
}

/** A payout's figures as the Deposits screen and its statement show them. */
export interface PayoutTotals {
  grossCents: Cents;
  refundsCents: Cents;
  chargebacksCents: Cents;
  feesCents: Cents;
  netCents: Cents;
}

const TOTAL_OF: Record<PayoutLineKind, Exclude<keyof PayoutTotals, 'netCents'>> = {
  payment: 'grossCents',
  surcharge: 'grossCents',
  refund: 'refundsCents',
  chargeback: 'chargebacksCents',
  echeck_return: 'chargebacksCents',
  fee: 'feesCents',
};

/** Gross, refunds, chargebacks and fees (the last three negative or zero) and the net of some lines. */
export function payoutTotals(lines: readonly Pick<PayoutLine, 'kind' | 'amountCents'>[]): PayoutTotals {
  const totals: PayoutTotals = {
    grossCents: ZERO_CENTS,
    refundsCents: ZERO_CENTS,
    chargebacksCents: ZERO_CENTS,
    feesCents: ZERO_CENTS,
    netCents: sumCents(lines.map((l) => l.amountCents)),
  };
  for (const l of lines) totals[TOTAL_OF[l.kind]] = addCents(totals[TOTAL_OF[l.kind]], l.amountCents);
  return totals;
}

/** The lines of each deposit account, in the order given: one payout each. */
export function linesByAccount(lines: readonly PayoutLine[]): Map<string, PayoutLine[]> {
  const byAccount = new Map<string, PayoutLine[]>();
  for (const l of lines) {
    const list = byAccount.get(l.depositAccountId);
    if (list) list.push(l);
    else byAccount.set(l.depositAccountId, [l]);
  }
  return byAccount;
}
