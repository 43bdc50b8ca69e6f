import type { Db } from '../../db/connect.ts';

export interface ScheduleRunView {
  runOn: string;
  status: 'claimed' | 'paid' | 'declined';
  paymentId: string | null;
  declineReason: string | null;
}

export interface ScheduleView {
  id: string;
  amountCents: number;
  account: string;
  description: string;
  payerName: string;
  payerEmail: string | null;
  clientNumber: string | null;
  matterNumber: string | null;
  method: string;
  cardBrand: string | null;
  last4: string | null;
  interval: 'weekly' | 'monthly';
  nextRunOn: string | null;
  status: 'active' | 'cancelled';
  createdBy: string;
  createdAt: string;
  cancelledAt: string | null;
  runs: ScheduleRunView[];
}

/** The firm's schedules with their runs, newest first; never the stored processor token. */
export async function loadScheduleViews(db: Db, firmId: string, ids?: string[]): Promise<ScheduleView[]> {
  let q = db
    .selectFrom('payment_schedules')
    .select([
      'id', 'amount_cents', 'account', 'description', 'payer_name', 'payer_email', 'client_number', 'matter_number', 'method', 'card_brand', 'last4',
      'frequency', 'next_run_on', 'status', 'created_by', 'created_at', 'cancelled_at',
    ])
    .where('firm_id', '=', firmId);
  if (ids) {
    if (ids.length === 0) return [];
    q = q.where('id', 'in', ids);
  }
  const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(500).execute();
  const runs = rows.length === 0
    ? []
    : await db
        .selectFrom('schedule_runs')
        .select(['schedule_id', 'run_on', 'status', 'payment_id', 'decline_reason'])
        .where('firm_id', '=', firmId)
        .where('schedule_id', 'in', rows.map((r) => r.id))
        .orderBy('run_on', 'desc')
        .execute();
  return rows.map((r) => ({
    id: r.id,
    amountCents: r.amount_cents,
    account: r.account,
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
      .map((run) => ({ runOn: run.run_on, status: run.status, paymentId: run.payment_id, declineReason: run.decline_reason })),
  }));
}
