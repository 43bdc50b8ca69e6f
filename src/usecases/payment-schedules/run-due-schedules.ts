import { calendarDateIn } from '../../domain/dates.ts';
import { nextRunDate } from '../../domain/schedule-dates.ts';
import type { Db } from '../../db/connect.ts';
import { firmTimeZones } from '../../db/firms.ts';
import {
  claimRun,
  findAbandonedRuns,
  findDueSchedules,
  finishRun,
  readSchedule,
  reclaimRun,
} from '../../db/schedules.ts';
import { inTransaction } from '../../db/transaction.ts';
import { writeAudit } from '../../db/audit.ts';
import { DomainError } from '../../domain/errors.ts';
import type { Processor } from '../../processor/processor.ts';
import type { Actor } from '../../domain/actor.ts';
import { takePayment } from '../payments/take-payment.ts';

/** How long a tick holds a run it claimed before another tick may finish it. */
const CLAIM_MS = 5 * 60_000;
const SCHEDULE_ACTOR: Actor = { kind: 'system', id: null, label: 'payment schedule' };

export interface RunOutcome {
  firmId: string;
  scheduleId: string;
  runOn: string;
  status: 'paid' | 'declined' | 'failed';
  paymentId: string | null;
  reason?: string;
}

/**
 * Charges every schedule whose next run date has come (on or before the calendar date of
 * `now` in its firm's time zone), each run exactly once however many ticks or server
 * instances run at the same time:
 *
 * 1. A run is claimed by moving the schedule's next_run_on forward with a compare-and-set
 *    (`… where next_run_on = <the date it was due>`): of concurrent ticks, one moves it,
 *    the others match no row. The claim also inserts the run's row, whose primary key
 *    (firm, schedule, date) can hold one run per date, ever.
 * 2. The charge's idempotency key is the schedule id and run date, so charging a run
 *    again (a tick that died after charging, finished by a later one) returns the first
 *    charge, and takePayment is idempotent on its processor id.
 *
 * A schedule several periods behind runs one period per tick until it has caught up.
 */
export async function runDueSchedules(
  db: Db,
  processor: Processor,
  now = new Date(),
  limit = 100,
): Promise<RunOutcome[]> {
  const outcomes: RunOutcome[] = [];
  const abandoned = await findAbandonedRuns(db, now, limit);
  for (const run of abandoned) {
    const reclaimed = await reclaimRun(db, run.firm_id, run, new Date(now.getTime() + CLAIM_MS));
    if (reclaimed) outcomes.push(await performRun(db, processor, run.firm_id, run.schedule_id, run.run_on, now));
  }

  // "Today" is a date in each firm's zone: one per zone the firms use, a handful in all.
  const zones = await firmTimeZones(db);
  const due = await findDueSchedules(
    db,
    zones,
    zones.map((zone) => calendarDateIn(now, zone)),
    limit,
  );
  for (const schedule of due) {
    const runOn = schedule.next_run_on;
    if (runOn === null) continue;
    const next = nextRunDate(runOn, schedule.frequency, schedule.anchor_day);
    const claimed = await inTransaction(db, (tx) =>
      claimRun(tx, schedule.firm_id, schedule.id, runOn, next, new Date(now.getTime() + CLAIM_MS)),
    );
    if (claimed) outcomes.push(await performRun(db, processor, schedule.firm_id, schedule.id, runOn, now));
  }
  return outcomes;
}

async function performRun(
  db: Db,
  processor: Processor,
  firmId: string,
  scheduleId: string,
  runOn: string,
  now: Date,
): Promise<RunOutcome> {
  const schedule = await readSchedule(db, firmId, scheduleId);
  const base = { firmId, scheduleId, runOn };
  let charge;
  try {
    charge = await processor.charge({
      firmId,
      token: schedule.processor_token,
      amountCents: schedule.amount_cents,
      idempotencyKey: `schedule:${scheduleId}:${runOn}`,
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
    await inTransaction(db, async (tx) => {
      await finishRun(tx, firmId, scheduleId, runOn, {
        status: 'declined',
        decline_reason: reason,
        processor_id: charge.processorId,
        finished_at: now,
      });
      await writeAudit(tx, firmId, SCHEDULE_ACTOR, [
        { action: 'schedule_run_declined', detail: { scheduleId, runOn, reason } },
      ]);
    });
    return { ...base, status: 'declined', paymentId: null, reason };
  }
  const approved = charge;
  const paymentId = await inTransaction(db, async (tx) => {
    const taken = await takePayment(tx, firmId, SCHEDULE_ACTOR, {
      processorId: approved.processorId,
      origin: 'payment_schedule',
      amountCents: schedule.amount_cents,
      method: approved.method,
      cardBrand: approved.method === 'card' ? approved.brand : undefined,
      last4: approved.last4,
      account: schedule.account,
      depositAccountId: schedule.deposit_account_id,
      payerName: schedule.payer_name,
      payerEmail: schedule.payer_email ?? undefined,
      clientNumber: schedule.client_number ?? undefined,
      matterNumber: schedule.matter_number ?? undefined,
      processedAt: approved.processedAt.toISOString(),
    });
    await finishRun(tx, firmId, scheduleId, runOn, {
      status: 'paid',
      processor_id: approved.processorId,
      payment_id: taken.payment.id,
      finished_at: now,
    });
    await writeAudit(tx, firmId, SCHEDULE_ACTOR, [
      { action: 'schedule_run_paid', detail: { scheduleId, runOn, paymentId: taken.payment.id } },
    ]);
    return taken.payment.id;
  });
  return { ...base, status: 'paid', paymentId };
}
