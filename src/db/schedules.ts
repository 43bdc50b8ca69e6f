import { sql, type Insertable, type Updateable } from 'kysely';
import type { z } from 'zod';
import type { scheduleOut } from '../contract/schedules.ts';
import { cents, type Cents } from '../domain/money.ts';
import {
  scheduleEndOf,
  type CompletedReason,
  type ScheduleInvoice,
  type ScheduleProgress,
} from '../domain/schedule-ends.ts';
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
      'end_after_count',
      'ends_on',
      'invoice_number',
      'status',
      'completed_reason',
      'completed_at',
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
          .select([
            'schedule_id',
            'run_on',
            'status',
            'amount_cents',
            'attempt',
            'payment_id',
            'decline_reason',
            'failed_on',
            'retry_on',
          ])
          .where('firm_id', '=', firmId)
          .where(
            'schedule_id',
            'in',
            rows.map((r) => r.id),
          )
          .orderBy('run_on', 'desc')
          .execute();
  return rows.map((r) => {
    const own = runs
      .filter((run) => run.schedule_id === r.id)
      .map((run) => ({
        runOn: run.run_on,
        status: run.status,
        amountCents: cents(run.amount_cents, 'run amount'),
        attempts: run.attempt,
        paymentId: run.payment_id,
        declineReason: run.decline_reason,
        failedOn: run.failed_on,
        // The retry's date: to come while declined, made once attempts is 2.
        retryOn: run.retry_on,
      }));
    let lastFailure: { on: string; reason: string } | null = null;
    let retryOn: string | null = null;
    for (const run of own) {
      if (run.failedOn !== null && (lastFailure === null || run.failedOn > lastFailure.on))
        lastFailure = { on: run.failedOn, reason: run.declineReason ?? 'declined' };
      if (run.status === 'declined' && run.retryOn !== null && (retryOn === null || run.retryOn < retryOn))
        retryOn = run.retryOn;
    }
    return {
      id: r.id,
      amountCents: cents(r.amount_cents, 'schedule amount'),
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
      endAfterCount: r.end_after_count,
      endsOn: r.ends_on,
      untilInvoicePaid: r.invoice_number !== null,
      invoiceNumber: r.invoice_number,
      paymentsMade: own.filter((run) => run.status === 'paid').length,
      status: r.status,
      completedReason: r.completed_reason,
      completedAt: r.completed_at?.toISOString() ?? null,
      lastFailure,
      retryOn,
      createdBy: r.created_by,
      createdAt: r.created_at.toISOString(),
      cancelledAt: r.cancelled_at?.toISOString() ?? null,
      runs: own,
    };
  });
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

/**
 * Occurrences declined once and waiting for their retry become missed: the schedule
 * stopped (cancelled, or it reached its end), so no retry follows. Their dates.
 */
async function closeAwaitingRetries(db: Db, firmId: string, scheduleId: string): Promise<string[]> {
  const rows = await db
    .updateTable('schedule_runs')
    .set({ status: 'missed' })
    .where('firm_id', '=', firmId)
    .where('schedule_id', '=', scheduleId)
    .where('status', '=', 'declined')
    .returning('run_on')
    .execute();
  return rows.map((r) => r.run_on);
}

/** Stops the schedule; the dates of retries that will no longer be made. */
export async function markScheduleCancelled(db: Db, firmId: string, id: string, now: Date): Promise<string[]> {
  await db
    .updateTable('payment_schedules')
    .set({ status: 'cancelled', next_run_on: null, cancelled_at: now })
    .where('firm_id', '=', firmId)
    .where('id', '=', id)
    .execute();
  return closeAwaitingRetries(db, firmId, id);
}

/** The schedule reached its end; the dates of retries that will no longer be made. */
export async function markScheduleCompleted(
  db: Db,
  firmId: string,
  id: string,
  reason: CompletedReason,
  now: Date,
): Promise<string[]> {
  await db
    .updateTable('payment_schedules')
    .set({ status: 'completed', next_run_on: null, completed_reason: reason, completed_at: now })
    .where('firm_id', '=', firmId)
    .where('id', '=', id)
    .where('status', '=', 'active')
    .execute();
  return closeAwaitingRetries(db, firmId, id);
}

/**
 * The whole schedule, processor token included (only a run reads it), locked until the
 * transaction ends: every change to a schedule's runs takes this lock first, so runs are
 * counted and the invoice's balance read with no other attempt of the schedule moving.
 */
export async function lockSchedule(db: Db, firmId: string, id: string) {
  return readSchedule(db, firmId, id, true);
}

/** The whole schedule as lockSchedule, unlocked: what an attempt charges reads it outside a transaction. */
export async function readSchedule(db: Db, firmId: string, id: string, lock = false) {
  const q = db.selectFrom('payment_schedules').selectAll().where('firm_id', '=', firmId).where('id', '=', id);
  const row = await (lock ? q.forUpdate() : q).executeTakeFirstOrThrow();
  return { ...row, amount_cents: cents(row.amount_cents, 'schedule amount'), end: scheduleEndOf(row) };
}

export type LockedSchedule = Awaited<ReturnType<typeof readSchedule>>;

/** How far the schedule has come (see ScheduleProgress); with an invoice end, the invoice's state. */
export async function readScheduleProgress(
  db: Db,
  firmId: string,
  schedule: LockedSchedule,
): Promise<ScheduleProgress> {
  const counts = await db
    .selectFrom('schedule_runs')
    .select(['status', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('firm_id', '=', firmId)
    .where('schedule_id', '=', schedule.id)
    .groupBy('status')
    .execute();
  const count = (status: string) => Number(counts.find((c) => c.status === status)?.n ?? 0);
  return {
    nextRunOn: schedule.next_run_on,
    paidCount: count('paid'),
    charging: count('claimed'),
    awaitingRetry: count('declined'),
    invoice: schedule.invoice_number === null ? null : await readScheduleInvoice(db, firmId, schedule),
  };
}

/** A synced invoice a schedule pays: its state, owner, and mirror version (updated_at). */
export async function readScheduleInvoiceRow(db: Db, firmId: string, invoiceNumber: string) {
  const row = await db
    .selectFrom('invoices')
    .select(['status', 'balance_cents', 'updated_at', 'client_number', 'matter_number'])
    .where('firm_id', '=', firmId)
    .where('invoice_number', '=', invoiceNumber)
    .executeTakeFirst();
  return row && { ...row, balance_cents: cents(row.balance_cents, 'invoice balance') };
}

/** The invoice's synced state, and what this schedule charged since the sync last changed it. */
async function readScheduleInvoice(db: Db, firmId: string, schedule: LockedSchedule): Promise<ScheduleInvoice | null> {
  const invoice = await readScheduleInvoiceRow(db, firmId, schedule.invoice_number!);
  if (!invoice) return null;
  const unreflected = await db
    .selectFrom('schedule_runs')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number | string>('amount_cents'), sql<number>`0`).as('total'))
    .where('firm_id', '=', firmId)
    .where('schedule_id', '=', schedule.id)
    .where('status', '=', 'paid')
    .where('invoice_seen_at', '=', invoice.updated_at)
    .executeTakeFirstOrThrow();
  return {
    status: invoice.status,
    balanceCents: invoice.balance_cents,
    unreflectedCents: cents(Number(unreflected.total), 'charged amount'),
  };
}

/** The invoice's mirror version (its updated_at) that an attempt charges against. */
export async function invoiceSeenAt(db: Db, firmId: string, invoiceNumber: string | null): Promise<Date | null> {
  if (invoiceNumber === null) return null;
  return (await readScheduleInvoiceRow(db, firmId, invoiceNumber))?.updated_at ?? null;
}

/** The attempt a tick holds at an occurrence: what it charges and which attempt it is. */
export async function readRun(db: Db, firmId: string, scheduleId: string, runOn: string) {
  const row = await db
    .selectFrom('schedule_runs')
    .select(['attempt', 'amount_cents', 'status'])
    .where('firm_id', '=', firmId)
    .where('schedule_id', '=', scheduleId)
    .where('run_on', '=', runOn)
    .executeTakeFirstOrThrow();
  return { ...row, amount_cents: cents(row.amount_cents, 'run amount') };
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

/** The latest of the zones' "todays": it bounds the range an index on a date column can read. */
function latestOf(todays: string[]): string {
  return todays.reduce((a, b) => (a > b ? a : b), '');
}

/** `where <date column> <= today in the firm's zone`, with one "today" per zone the firms use. */
function onOrBeforeToday(column: string, zones: string[], todays: string[]) {
  return sql<boolean>`${sql.ref(column)} <= (select z.today from unnest(${zones}::text[], ${todays}::date[]) as z(time_zone, today) where z.time_zone = f.time_zone)`;
}

/**
 * Active schedules of every firm due on or before "today" in their firm's zone, given as
 * one date per zone (`todays[i]` is today in `zones[i]`). Across firms, as above.
 */
export async function findDueSchedules(db: Db, zones: string[], todays: string[], limit: number) {
  const latest = latestOf(todays);
  if (!latest) return [];
  return db
    .selectFrom('payment_schedules as s')
    .innerJoin('firms as f', 'f.id', 's.firm_id')
    .select(['s.firm_id', 's.id', 's.next_run_on', 's.frequency', 's.anchor_day'])
    .where('s.status', '=', 'active')
    .where('s.next_run_on', '<=', latest)
    .where(onOrBeforeToday('s.next_run_on', zones, todays))
    .orderBy('s.next_run_on')
    .orderBy('s.id')
    .limit(limit)
    .execute();
}

/** Declined occurrences of every firm whose retry day has come in their firm's zone. Across firms, as above. */
export async function findDueRetries(db: Db, zones: string[], todays: string[], limit: number) {
  const latest = latestOf(todays);
  if (!latest) return [];
  return db
    .selectFrom('schedule_runs as r')
    .innerJoin('firms as f', 'f.id', 'r.firm_id')
    .select(['r.firm_id', 'r.schedule_id', 'r.run_on', 'r.retry_on'])
    .where('r.status', '=', 'declined')
    .where('r.retry_on', '<=', latest)
    .where(onOrBeforeToday('r.retry_on', zones, todays))
    .orderBy('r.retry_on')
    .orderBy('r.schedule_id')
    .limit(limit)
    .execute();
}

/**
 * Active schedules of every firm that end with their invoice, where the sync has that
 * invoice paid, void or at a zero balance: they end without waiting for a run date.
 */
export async function findSchedulesWithClosedInvoice(db: Db, limit: number) {
  return db
    .selectFrom('payment_schedules as s')
    .innerJoin('invoices as i', (j) =>
      j.onRef('i.firm_id', '=', 's.firm_id').onRef('i.invoice_number', '=', 's.invoice_number'),
    )
    .select(['s.firm_id', 's.id'])
    .where('s.status', '=', 'active')
    .where((eb) => eb.or([eb('i.status', '<>', 'open'), eb('i.balance_cents', '<=', 0)]))
    .limit(limit)
    .execute();
}

/**
 * Claims the occurrence due on `runOn`: moves the schedule's next_run_on on with a
 * compare-and-set and inserts the run's row, whose key holds one run per date, ever.
 * False when another tick claimed it. Call it in a transaction.
 */
export async function claimRun(
  db: Db,
  firmId: string,
  scheduleId: string,
  run: { runOn: string; nextRunOn: string; amountCents: Cents; invoiceSeenAt: Date | null },
  until: Date,
): Promise<boolean> {
  const moved = await db
    .updateTable('payment_schedules')
    .set({ next_run_on: run.nextRunOn })
    .where('firm_id', '=', firmId)
    .where('id', '=', scheduleId)
    .where('status', '=', 'active')
    .where('next_run_on', '=', run.runOn)
    .returning('id')
    .executeTakeFirst();
  if (!moved) return false;
  const inserted = await db
    .insertInto('schedule_runs')
    .values({
      firm_id: firmId,
      schedule_id: scheduleId,
      run_on: run.runOn,
      status: 'claimed',
      claimed_until: until,
      amount_cents: run.amountCents,
      invoice_seen_at: run.invoiceSeenAt,
    })
    .onConflict((oc) => oc.columns(['firm_id', 'schedule_id', 'run_on']).doNothing())
    .returning('run_on')
    .executeTakeFirst();
  return inserted !== undefined;
}

/**
 * Claims the retry of a declined occurrence with a compare-and-set on its status and
 * attempt: of concurrent ticks one gets it, and an occurrence is retried once, ever.
 */
export async function claimRetry(
  db: Db,
  firmId: string,
  scheduleId: string,
  runOn: string,
  retry: { amountCents: Cents; invoiceSeenAt: Date | null },
  until: Date,
): Promise<boolean> {
  const claimed = await db
    .updateTable('schedule_runs')
    .set({
      status: 'claimed',
      attempt: 2,
      claimed_until: until,
      amount_cents: retry.amountCents,
      invoice_seen_at: retry.invoiceSeenAt,
    })
    .where('firm_id', '=', firmId)
    .where('schedule_id', '=', scheduleId)
    .where('run_on', '=', runOn)
    .where('status', '=', 'declined')
    .where('attempt', '=', 1)
    .returning('run_on')
    .executeTakeFirst();
  return claimed !== undefined;
}

/** Records how a claimed attempt ended; false when it was not claimed (another tick finished it). */
export async function finishRun(
  db: Db,
  firmId: string,
  scheduleId: string,
  runOn: string,
  outcome: Pick<
    Updateable<ScheduleRunsTable>,
    'status' | 'decline_reason' | 'processor_id' | 'payment_id' | 'finished_at' | 'failed_on' | 'retry_on'
  >,
): Promise<boolean> {
  const finished = await db
    .updateTable('schedule_runs')
    .set(outcome)
    .where('firm_id', '=', firmId)
    .where('schedule_id', '=', scheduleId)
    .where('run_on', '=', runOn)
    .where('status', '=', 'claimed')
    .returning('run_on')
    .executeTakeFirst();
  return finished !== undefined;
}
