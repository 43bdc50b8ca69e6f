import type { Db } from '../../db/connect.ts';
import { loadScheduleViews, type ScheduleView } from '../../db/schedules.ts';

export async function listPaymentSchedules(db: Db, firmId: string): Promise<{ items: ScheduleView[] }> {
  return { items: await loadScheduleViews(db, firmId) };
}
