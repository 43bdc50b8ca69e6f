import type { Db } from './connect.ts';

/** The firm's IANA time zone: every calendar date derived for the firm is a date there (SPEC §2). */
export async function readTimeZone(db: Db, firmId: string): Promise<string> {
  const firm = await db.selectFrom('firms').select('time_zone').where('id', '=', firmId).executeTakeFirstOrThrow();
  return firm.time_zone;
}

/** The distinct time zones of all firms, a handful in all: the scheduler's "today"s. Across firms: it serves them all. */
export async function firmTimeZones(db: Db): Promise<string[]> {
  return (await db.selectFrom('firms').select('time_zone').distinct().execute()).map((f) => f.time_zone);
}
