import { sql } from 'kysely';
import { calendarDateIn } from '../../domain/dates.ts';
import { nextRunDate } from '../../domain/schedule-dates.ts';
import type { Db } from '../../db/connect.ts';
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
export async function runDueSchedules(db: Db, processor: Processor, now = new Date(), limit = 100): Promise<RunOutcome[]> {
  const outcomes: RunOutcome[] = [];
  const abandoned = await db
    .selectFrom('schedule_runs')
    .select(['firm_id', 'schedule_id', 'run_on', 'claimed_until'])
    .where('status', '=', 'claimed')
    .where('claimed_until', '<=', now)
    .limit(limit)
    .execute();
  for (const run of abandoned) {
    const reclaimed = await db
      .updateTable('schedule_runs')
      .set({ claimed_until: new Date(now.getTime() + CLAIM_MS) })
      .where('firm_id', '=', run.firm_id)
      .where('schedule_id', '=', run.schedule_id)
      .where('run_on', '=', run.run_on)
      .where('status', '=', 'claimed')
      .where('claimed_until', '=', run.claimed_until)
      .returning('run_on')
      .executeTakeFirst();
    if (reclaimed) outcomes.push(await performRun(db, processor, run.firm_id, run.schedule_id, run.run_on, now));
  }

  // "Today" is a date in each firm's zone: one per zone the firms use, a handful in all.
  const zones = (await db.selectFrom('firms').select('time_zone').distinct().execute()).map((f) => f.time_zone);
  const todays = zones.map((zone) => calendarDateIn(now, zone));
  const latest = todays.reduce((a, b) => (a > b ? a : b), '');
  const due = !latest ? [] : await db
    .selectFrom('payment_schedules as s')
    .innerJoin('firms as f', 'f.id', 's.firm_id')
    .select(['s.firm_id', 's.id', 's.next_run_on', 's.frequency', 's.anchor_day'])
    .where('s.status', '=', 'active')
    // The latest "today" of any zone bounds the range an index on next_run_on can read.
    .where('s.next_run_on', '<=', latest)
    .where(sql<boolean>`s.next_run_on <= (select z.today from unnest(${zones}::text[], ${todays}::date[]) as z(time_zone, today) where z.time_zone = f.time_zone)`)
    .orderBy('s.next_run_on')
    .orderBy('s.id')
    .limit(limit)
    .execute();
  for (const schedule of due) {
    const runOn = schedule.next_run_on;
    if (runOn === null) continue;
    const claimed = await inTransaction(db, async (tx) => {
      const moved = await tx
        .updateTable('payment_schedules')
        .set({ next_run_on: nextRunDate(runOn, schedule.frequency, schedule.anchor_day) })
        .where('firm_id', '=', schedule.firm_id)
        .where('id', '=', schedule.id)
        .where('status', '=', 'active')
        .where('next_run_on', '=', runOn)
        .returning('id')
        .executeTakeFirst();
      if (!moved) return false;
      const run = await tx
        .insertInto('schedule_runs')
        .values({ firm_id: schedule.firm_id, schedule_id: schedule.id, run_on: runOn, status: 'claimed', claimed_until: new Date(now.getTime() + CLAIM_MS) })
        .onConflict((oc) => oc.columns(['firm_id', 'schedule_id', 'run_on']).doNothing())
        .returning('run_on')
        .executeTakeFirst();
      return run !== undefined;
    });
    if (claimed) outcomes.push(await performRun(db, processor, schedule.firm_id, schedule.id, runOn, now));
  }
  return outcomes;
}

async function performRun(db: Db, processor: Processor, firmId: string, scheduleId: string, runOn: string, now: Date): Promise<RunOutcome> {
  const schedule = await db.selectFrom('payment_schedules').selectAll().where('firm_id', '=', firmId).where('id', '=', scheduleId).executeTakeFirstOrThrow();
  const base = { firmId, scheduleId, runOn };
  let charge;
  try {
    charge = await processor.charge({ firmId, token: schedule.processor_token, amountCents: schedule.amount_cents, idempotencyKey: `schedule:${scheduleId}:${runOn}`, now });
  } catch (error) {
    // A refusal (an unknown token) will not change by trying again; anything else might.
    if (!(error instanceof DomainError)) return { ...base, status: 'failed', paymentId: null, reason: error instanceof Error ? error.message : String(error) };
    charge = { status: 'declined' as const, declineReason: error.message, processorId: null };
  }
  const where = (tx: Db) =>
    tx.updateTable('schedule_runs').where('firm_id', '=', firmId).where('schedule_id', '=', scheduleId).where('run_on', '=', runOn).where('status', '=', 'claimed');
  if (charge.status === 'declined') {
    const reason = charge.declineReason ?? 'declined';
    await inTransaction(db, async (tx) => {
      await where(tx).set({ status: 'declined', decline_reason: reason, processor_id: charge.processorId, finished_at: now }).execute();
      await writeAudit(tx, firmId, SCHEDULE_ACTOR, [{ action: 'schedule_run_declined', detail: { scheduleId, runOn, reason } }]);
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
      payerName: schedule.payer_name,
      payerEmail: schedule.payer_email ?? undefined,
      clientNumber: schedule.client_number ?? undefined,
      matterNumber: schedule.matter_number ?? undefined,
      processedAt: approved.processedAt.toISOString(),
    });
    await where(tx).set({ status: 'paid', processor_id: approved.processorId, payment_id: taken.payment.id, finished_at: now }).execute();
    await writeAudit(tx, firmId, SCHEDULE_ACTOR, [{ action: 'schedule_run_paid', detail: { scheduleId, runOn, paymentId: taken.payment.id } }]);
    return taken.payment.id;
  });
  return { ...base, status: 'paid', paymentId };
}
