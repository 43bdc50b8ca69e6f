import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/connect.ts';
import { findDefaultDepositAccount } from '../../db/deposit-accounts.ts';
import { claimUnsettled, firmsWithUnsettled, insertSandboxPayout, type Movable } from '../../db/sandbox-payouts.ts';
import { inTransaction } from '../../db/transaction.ts';
import { calendarDateIn, dayStartIn } from '../../domain/dates.ts';
import { chargebackMovement, paymentMovement, refundMovement } from '../../domain/deposits.ts';
import { sumCents } from '../../domain/money.ts';
import { linesByAccount, payoutLines, type Movement } from '../../domain/payouts.ts';
import type { Account } from '../../domain/types.ts';
import { enqueueEvent } from './sandbox-processor.ts';

function movementOf(m: Movable): Movement {
  switch (m.kind) {
    case 'payment':
      return paymentMovement(m.charge);
    case 'refund':
      return refundMovement(m.charge, m.refund);
    case 'chargeback':
      return chargebackMovement(m.charge, m.refundedCents);
  }
}

export interface SettledPayout {
  firmId: string;
  payoutId: string;
  depositAccountId: string;
  settledOn: string;
  amountCents: number;
}

/**
 * The sandbox's daily settlement (SPEC §5.3): every payment, refund and chargeback of a
 * firm's day that is over (in the firm's time zone) is paid out, per deposit account, in
 * one payout for that day, and a signed `payout.paid` event tells the firm. A refund or
 * chargeback days after its payment is in the payout of its own day. Run as often as
 * liked: what a payout took is claimed in its transaction, so nothing is paid twice.
 */
export async function settleSandboxPayouts(db: Db, now = new Date()): Promise<SettledPayout[]> {
  const settled: SettledPayout[] = [];
  for (const firm of await firmsWithUnsettled(db, now)) {
    const cutoff = dayStartIn(calendarDateIn(now, firm.time_zone), firm.time_zone);
    settled.push(
      ...(await inTransaction(db, async (tx) => {
        const movables = await claimUnsettled(tx, firm.id, cutoff, firm.time_zone);
        if (movables.length === 0) return [];
        const operating = await findDefaultDepositAccount(tx, firm.id, 'operating');
        const kindOf = new Map<string, Account>([[operating.id, 'operating']]);
        const byDay = new Map<string, Movement[]>();
        for (const m of movables) {
          const movement = movementOf(m);
          kindOf.set(movement.depositAccountId, movement.account);
          const day = calendarDateIn(m.at, firm.time_zone);
          byDay.set(day, [...(byDay.get(day) ?? []), movement]);
        }
        const made: SettledPayout[] = [];
        for (const [day, movements] of [...byDay].sort(([a], [b]) => a.localeCompare(b))) {
          for (const [depositAccountId, lines] of linesByAccount(payoutLines(movements, operating.id))) {
            const payoutId = `po_sbx_${randomBytes(12).toString('hex')}`;
            const amountCents = sumCents(lines.map((l) => l.amountCents));
            await insertSandboxPayout(tx, {
              id: payoutId,
              firmId: firm.id,
              depositAccountId,
              account: kindOf.get(depositAccountId)!,
              settledOn: day,
              paidAt: now,
              amountCents,
              lines,
            });
            await enqueueEvent(
              tx,
              firm.id,
              'payout.paid',
              { payoutId, depositAccountId, settledOn: day, amountCents },
              now,
            );
            made.push({ firmId: firm.id, payoutId, depositAccountId, settledOn: day, amountCents });
          }
        }
        return made;
      })),
    );
  }
  return settled;
}
