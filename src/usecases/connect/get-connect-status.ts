import type { z } from 'zod';
import type { agentStatusOut, connectStatusOut } from '../../contract/connect.ts';
import { readContacts } from '../../db/agent-contacts.ts';
import { readDeliveryTimes, readWaiting } from '../../db/batches.ts';
import type { Db } from '../../db/connect.ts';
import { connectWarning, DELIVERY_SAMPLES, deliveryTimes } from '../../domain/connect-status.ts';

/** Connect status (SPEC §5.2): what each of the firm's agents last did, what waits, and whether to warn. */
export async function getConnectStatus(
  db: Db,
  firmId: string,
  now = new Date(),
): Promise<z.output<typeof connectStatusOut>> {
  const contacts = await readContacts(db, firmId);
  const waiting = await readWaiting(db, firmId);
  const delivered = await readDeliveryTimes(db, firmId, DELIVERY_SAMPLES);

  const oldest = waiting.oldest;
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
          received: {
            clients: c.sync_received_clients ?? 0,
            matters: c.sync_received_matters ?? 0,
            invoices: c.sync_received_invoices ?? 0,
          },
          changed: {
            clients: c.sync_changed_clients ?? 0,
            matters: c.sync_changed_matters ?? 0,
            invoices: c.sync_changed_invoices ?? 0,
            closed: c.sync_closed_invoices ?? 0,
          },
        }
      : null,
    lastDelivery:
      c.last_delivery_at && c.last_delivery_seq !== null && c.last_delivery_file !== null
        ? { at: c.last_delivery_at.toISOString(), seq: c.last_delivery_seq, fileName: c.last_delivery_file }
        : null,
  }));
  return {
    agents,
    waitingBatches: waiting.batches,
    oldestWaitingSince: oldest?.toISOString() ?? null,
    warning: connectWarning(
      { batches: waiting.batches, oldestSince: oldest },
      contacts.map((c) => ({ lastSeenAt: c.last_seen_at, pollSeconds: c.poll_seconds })),
      now,
    ),
    deliverySeconds: deliveryTimes(delivered),
  };
}
