import type { Db } from './connect.ts';

/**
 * Records a processor event as being taken in; false when the firm already has it (a
 * replay). Call it in the transaction that makes the event's effect.
 */
export async function claimProcessorEvent(
  db: Db,
  firmId: string,
  event: { id: string; type: string; processorId: string },
): Promise<boolean> {
  const claimed = await db
    .insertInto('processor_events')
    .values({
      firm_id: firmId,
      event_id: event.id,
      type: event.type,
      processor_id: event.processorId,
      outcome: 'processing',
    })
    .onConflict((oc) => oc.columns(['firm_id', 'event_id']).doNothing())
    .returning('event_id')
    .executeTakeFirst();
  return claimed !== undefined;
}

/** What taking in the event the first time came to. */
export async function readEventOutcome(db: Db, firmId: string, eventId: string): Promise<string> {
  const row = await db
    .selectFrom('processor_events')
    .select('outcome')
    .where('firm_id', '=', firmId)
    .where('event_id', '=', eventId)
    .executeTakeFirstOrThrow();
  return row.outcome;
}

export async function recordEventOutcome(db: Db, firmId: string, eventId: string, outcome: string): Promise<void> {
  await db
    .updateTable('processor_events')
    .set({ outcome })
    .where('firm_id', '=', firmId)
    .where('event_id', '=', eventId)
    .execute();
}
