import { calendarDateIn } from '../../domain/dates.ts';
import type { Cents } from '../../domain/money.ts';
import { decideAttempt, type CompletedReason } from '../../domain/schedule-ends.ts';
import { nextRunDate } from '../../domain/schedule-dates.ts';
import type { Db } from '../../db/connect.ts';
import { firmTimeZones } from '../../db/firms.ts';
import {
  claimRetry,
  claimRun,
  findAbandonedRuns,
  findDueRetries,
  findDueSchedules,
  findSchedulesWithClosedInvoice,
  invoiceSeenAt,
  lockSchedule,
  readRun,
  readScheduleProgress,
  reclaimRun,
  type LockedSchedule,
} from '../../db/schedules.ts';
import { inTransaction } from '../../db/transaction.ts';
import { writeAudit } from '../../db/audit.ts';
import type { Processor } from '../../processor/processor.ts';
import {
  attemptRun,
  completeIfEnded,
  completeSchedule,
  SCHEDULE_ACTOR,
  type RunOutcome,
} from './attempt-schedule-run.ts';

export type { RunOutcome } from './attempt-schedule-run.ts';

/** How long a tick holds a run it claimed before another tick may finish it. */
const CLAIM_MS = 5 * 60_000;

/**
 * Charges every schedule whose next run date has come (on or before the calendar date of
 * `now` in its firm's time zone), and retries each occurrence declined the day before,
 * each attempt exactly once however many ticks or server instances run at the same time:
 *
 * 1. An occurrence is claimed by moving the schedule's next_run_on forward with a
 *    compare-and-set (`… where next_run_on = <the date it was due>`): of concurrent ticks,
 *    one moves it, the others match no row. The claim also inserts the run's row, whose
 *    primary key (firm, schedule, date) can hold one run per date, ever. A retry is
 *    claimed by a compare-and-set on that row (`… where status = 'declined' and attempt = 1`),
 *    so an occurrence has two attempts at most.
 * 2. The charge's idempotency key is the schedule id, run date and attempt, so charging an
 *    attempt again (a tick that died after charging, finished by a later one) returns the
 *    first charge, and takePayment is idempotent on its processor id.
 *
 * Every claim decides under the schedule's row lock whether the schedule has ended (its
 * count, its end date, its invoice paid) and how much to charge (domain decideAttempt).
 * A schedule several periods behind runs one period per tick until it has caught up.
 */
export async function runDueSchedules(
  db: Db,
  processor: Processor,
  now = new Date(),
  limit = 100,
): Promise<RunOutcome[]> {
  const outcomes: RunOutcome[] = [];
  const until = new Date(now.getTime() + CLAIM_MS);
  const abandoned = await findAbandonedRuns(db, now, limit);
  for (const run of abandoned) {
    const reclaimed = await reclaimRun(db, run.firm_id, run, until);
    if (reclaimed) outcomes.push(await attemptRun(db, processor, run.firm_id, run.schedule_id, run.run_on, now));
  }

  // "Today" is a date in each firm's zone: one per zone the firms use, a handful in all.
  const zones = await firmTimeZones(db);
  const todays = zones.map((zone) => calendarDateIn(now, zone));
  for (const retry of await findDueRetries(db, zones, todays, limit)) {
    const { firm_id: firmId, schedule_id: scheduleId, run_on: runOn } = retry;
    const claim = await claimAttempt(db, firmId, scheduleId, now, {
      retry: true,
      amountDue: async (tx) => {
        const run = await readRun(tx, firmId, scheduleId, runOn);
        return run.status === 'declined' ? run.amount_cents : null;
      },
      claim: async (tx, amountCents, seen) => {
        if (!(await claimRetry(tx, firmId, scheduleId, runOn, { amountCents, invoiceSeenAt: seen }, until)))
          return false;
        await writeAudit(tx, firmId, SCHEDULE_ACTOR, [
          {
            action: 'schedule_run_retried',
            from: 'declined',
            to: 'claimed',
            detail: { scheduleId, runOn, amountCents },
          },
        ]);
        return true;
      },
    });
    if (claim === 'claimed') outcomes.push(await attemptRun(db, processor, firmId, scheduleId, runOn, now));
    else if (claim) outcomes.push(claim);
  }

  for (const due of await findDueSchedules(db, zones, todays, limit)) {
    const { firm_id: firmId, id: scheduleId, next_run_on: runOn } = due;
    if (runOn === null) continue;
    const claim = await claimAttempt(db, firmId, scheduleId, now, {
      retry: false,
      amountDue: async (_tx, schedule) => (schedule.next_run_on === runOn ? schedule.amount_cents : null),
      claim: (tx, amountCents, seen) =>
        claimRun(
          tx,
          firmId,
          scheduleId,
          { runOn, nextRunOn: nextRunDate(runOn, due.frequency, due.anchor_day), amountCents, invoiceSeenAt: seen },
          until,
        ),
    });
    if (claim === 'claimed') outcomes.push(await attemptRun(db, processor, firmId, scheduleId, runOn, now));
    else if (claim) outcomes.push(claim);
  }

  // A schedule that ends with its invoice ends as soon as a sync has the invoice paid, not on its next date.
  for (const closed of await findSchedulesWithClosedInvoice(db, limit)) {
    const completed = await inTransaction(db, async (tx) =>
      completeIfEnded(tx, closed.firm_id, await lockSchedule(tx, closed.firm_id, closed.id), now),
    );
    if (completed) outcomes.push(completedOutcome(closed.firm_id, closed.id, completed));
  }
  return outcomes;
}

/** A claimed attempt, the schedule's end, or nothing to do. */
type Claim = 'claimed' | RunOutcome | null;

/** The outcome of a tick that ended a schedule without an attempt. */
function completedOutcome(firmId: string, scheduleId: string, completed: CompletedReason): RunOutcome {
  return { firmId, scheduleId, runOn: null, status: 'completed', paymentId: null, completed };
}

/**
 * Decides an attempt under the schedule's row lock: ends the schedule if it has ended,
 * waits while another of its attempts is under way, or claims the attempt for the amount
 * decideAttempt says. `amountDue` is the attempt's full amount, or null when there is
 * nothing to claim any more (another tick got there first).
 */
async function claimAttempt(
  db: Db,
  firmId: string,
  scheduleId: string,
  now: Date,
  attempt: {
    retry: boolean;
    amountDue: (tx: Db, schedule: LockedSchedule) => Promise<Cents | null>;
    claim: (tx: Db, amountCents: Cents, invoiceSeenAt: Date | null) => Promise<boolean>;
  },
): Promise<Claim> {
  return inTransaction(db, async (tx) => {
    const schedule = await lockSchedule(tx, firmId, scheduleId);
    const amountDue = schedule.status === 'active' ? await attempt.amountDue(tx, schedule) : null;
    if (amountDue === null) return null;
    const progress = await readScheduleProgress(tx, firmId, schedule);
    const decision = decideAttempt(schedule.end, amountDue, progress, attempt.retry);
    if (decision.kind === 'end') {
      await completeSchedule(tx, firmId, scheduleId, decision.reason, now);
      return completedOutcome(firmId, scheduleId, decision.reason);
    }
    if (decision.kind === 'wait') return null;
    const seen = await invoiceSeenAt(tx, firmId, schedule.invoice_number);
    return (await attempt.claim(tx, decision.amountCents, seen)) ? 'claimed' : null;
  });
}
