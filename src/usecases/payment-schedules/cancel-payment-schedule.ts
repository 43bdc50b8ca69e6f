import type { Db } from '../../db/connect.ts';
import { inTransaction } from '../../db/transaction.ts';
import { writeAudit } from '../../db/audit.ts';
import { notFound, invalidState } from '../../domain/errors.ts';
import { isUuid } from '../../domain/ids.ts';
import type { Actor } from '../../domain/actor.ts';
import { loadScheduleViews, type ScheduleView } from './schedule-view.ts';

/** Stops a schedule: no run after this. A run already claimed by the scheduler finishes. */
export async function cancelPaymentSchedule(db: Db, firmId: string, actor: Actor, id: string, now = new Date()): Promise<ScheduleView> {
  if (!isUuid(id)) throw notFound('payment schedule', id);
  return inTransaction(db, async (tx) => {
    const row = await tx.selectFrom('payment_schedules').select('status').where('firm_id', '=', firmId).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!row) throw notFound('payment schedule', id);
    if (row.status !== 'active') throw invalidState(`payment schedule ${id} is already cancelled`, { id });
    await tx.updateTable('payment_schedules').set({ status: 'cancelled', next_run_on: null, cancelled_at: now }).where('firm_id', '=', firmId).where('id', '=', id).execute();
    await writeAudit(tx, firmId, actor, [{ action: 'payment_schedule_cancelled', from: 'active', to: 'cancelled', detail: { scheduleId: id } }]);
    const [view] = await loadScheduleViews(tx, firmId, [id]);
    if (!view) throw notFound('payment schedule', id);
    return view;
  });
}
