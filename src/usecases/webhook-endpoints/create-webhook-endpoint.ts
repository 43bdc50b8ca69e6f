import type { z } from 'zod';
import type { createWebhookEndpointBody, webhookEndpointWithSecret } from '../../contract/webhook-endpoints.ts';
import { writeAudit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import { inTransaction } from '../../db/transaction.ts';
import { insertEndpoint } from '../../db/webhook-endpoints.ts';
import type { Actor } from '../../domain/actor.ts';
import { loadEndpointView, newEndpointSecret } from './endpoint-view.ts';

/** An admin's new endpoint; its signing secret is in this answer and nowhere else it can be read. */
export async function createWebhookEndpoint(
  db: Db,
  firmId: string,
  actor: Actor,
  input: z.output<typeof createWebhookEndpointBody>,
): Promise<z.output<typeof webhookEndpointWithSecret>> {
  const secret = newEndpointSecret();
  return inTransaction(db, async (tx) => {
    const made = await insertEndpoint(tx, firmId, {
      label: input.label.trim(),
      url: input.url,
      kinds: input.kinds,
      enabled: input.enabled ?? true,
      secret,
    });
    await writeAudit(tx, firmId, actor, [
      {
        action: 'webhook_endpoint_created',
        detail: { endpointId: made.id, label: made.label, url: made.url, kinds: made.kinds },
      },
    ]);
    return { ...(await loadEndpointView(tx, firmId, made.id)), secret };
  });
}
