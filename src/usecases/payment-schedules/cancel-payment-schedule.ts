import type { Db } from '../../db/connect.ts';
import { loadScheduleViews, lockScheduleStatus, markScheduleCancelled, type ScheduleView } from '../../db/schedules.ts';
import { inTransaction } from '../../db/transaction.ts';
import { writeAudit } from '../../db/audit.ts';
import { notFound, invalidState } from '../../domain/errors.ts';
import { isUuid } from '../../domain/ids.ts';
import { formatUsd } from '../../domain/money.ts';
import type { Actor } from '../../domain/actor.ts';

/**
 * Stops a schedule: no run after this, and no retry of a declined one (it is missed). A
 * run already claimed by the scheduler finishes.
 */
export async function cancelPaymentSchedule(
  db: Db,
  firmId: string,
  actor: Actor,
  id: string,
  now = new Date(),
): Promise<ScheduleView> {
  if (!isUuid(id)) throw notFound('payment schedule', id);
  return inTransaction(db, async (tx) => {
    const row = await lockScheduleStatus(tx, firmId, id);
    if (!row) throw notFound('payment schedule', id);
    if (row.status !== 'active') {
      const [view] = await loadScheduleViews(tx, firmId, [id]);
      const named = view ? `${view.payerName}'s schedule of ${formatUsd(view.amountCents)}` : 'this payment schedule';
      throw invalidState(`${named} is already ${row.status}: there is nothing left to cancel`, { id });
    }
    const retriesDropped = await markScheduleCancelled(tx, firmId, id, now);
    await writeAudit(tx, firmId, actor, [
      {
        action: 'payment_schedule_cancelled',
        from: 'active',
        to: 'cancelled',
        detail: { scheduleId: id, ...(retriesDropped.length > 0 && { retriesDropped }) },
      },
    ]);
    const [view] = await loadScheduleViews(tx, firmId, [id]);
    if (!view) throw notFound('payment schedule', id);
    return view;
  });
}
