import type { Db } from '../../db/connect.ts';
import { readPreference, writePreference, type NotificationMode } from '../../db/mail-queue.ts';

/** The signed-in user's choice of staff event mail: none (the default), each event, or a daily digest. */
export async function getNotificationPreference(db: Db, firmId: string, userId: string) {
  return { mode: await readPreference(db, firmId, userId) };
}

export async function setNotificationPreference(
  db: Db,
  firmId: string,
  userId: string,
  mode: NotificationMode,
  now = new Date(),
) {
  await writePreference(db, firmId, userId, mode, now);
  return { mode };
}
