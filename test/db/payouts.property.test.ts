import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../src/db/connect.ts';
import { addDays, dayStartIn } from '../../src/domain/dates.ts';
import { cents } from '../../src/domain/money.ts';
import { processingFeeCents } from '../../src/domain/payouts.ts';
import { SandboxProcessor } from '../../src/processor/sandbox/sandbox-processor.ts';
import { settleSandboxPayouts } from '../../src/processor/sandbox/settle-payouts.ts';
import { SYSTEM_ACTOR } from '../../src/domain/actor.ts';
import { createFirm } from '../../src/usecases/auth/firms-and-users.ts';
import { recordPayout } from '../../src/usecases/deposits/record-payout.ts';
import { reversePayment } from '../../src/usecases/payments/reverse-payment.ts';
import { takePayment } from '../../src/usecases/payments/take-payment.ts';
import { createTestDb, testEngine } from '../support/db.ts';

/**
 * Issue 14: over random days of payments, refunds, chargebacks and voids, settled as the
 * days end, every payout is exact to the cent: a trust payout is its day's trust receipts
 * less its trust refunds; every cent charged is paid out once, refunded, charged back or
 * kept as a fee; and paybridge's record of each payout is the processor's.
 */
const ZONE = 'America/New_York';
const FIRST_DAY = '2026-10-05';
const DAYS = 4;

interface PaymentPlan {
  day: number;
  minute: number;
  account: 'operating' | 'trust';
  method: 'card' | 'echeck';
  receipt: number;
  surcharge: number;
  /** What happens to it later: nothing, refunds (fractions of what is left, 1 = the rest), a chargeback, or a void the same day. */
  after:
    | { kind: 'none' }
    | { kind: 'refunds'; parts: { dayLater: number; fraction: number }[] }
    | { kind: 'chargeback'; dayLater: number; refundFirst: number }
    | { kind: 'void' };
}

const plan = fc.record<PaymentPlan>({
  day: fc.integer({ min: 0, max: DAYS - 1 }),
  minute: fc.integer({ min: 9 * 60, max: 16 * 60 }),
  account: fc.constantFrom('operating', 'trust'),
  method: fc.constantFrom('card', 'echeck'),
  receipt: fc.integer({ min: 1, max: 2_000_000 }),
  surcharge: fc.integer({ min: 0, max: 300 }),
  after: fc.oneof(
    fc.constant({ kind: 'none' as const }),
    fc.record({
      kind: fc.constant('refunds' as const),
      parts: fc.array(
        fc.record({ dayLater: fc.integer({ min: 0, max: 3 }), fraction: fc.constantFrom(0.25, 0.5, 1) }),
        { minLength: 1, maxLength: 3 },
      ),
    }),
    fc.record({
      kind: fc.constant('chargeback' as const),
      dayLater: fc.integer({ min: 0, max: 3 }),
      refundFirst: fc.constantFrom(0, 0.5),
    }),
    fc.constant({ kind: 'void' as const }),
  ),
});

describe(`payouts over random days on ${testEngine()} (property)`, () => {
  let conn: Connection;
  let runs = 0;
  beforeAll(async () => {
    conn = await createTestDb();
  });
  afterAll(async () => conn.close());

  it('are exact to the cent, trust never carries a fee or chargeback, and nothing is paid out twice', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(plan, { minLength: 1, maxLength: 10 }), async (plans) => {
        runs += 1;
        const db = conn.db;
        const firm = await createFirm(db, { code: `PO${runs}`, name: `Payout ${runs}`, timeZone: ZONE });
        const at = (day: number, minute: number) =>
          new Date(dayStartIn(addDays(FIRST_DAY, day), ZONE).getTime() + minute * 60_000);

        // What moved, by the firm's day: the oracle, worked out from the plan alone.
        const trustExpected = new Map<string, number>();
        const addTrust = (day: number, amount: number) => {
          const key = addDays(FIRST_DAY, day);
          trustExpected.set(key, (trustExpected.get(key) ?? 0) + amount);
        };
        let charged = 0;
        let returned = 0;
        let fees = 0;
        const steps: { at: Date; run: () => Promise<void> }[] = [];
        for (const [i, p] of plans.entries()) {
          // A credit card may carry a surcharge of up to 3% of the receipt.
          const surcharge = p.method === 'card' ? Math.min(p.surcharge, Math.floor((p.receipt * 3) / 100)) : 0;
          const amount = p.receipt + surcharge;
          const processorId = `ch_prop_${runs}_${i}`;
          const takenAt = at(p.day, p.minute);
          let paymentId = '';
          steps.push({
            at: takenAt,
            run: async () => {
              const taken = await takePayment(db, firm.id, SYSTEM_ACTOR, {
                processorId,
                origin: 'enter_payment',
                amountCents: cents(amount),
                surchargeCents: cents(surcharge),
                method: p.method,
                ...(p.method === 'card' ? { cardBrand: 'visa', cardFunding: 'credit' as const } : {}),
                last4: '4242',
                account: p.account,
                payerName: 'Prop Payer',
                invoiceNumbers: [],
                processedAt: takenAt.toISOString(),
              });
              paymentId = taken.payment.id;
            },
          });
          if (p.after.kind === 'void') {
            steps.push({
              at: new Date(takenAt.getTime() + 60_000),
              run: () => reversePayment(db, firm.id, SYSTEM_ACTOR, paymentId, { kind: 'void' }, takenAt).then(() => {}),
            });
            continue;
          }
          charged += amount;
          fees += processingFeeCents(p.method, cents(amount));
          if (p.account === 'trust') addTrust(p.day, p.receipt);
          let refunded = 0;
          const refund = (dayLater: number, fraction: number, minute: number) => {
            const receiptLeft = p.receipt - refunded;
            const whole = fraction === 1 || receiptLeft < 2;
            const part = whole ? amount - refunded : Math.max(1, Math.floor(receiptLeft * fraction) - 1);
            if (part <= 0) return;
            const receiptPart = Math.min(part, receiptLeft);
            refunded += part;
            returned += part;
            if (p.account === 'trust') addTrust(p.day + dayLater, -receiptPart);
            const when = at(p.day + dayLater, minute);
            steps.push({
              at: when,
              run: () =>
                reversePayment(
                  db,
                  firm.id,
                  SYSTEM_ACTOR,
                  paymentId,
                  whole ? { kind: 'refund' } : { kind: 'refund', amountCents: cents(part) },
                  when,
                ).then(() => {}),
            });
          };
          if (p.after.kind === 'refunds') {
            // In the order they happen: the oracle's amounts are those of that order.
            [...p.after.parts]
              .sort((x, y) => x.dayLater - y.dayLater)
              .forEach((r, k) => {
                if (refunded < amount) refund(r.dayLater, r.fraction, Math.min(p.minute + 1 + k, 23 * 60));
              });
          }
          if (p.after.kind === 'chargeback') {
            if (p.after.refundFirst > 0) refund(0, p.after.refundFirst, Math.min(p.minute + 1, 23 * 60));
            const left = amount - refunded;
            if (left > 0) {
              returned += left;
              const when = at(p.day + p.after.dayLater, 23 * 60 + 30);
              steps.push({
                at: when,
                run: () =>
                  reversePayment(db, firm.id, SYSTEM_ACTOR, paymentId, { kind: 'chargeback' }, when).then(() => {}),
              });
            }
          }
        }
        // Settlement early each morning, from the first day's next to after the last reversal.
        const processor = new SandboxProcessor(db);
        for (let d = 1; d <= DAYS + 5; d += 1) {
          steps.push({
            at: at(d, 6 * 60),
            run: async () => {
              for (const made of (await settleSandboxPayouts(db, at(d, 6 * 60))).filter((m) => m.firmId === firm.id)) {
                await recordPayout(db, processor, firm.id, {
                  id: `evt_${made.payoutId}`,
                  data: { ...made },
                });
              }
            },
          });
        }
        steps.sort((x, y) => x.at.getTime() - y.at.getTime());
        for (const step of steps) await step.run();

        const payouts = await db.selectFrom('payouts').selectAll().where('firm_id', '=', firm.id).execute();
        const lines = await sql<{ kind: string; processor_id: string; refund_id: string | null; amount_cents: number }>`
          select kind, processor_id, refund_id, amount_cents from payout_lines where firm_id = ${firm.id}`.execute(db);

        // Trust: exactly its receipts less its refunds, day by day; never a fee, surcharge or chargeback.
        const trust = payouts.filter((p) => p.account === 'trust');
        for (const [day, expected] of trustExpected) {
          const paid = trust.filter((p) => p.settled_on === day).reduce((sum, p) => sum + p.net_cents, 0);
          expect(paid, `trust on ${day}`).toBe(expected);
        }
        expect(trust.every((p) => p.fees_cents === 0 && p.chargebacks_cents === 0)).toBe(true);
        // Every cent: charged = paid out + returned + fees.
        const net = payouts.reduce((sum, p) => sum + p.net_cents, 0);
        expect(net).toBe(charged - returned - fees);
        // Each payment's receipt once; each refund once.
        const paymentLines = lines.rows.filter((l) => l.kind === 'payment');
        expect(new Set(paymentLines.map((l) => l.processor_id)).size).toBe(paymentLines.length);
        expect(paymentLines.length).toBe(plans.filter((p) => p.after.kind !== 'void').length);
        const refundIds = lines.rows.filter((l) => l.kind === 'refund').map((l) => l.refund_id);
        const refunds = await db
          .selectFrom('payment_refunds')
          .select('refund_id')
          .where('firm_id', '=', firm.id)
          .execute();
        expect(new Set(refundIds)).toEqual(new Set(refunds.map((r) => r.refund_id)));
        // paybridge's record of each payout is the processor's, line for line.
        const sandbox = await db.selectFrom('sandbox_payouts').selectAll().where('firm_id', '=', firm.id).execute();
        expect(payouts.map((p) => [p.processor_payout_id, p.net_cents]).sort()).toEqual(
          sandbox.map((s) => [s.id, s.amount_cents]).sort(),
        );
        for (const p of payouts)
          expect(p.net_cents).toBe(p.gross_cents + p.refunds_cents + p.chargebacks_cents + p.fees_cents);
      }),
      { numRuns: Number(process.env.PAYOUT_RUNS ?? 40), endOnFailure: true },
    );
  }, 240_000);
});
