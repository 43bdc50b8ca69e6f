import { processorEvent } from '../contract/webhooks.ts';
import type { Db } from '../db/connect.ts';
import { addDays, calendarDateIn, dayStartIn } from '../domain/dates.ts';
import { deliverSandboxEvents } from '../processor/sandbox/deliver-events.ts';
import { SandboxProcessor } from '../processor/sandbox/sandbox-processor.ts';
import { settleSandboxPayouts } from '../processor/sandbox/settle-payouts.ts';
import { DEMO_FIRM } from '../usecases/demo/seed-demo.ts';
import { DEMO_TIME_ZONE } from '../usecases/demo/demo-data.ts';
import { takeProcessorEvent } from '../usecases/processor-events/take-processor-event.ts';

/** How many days back the demo's payouts start: before its first payment. */
const DEMO_DAYS_PAID = 21;

/**
 * The demo's past payouts: the sandbox settles each day before `today` at 6 am the next
 * morning, Chicago time, as it would have, and its payout.paid events are taken in as the
 * webhook takes them. So Deposits has a fortnight of payouts to reconcile on a fresh start:
 * one with a chargeback, and lines of payments still incomplete or never posted.
 */
export async function payOutDemoDays(db: Db, today: Date): Promise<void> {
  const last = calendarDateIn(today, DEMO_TIME_ZONE);
  for (let day = addDays(last, -DEMO_DAYS_PAID); day < last; day = addDays(day, 1)) {
    const morning = new Date(dayStartIn(addDays(day, 1), DEMO_TIME_ZONE).getTime() + 6 * 3600_000);
    if (morning <= today) await settleSandboxPayouts(db, morning);
  }
  const processor = new SandboxProcessor(db);
  const firm = await db.selectFrom('firms').select('id').where('code', '=', DEMO_FIRM.code).executeTakeFirstOrThrow();
  await deliverSandboxEvents(
    db,
    async ({ body }) => {
      await takeProcessorEvent(db, firm.id, processorEvent.parse(JSON.parse(body)), processor);
      return { statusCode: 200, body: '' };
    },
    today,
    1000,
  );
}
