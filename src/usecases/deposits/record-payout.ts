import type { Db } from '../../db/connect.ts';
import { findDepositAccount } from '../../db/deposit-accounts.ts';
import { readTimeZone } from '../../db/firms.ts';
import { publish } from '../../db/notify.ts';
import { insertPayout } from '../../db/payouts.ts';
import { claimProcessorEvent, readEventOutcome, recordEventOutcome } from '../../db/processor-events.ts';
import { inTransaction } from '../../db/transaction.ts';
import { queueWebhookEvent } from '../../db/webhook-endpoints.ts';
import { calendarDateIn } from '../../domain/dates.ts';
import { DomainError } from '../../domain/errors.ts';
import { isUuid } from '../../domain/ids.ts';
import { payoutTotals } from '../../domain/payouts.ts';
import type { Processor } from '../../processor/processor.ts';

export interface PayoutPaid {
  id: string;
  data: { payoutId: string; depositAccountId: string; settledOn: string; amountCents: number };
}

/**
 * Takes in a `payout.paid` event: the event says which payout was paid and for how much;
 * the lines come from the processor itself, and are kept only when they add up to what
 * the event says, into one of the firm's deposit accounts. The event and the payout are
 * written in one transaction, so a replay is a duplicate and a refused event is not
 * recorded (the processor's retry can still succeed). The processor is asked before the
 * transaction: it may share the database connection (the sandbox on PGlite).
 */
export async function recordPayout(
  db: Db,
  processor: Processor,
  firmId: string,
  event: PayoutPaid,
): Promise<{ duplicate: boolean; outcome: string; paymentId: null }> {
  const { payoutId } = event.data;
  const payout = await processor.payout(firmId, payoutId);
  if (!payout)
    throw new DomainError('unknown_payout', `the processor has no payout ${payoutId} for this firm`, { payoutId });
  const totals = payoutTotals(payout.lines);
  const mismatch =
    payout.depositAccountId !== event.data.depositAccountId
      ? 'deposit account'
      : payout.settledOn !== event.data.settledOn
        ? 'settled day'
        : payout.amountCents !== event.data.amountCents || totals.netCents !== payout.amountCents
          ? 'amount'
          : null;
  if (mismatch)
    throw new DomainError('payout_mismatch', `payout ${payoutId}: the event's ${mismatch} is not the processor's`, {
      payoutId,
    });
  return inTransaction(db, async (tx) => {
    const claimed = await claimProcessorEvent(tx, firmId, { id: event.id, type: 'payout.paid', processorId: payoutId });
    if (!claimed) return { duplicate: true, outcome: await readEventOutcome(tx, firmId, event.id), paymentId: null };
    const account = isUuid(payout.depositAccountId)
      ? await findDepositAccount(tx, firmId, payout.depositAccountId)
      : undefined;
    if (!account)
      throw new DomainError('payout_mismatch', `payout ${payoutId} names a deposit account this firm does not have`, {
        payoutId,
      });
    const made = await insertPayout(tx, firmId, {
      ...totals,
      processorPayoutId: payoutId,
      depositAccountId: payout.depositAccountId,
      account: account.kind,
      settledOn: payout.settledOn,
      paidAt: payout.paidAt,
      paidOn: calendarDateIn(payout.paidAt, await readTimeZone(tx, firmId)),
      paymentCount: new Set(payout.lines.filter((l) => l.kind === 'payment').map((l) => l.paymentId)).size,
      lines: payout.lines,
    });
    if (made)
      await queueWebhookEvent(tx, firmId, 'payout.paid', {
        payoutId: made,
        processorPayoutId: payoutId,
        depositAccountId: payout.depositAccountId,
        account: account.kind,
        settledOn: payout.settledOn,
        paidAt: payout.paidAt.toISOString(),
        ...totals,
      });
    const outcome = made ? 'payout_recorded' : 'payout_already_recorded';
    await recordEventOutcome(tx, firmId, event.id, outcome);
    if (made) await publish(tx, firmId, ['deposits.changed']);
    return { duplicate: false, outcome, paymentId: null };
  });
}
