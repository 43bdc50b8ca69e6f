import type { z } from 'zod';
import type { webhookEndpointOut } from '../../contract/webhook-endpoints.ts';
import type { Db } from '../../db/connect.ts';
import { listEndpoints } from '../../db/webhook-endpoints.ts';
import type { WebhookEventKind } from '../../domain/outbound-webhooks.ts';
import { notFound } from '../../domain/errors.ts';
import { randomBytes } from 'node:crypto';

export type EndpointView = z.output<typeof webhookEndpointOut>;

/** A signing secret for an endpoint: shown once, kept as is (an HMAC needs the key). */
export const newEndpointSecret = (): string => `whsec_${randomBytes(32).toString('base64url')}`;

type Row = Awaited<ReturnType<typeof listEndpoints>>[number];

export function toEndpointView(row: Row): EndpointView {
  return {
    id: row.id,
    label: row.label,
    url: row.url,
    kinds: row.kinds as WebhookEventKind[],
    enabled: row.enabled,
    createdAt: row.created_at.toISOString(),
    waiting: row.waiting ?? 0,
    gaveUp: row.gave_up ?? 0,
  };
}

/** One endpoint of the firm as the API shows it; a foreign id is not found, like a missing one. */
export async function loadEndpointView(db: Db, firmId: string, id: string): Promise<EndpointView> {
  const [row] = await listEndpoints(db, firmId, id);
  if (!row) throw notFound('webhook endpoint', id);
  return toEndpointView(row);
}
