import { addDays, calendarDateIn } from '../../domain/dates.ts';
import { endReached, type CompletedReason } from '../../domain/schedule-ends.ts';
import type { Db } from '../../db/connect.ts';
import { readTimeZone } from '../../db/firms.ts';
import {
  finishRun,
  lockSchedule,
  markScheduleCompleted,
  readRun,
  readSchedule,
  readScheduleProgress,
  type LockedSchedule,
} from '../../db/schedules.ts';
import { inTransaction } from '../../db/transaction.ts';
import { queueWebhookEvent } from '../../db/webhook-endpoints.ts';
import { writeAudit } from '../../db/audit.ts';
import { DomainError } from '../../domain/errors.ts';
import type { Processor } from '../../processor/processor.ts';
import type { Actor } from '../../domain/actor.ts';
import { takePayment } from '../payments/take-payment.ts';
import { recordStaffEvent } from '../../db/mail-queue.ts';

export const SCHEDULE_ACTOR: Actor = { kind: 'system', id: null, label: 'payment schedule' };

/** What a tick did to one schedule: an attempt at an occurrence, or the schedule's end. */
export interface RunOutcome {
  firmId: string;
  scheduleId: string;
  /** The occurrence attempted; null when the tick only ended the schedule. */
  runOn: string | null;
  status: 'paid' | 'declined' | 'missed' | 'failed' | 'completed';
  /** 1, or 2 for the retry of a declined occurrence. */
  attempt?: number;
  paymentId: string | null;
  reason?: string;
  /** The schedule reached its end with this attempt (or without one). */
  completed?: CompletedReason;
}

/**
 * The processor's idempotency key of an attempt: the same attempt always gets the same
 * charge back (a tick that died after charging is finished by a later one without a
 * second charge), and an occurrence has at most two attempts, the second only after the
 * first was declined. The first attempt's key is the one runs had before retries.
 */
function attemptKey(scheduleId: string, runOn: string, attempt: number): string {
  return attempt === 1 ? `schedule:${scheduleId}:${runOn}` : `schedule:${scheduleId}:${runOn}:retry`;
}

/**
 * Makes the attempt a tick claimed at the occurrence `runOn`, for the amount the claim
 * fixed, and records how it went: paid (a payment of origin payment_schedule); declined
 * on a first attempt (retried the day after in the firm's time zone); missed on the
 * retry (the schedule goes on with its next date), or when the schedule was cancelled or
 * ended while the attempt was under way (no retry follows). A paid or missed attempt may end the
 * schedule. An error that is not the processor's answer leaves the attempt claimed, for
 * a later tick to finish once the claim lapses.
 */
export async function attemptRun(
  db: Db,
  processor: Processor,
  firmId: string,
  scheduleId: string,
  runOn: string,
  now: Date,
): Promise<RunOutcome> {
  const schedule = await readSchedule(db, firmId, scheduleId);
  const run = await readRun(db, firmId, scheduleId, runOn);
  const base = { firmId, scheduleId, runOn, attempt: run.attempt };
  let charge;
  try {
    charge = await processor.charge({
      firmId,
      token: schedule.processor_token,
      amountCents: run.amount_cents,
      idempotencyKey: attemptKey(scheduleId, runOn, run.attempt),
      now,
    });
  } catch (error) {
    // A refusal (an unknown token) will not change by trying again; anything else might.
    if (!(error instanceof DomainError))
      return {
        ...base,
        status: 'failed',
        paymentId: null,
        reason: error instanceof Error ? error.message : String(error),
      };
    charge = { status: 'declined' as const, declineReason: error.message, processorId: null };
  }
  if (charge.status === 'declined') {
    const reason = charge.declineReason ?? 'declined';
    const failedOn = calendarDateIn(now, await readTimeZone(db, firmId));
    let missed = run.attempt >= 2;
    let retryOn = missed ? undefined : addDays(failedOn, 1);
    const completed = await inTransaction(db, async (tx) => {
      const locked = await lockSchedule(tx, firmId, scheduleId);
      // Cancelled (or ended) while this attempt was under way: no retry follows, so the
      // occurrence is missed now rather than declined with a retry date never kept.
      if (locked.status !== 'active') {
        missed = true;
        retryOn = undefined;
      }
      const finished = await finishRun(tx, firmId, scheduleId, runOn, {
        status: missed ? 'missed' : 'declined',
        decline_reason: reason,
        processor_id: charge.processorId,
        finished_at: now,
        failed_on: failedOn,
        ...(retryOn ? { retry_on: retryOn } : {}),
      });
      if (!finished) return undefined;
      await writeAudit(tx, firmId, SCHEDULE_ACTOR, [
        missed
          ? { action: 'schedule_run_missed', detail: { scheduleId, runOn, reason } }
          : { action: 'schedule_run_declined', detail: { scheduleId, runOn, reason, retryOn } },
      ]);
      await recordStaffEvent(tx, firmId, {
        kind: 'schedule_failed',
        key: `${scheduleId}:${runOn}:${run.attempt}`,
        detail: {
          scheduleId,
          runOn,
          attempt: run.attempt,
          status: missed ? 'missed' : 'declined',
          reason,
          payerName: schedule.payer_name,
          amountCents: run.amount_cents,
          retryOn: retryOn ?? null,
        },
        at: now,
      });
      await queueWebhookEvent(
        tx,
        firmId,
        'schedule.charge_failed',
        {
          scheduleId,
          runOn,
          attempt: run.attempt,
          amountCents: run.amount_cents,
          reason,
          retryOn: retryOn ?? null,
          missed,
        },
        now,
      );
      return completeIfEnded(tx, firmId, locked, now);
    });
    return {
      ...base,
      status: missed ? 'missed' : 'declined',
      paymentId: null,
      reason,
      ...(completed && { completed }),
    };
  }
  const approved = charge;
  const { paymentId, completed } = await inTransaction(db, async (tx) => {
    const locked = await lockSchedule(tx, firmId, scheduleId);
    const taken = await takePayment(tx, firmId, SCHEDULE_ACTOR, {
      processorId: approved.processorId,
      origin: 'payment_schedule',
      amountCents: run.amount_cents,
      method: approved.method,
      cardBrand: approved.method === 'card' ? approved.brand : undefined,
      last4: approved.last4,
      account: schedule.account,
      depositAccountId: schedule.deposit_account_id,
      payerName: schedule.payer_name,
      payerEmail: schedule.payer_email ?? undefined,
      invoiceNumbers: schedule.invoice_number === null ? undefined : [schedule.invoice_number],
      clientNumber: schedule.client_number ?? undefined,
      matterNumber: schedule.matter_number ?? undefined,
      processedAt: approved.processedAt.toISOString(),
    });
    const finished = await finishRun(tx, firmId, scheduleId, runOn, {
      status: 'paid',
      processor_id: approved.processorId,
      payment_id: taken.payment.id,
      finished_at: now,
    });
    if (!finished) return { paymentId: taken.payment.id, completed: undefined };
    await writeAudit(tx, firmId, SCHEDULE_ACTOR, [
      {
        action: 'schedule_run_paid',
        detail: { scheduleId, runOn, attempt: run.attempt, amountCents: run.amount_cents, paymentId: taken.payment.id },
      },
    ]);
    return { paymentId: taken.payment.id, completed: await completeIfEnded(tx, firmId, locked, now) };
  });
  return { ...base, status: 'paid', paymentId, ...(completed && { completed }) };
}

/**
 * Ends an active schedule that has reached its end (domain endReached): status completed
 * with the reason, no next date, a retry still waiting dropped. Call it holding the
 * schedule's lock (lockSchedule) in the transaction that changed its runs.
 */
export async function completeIfEnded(
  tx: Db,
  firmId: string,
  schedule: LockedSchedule,
  now: Date,
): Promise<CompletedReason | undefined> {
  if (schedule.status !== 'active') return undefined;
  const reason = endReached(schedule.end, await readScheduleProgress(tx, firmId, schedule));
  if (!reason) return undefined;
  await completeSchedule(tx, firmId, schedule.id, reason, now);
  return reason;
}

/** Marks the schedule completed for `reason`, with its audit event. */
export async function completeSchedule(
  tx: Db,
  firmId: string,
  scheduleId: string,
  reason: CompletedReason,
  now: Date,
): Promise<void> {
  const retriesDropped = await markScheduleCompleted(tx, firmId, scheduleId, reason, now);
  await writeAudit(tx, firmId, SCHEDULE_ACTOR, [
    {
      action: 'payment_schedule_completed',
      from: 'active',
      to: 'completed',
      detail: { scheduleId, reason, ...(retriesDropped.length > 0 && { retriesDropped }) },
    },
  ]);
}
