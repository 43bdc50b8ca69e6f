import type { z } from 'zod';
import type { updateWebhookEndpointBody, webhookEndpointWithSecret } from '../../contract/webhook-endpoints.ts';
import { writeAudit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import { inTransaction } from '../../db/transaction.ts';
import { deleteEndpoint, lockEndpoint, updateEndpoint } from '../../db/webhook-endpoints.ts';
import type { Actor } from '../../domain/actor.ts';
import { notFound } from '../../domain/errors.ts';
import { isUuid } from '../../domain/ids.ts';
import { loadEndpointView, newEndpointSecret, type EndpointView } from './endpoint-view.ts';

async function locked(tx: Db, firmId: string, id: string) {
  const row = isUuid(id) ? await lockEndpoint(tx, firmId, id) : undefined;
  if (!row) throw notFound('webhook endpoint', id);
  return row;
}

/** Changes an endpoint's label, URL, kinds or switch; deliveries already queued keep going to it. */
export async function updateWebhookEndpoint(
  db: Db,
  firmId: string,
  actor: Actor,
  id: string,
  input: z.output<typeof updateWebhookEndpointBody>,
): Promise<EndpointView> {
  return inTransaction(db, async (tx) => {
    const before = await locked(tx, firmId, id);
    const fields = {
      ...(input.label !== undefined && { label: input.label.trim() }),
      ...(input.url !== undefined && { url: input.url }),
      ...(input.kinds !== undefined && { kinds: input.kinds }),
      ...(input.enabled !== undefined && { enabled: input.enabled }),
    };
    const after = await updateEndpoint(tx, firmId, before.id, fields);
    await writeAudit(tx, firmId, actor, [
      {
        action: 'webhook_endpoint_updated',
        detail: {
          endpointId: before.id,
          before: { label: before.label, url: before.url, kinds: before.kinds, enabled: before.enabled },
          after: { label: after.label, url: after.url, kinds: after.kinds, enabled: after.enabled },
        },
      },
    ]);
    return loadEndpointView(tx, firmId, before.id);
  });
}

/** Deletes an endpoint with its waiting deliveries and its log. */
export async function deleteWebhookEndpoint(db: Db, firmId: string, actor: Actor, id: string): Promise<void> {
  await inTransaction(db, async (tx) => {
    const row = await locked(tx, firmId, id);
    await deleteEndpoint(tx, firmId, row.id);
    await writeAudit(tx, firmId, actor, [
      { action: 'webhook_endpoint_deleted', detail: { endpointId: row.id, label: row.label, url: row.url } },
    ]);
  });
}

/**
 * A new signing secret, shown in this answer only; every delivery from now on, retries of
 * earlier events included, is signed with it (each is signed when it is sent).
 */
export async function rotateWebhookEndpointSecret(
  db: Db,
  firmId: string,
  actor: Actor,
  id: string,
): Promise<z.output<typeof webhookEndpointWithSecret>> {
  const secret = newEndpointSecret();
  return inTransaction(db, async (tx) => {
    const row = await locked(tx, firmId, id);
    await updateEndpoint(tx, firmId, row.id, { secret });
    await writeAudit(tx, firmId, actor, [
      { action: 'webhook_endpoint_secret_rotated', detail: { endpointId: row.id } },
    ]);
    return { ...(await loadEndpointView(tx, firmId, row.id)), secret };
  });
}
