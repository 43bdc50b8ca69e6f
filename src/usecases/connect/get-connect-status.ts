import { sql } from 'kysely';
import type { z } from 'zod';
import type { agentStatusOut, connectStatusOut } from '../../contract/connect.ts';
import { readContacts } from '../../db/agent-contacts.ts';
import type { Db } from '../../db/connect.ts';
import { connectWarning, DELIVERY_SAMPLES, deliveryTimes } from '../../domain/connect-status.ts';

/** Connect status (SPEC §5.2): what each of the firm's agents last did, what waits, and whether to warn. */
export async function getConnectStatus(db: Db, firmId: string, now = new Date()): Promise<z.output<typeof connectStatusOut>> {
  const contacts = await readContacts(db, firmId);
  const waiting = await db
    .selectFrom('batches')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('created_at').as('oldest')])
    .where('firm_id', '=', firmId)
    .where('status', '=', 'queued')
    .executeTakeFirstOrThrow();
  // The latest deliveries by seq, which is the order they are delivered in (N+1 waits for N).
  const delivered = await db
    .selectFrom('batches')
    .select(sql<number>`(extract(epoch from (delivered_at - created_at)) * 1000)::int8`.as('ms'))
    .where('firm_id', '=', firmId)
    .where('status', '=', 'delivered')
    .where('delivered_at', 'is not', null)
    .orderBy('seq', 'desc')
    .limit(DELIVERY_SAMPLES)
    .execute();

  const oldest = waiting.oldest === null ? null : new Date(waiting.oldest);
  const agents = contacts.map((c): z.output<typeof agentStatusOut> => ({
    label: c.label,
    lastSeenAt: c.last_seen_at?.toISOString() ?? null,
    version: c.version,
    host: c.host,
    source: c.source,
    sink: c.sink,
    pollSeconds: c.poll_seconds,
    lastSync: c.last_sync_at
      ? {
        at: c.last_sync_at.toISOString(),
        received: { clients: c.sync_received_clients ?? 0, matters: c.sync_received_matters ?? 0, invoices: c.sync_received_invoices ?? 0 },
        changed: { clients: c.sync_changed_clients ?? 0, matters: c.sync_changed_matters ?? 0, invoices: c.sync_changed_invoices ?? 0, closed: c.sync_closed_invoices ?? 0 },
      }
      : null,
    lastDelivery: c.last_delivery_at && c.last_delivery_seq !== null && c.last_delivery_file !== null
      ? { at: c.last_delivery_at.toISOString(), seq: c.last_delivery_seq, fileName: c.last_delivery_file }
      : null,
  }));
  return {
    agents,
    waitingBatches: Number(waiting.n),
    oldestWaitingSince: oldest?.toISOString() ?? null,
    warning: connectWarning(
      { batches: Number(waiting.n), oldestSince: oldest },
      contacts.map((c) => ({ lastSeenAt: c.last_seen_at, pollSeconds: c.poll_seconds })),
      now,
    ),
    deliverySeconds: deliveryTimes(delivered.map((d) => d.ms)),
  };
}
