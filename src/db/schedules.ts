import { sql, type Insertable } from 'kysely';
import type { z } from 'zod';
import type { scheduleOut } from '../contract/schedules.ts';
import { cents } from '../domain/money.ts';
import type { Db } from './connect.ts';
import type { PaymentSchedulesTable, ScheduleRunsTable } from './schema.ts';

/** A payment schedule as the API shows it: never the stored processor token. */
export type ScheduleView = z.infer<typeof scheduleOut>;

/** The firm's schedules with their runs, newest first (`ids`: only these). */
export async function loadScheduleViews(db: Db, firmId: string, ids?: string[]): Promise<ScheduleView[]> {
  let q = db
    .selectFrom('payment_schedules')
    .select([
      'id',
      'amount_cents',
      'account',
      'deposit_account_id',
      'description',
      'payer_name',
      'payer_email',
      'client_number',
      'matter_number',
      'method',
      'card_brand',
      'last4',
      'frequency',
      'next_run_on',
      'status',
      'created_by',
      'created_at',
      'cancelled_at',
    ])
    .where('firm_id', '=', firmId);
  if (ids) {
    if (ids.length === 0) return [];
    q = q.where('id', 'in', ids);
  }
  const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(500).execute();
  const runs =
    rows.length === 0
      ? []
      : await db
          .selectFrom('schedule_runs')
          .select(['schedule_id', 'run_on', 'status', 'payment_id', 'decline_reason'])
          .where('firm_id', '=', firmId)
          .where(
            'schedule_id',
            'in',
            rows.map((r) => r.id),
          )
          .orderBy('run_on', 'desc')
          .execute();
  return rows.map((r) => ({
    id: r.id,
    amountCents: r.amount_cents,
    account: r.account,
    depositAccountId: r.deposit_account_id,
    description: r.description,
    payerName: r.payer_name,
    payerEmail: r.payer_email,
    clientNumber: r.client_number,
    matterNumber: r.matter_number,
    method: r.method,
    cardBrand: r.card_brand,
    last4: r.last4,
    interval: r.frequency,
    nextRunOn: r.next_run_on,
    status: r.status,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    cancelledAt: r.cancelled_at?.toISOString() ?? null,
    runs: runs
      .filter((run) => run.schedule_id === r.id)
      .map((run) => ({
        runOn: run.run_on,
        status: run.status,
        paymentId: run.payment_id,
        declineReason: run.decline_reason,
      })),
  }));
}

export async function insertSchedule(
  db: Db,
  firmId: string,
  schedule: Omit<Insertable<PaymentSchedulesTable>, 'firm_id'>,
): Promise<string> {
  const row = await db
    .insertInto('payment_schedules')
    .values({ ...schedule, firm_id: firmId })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The schedule's status, locked until the transaction ends. */
export async function lockScheduleStatus(db: Db, firmId: string, id: string) {
  return db
    .selectFrom('payment_schedules')
    .select('status')
    .where('firm_id', '=', firmId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function markScheduleCancelled(db: Db, firmId: string, id: string, now: Date): Promise<void> {
  await db
    .updateTable('payment_schedules')
    .set({ status: 'cancelled', next_run_on: null, cancelled_at: now })
    .where('firm_id', '=', firmId)
    .where('id', '=', id)
    .execute();
}

/** The whole schedule, processor token included: only a run reads it. Its amount is Cents. */
export async function readSchedule(db: Db, firmId: string, id: string) {
  const row = await db
    .selectFrom('payment_schedules')
    .selectAll()
    .where('firm_id', '=', firmId)
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return { ...row, amount_cents: cents(row.amount_cents, 'schedule amount') };
}

/**
 * Runs of every firm claimed by a tick that has not finished them by `now`. Across firms:
 * the scheduler serves them all, and each run found carries its firm for what follows.
 */
export async function findAbandonedRuns(db: Db, now: Date, limit: number) {
  return db
    .selectFrom('schedule_runs')
    .select(['firm_id', 'schedule_id', 'run_on', 'claimed_until'])
    .where('status', '=', 'claimed')
    .where('claimed_until', '<=', now)
    .limit(limit)
    .execute();
}

/** Takes over an abandoned run with a compare-and-set on its claim; false when another tick got there first. */
export async function reclaimRun(
  db: Db,
  firmId: string,
  run: { schedule_id: string; run_on: string; claimed_until: Date | null },
  until: Date,
): Promise<boolean> {
  const reclaimed = await db
    .updateTable('schedule_runs')
    .set({ claimed_until: until })
    .where('firm_id', '=', firmId)
    .where('schedule_id', '=', run.schedule_id)
    .where('run_on', '=', run.run_on)
    .where('status', '=', 'claimed')
    .where('claimed_until', '=', run.claimed_until)
    .returning('run_on')
    .executeTakeFirst();
  return reclaimed !== undefined;
}

/**
 * Active schedules of every firm due on or before "today" in their firm's zone, given as
 * one date per zone (`todays[i]` is today in `zones[i]`). Across firms, as above.
 */
export async function findDueSchedules(db: Db, zones: string[], todays: string[], limit: number) {
  const latest = todays.reduce((a, b) => (a > b ? a : b), '');
  if (!latest) return [];
  return (
    db
      .selectFrom('payment_schedules as s')
      .innerJoin('firms as f', 'f.id', 's.firm_id')
      .select(['s.firm_id', 's.id', 's.next_run_on', 's.frequency', 's.anchor_day'])
      .where('s.status', '=', 'active')
      // The latest "today" of any zone bounds the range an index on next_run_on can read.
      .where('s.next_run_on', '<=', latest)
      .where(
        sql<boolean>`s.next_run_on <= (select z.today from unnest(${zones}::text[], ${todays}::date[]) as z(time_zone, today) where z.time_zone = f.time_zone)`,
      )
      .orderBy('s.next_run_on')
      .orderBy('s.id')
      .limit(limit)
      .execute()
  );
}

/**
 * Claims the run due on `runOn`: moves the schedule's next_run_on on with a compare-and-set
 * and inserts the run's row, whose key holds one run per date, ever. False when another
 * tick claimed it. Call it in a transaction.
 */
export async function claimRun(
  db: Db,
  firmId: string,
  scheduleId: string,
  runOn: string,
  nextRunOn: string,
  until: Date,
): Promise<boolean> {
  const moved = await db
    .updateTable('payment_schedules')
    .set({ next_run_on: nextRunOn })
    .where('firm_id', '=', firmId)
    .where('id', '=', scheduleId)
    .where('status', '=', 'active')
    .where('next_run_on', '=', runOn)
    .returning('id')
    .executeTakeFirst();
  if (!moved) return false;
  const run = await db
    .insertInto('schedule_runs')
    .values({ firm_id: firmId, schedule_id: scheduleId, run_on: runOn, status: 'claimed', claimed_until: until })
    .onConflict((oc) => oc.columns(['firm_id', 'schedule_id', 'run_on']).doNothing())
    .returning('run_on')
    .executeTakeFirst();
  return run !== undefined;
}

/** Records how a claimed run ended. */
export async function finishRun(
  db: Db,
  firmId: string,
  scheduleId: string,
  runOn: string,
  outcome: Pick<
    Insertable<ScheduleRunsTable>,
    'status' | 'decline_reason' | 'processor_id' | 'payment_id' | 'finished_at'
  >,
): Promise<void> {
  await db
    .updateTable('schedule_runs')
    .set(outcome)
    .where('firm_id', '=', firmId)
    .where('schedule_id', '=', scheduleId)
    .where('run_on', '=', runOn)
    .where('status', '=', 'claimed')
    .execute();
}
