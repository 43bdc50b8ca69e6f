import { z } from 'zod';
import { endpointUrlProblem, TEST_EVENT_KIND, WEBHOOK_EVENT_KINDS } from '../domain/outbound-webhooks.ts';
import { ACCOUNTS, METHODS, ORIGINS } from '../domain/types.ts';
import { endpoint } from './endpoint.ts';
import { idParam, requiredText, text } from './fields.ts';
import { SIGNATURE_HEADER } from './webhooks.ts';

/**
 * Outbound webhooks (issue 15): endpoints of the firm's own systems that paybridge tells
 * what happened, each POST signed like the processor's webhook paybridge receives:
 * `Paybridge-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`.
 */

export const webhookEventKind = z.enum(WEBHOOK_EVENT_KINDS);

const endpointUrl = text(2000).superRefine((value, ctx) => {
  const problem = endpointUrlProblem(value);
  if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
});
const kinds = z
  .array(webhookEventKind)
  .min(1)
  .max(WEBHOOK_EVENT_KINDS.length)
  .refine((list) => new Set(list).size === list.length, { error: 'must not name a kind twice' })
  .describe('the kinds of event the endpoint wants');

export const webhookEndpointOut = z.object({
  id: z.string(),
  label: z.string(),
  url: z.string(),
  kinds: z.array(webhookEventKind),
  enabled: z.boolean(),
  createdAt: z.string(),
  /** Deliveries waiting to be sent (or retried), and given up. */
  waiting: z.number().int(),
  gaveUp: z.number().int(),
});

export const createWebhookEndpointBody = z
  .object({ label: requiredText(100), url: endpointUrl, kinds, enabled: z.boolean().optional() })
  .strict();
export const updateWebhookEndpointBody = z
  .object({
    label: requiredText(100).optional(),
    url: endpointUrl.optional(),
    kinds: kinds.optional(),
    enabled: z.boolean().optional(),
  })
  .strict();

/** An endpoint with its signing secret: only in the answers that made or rotated it. */
export const webhookEndpointWithSecret = webhookEndpointOut.extend({ secret: z.string() });

export const getWebhookEndpoints = endpoint({
  method: 'GET',
  path: '/webhook-endpoints',
  access: 'admin',
  summary: "The firm's outbound webhook endpoints, never their secrets",
  description: `Event kinds: ${WEBHOOK_EVENT_KINDS.join(', ')}. Each delivery is a POST of {id, type, created, data}, signed in ${SIGNATURE_HEADER}.`,
  response: z.object({ items: z.array(webhookEndpointOut), kinds: z.array(webhookEventKind) }),
});

export const postWebhookEndpoint = endpoint({
  method: 'POST',
  path: '/webhook-endpoints',
  access: 'admin',
  summary: 'Add an endpoint; its signing secret is in this answer only',
  body: createWebhookEndpointBody,
  status: 201,
  response: webhookEndpointWithSecret,
});

export const patchWebhookEndpoint = endpoint({
  method: 'PATCH',
  path: '/webhook-endpoints/:id',
  access: 'admin',
  summary: "Change an endpoint's label, URL, event kinds or whether it is on",
  params: idParam,
  body: updateWebhookEndpointBody,
  response: webhookEndpointOut,
});

export const deleteWebhookEndpoint = endpoint({
  method: 'DELETE',
  path: '/webhook-endpoints/:id',
  access: 'admin',
  summary: 'Delete an endpoint with its waiting deliveries and its log',
  params: idParam,
  status: 204,
  response: z.null(),
});

export const postWebhookEndpointSecret = endpoint({
  method: 'POST',
  path: '/webhook-endpoints/:id/secret',
  access: 'admin',
  summary: 'Rotate the signing secret; the new one is in this answer only and signs every delivery from now on',
  params: idParam,
  response: webhookEndpointWithSecret,
});

export const postWebhookEndpointTest = endpoint({
  method: 'POST',
  path: '/webhook-endpoints/:id/test',
  access: 'admin',
  summary: `Queue a ${TEST_EVENT_KIND} event for this endpoint alone; the scheduler sends it`,
  params: idParam,
  status: 201,
  response: z.object({ deliveryId: z.string(), eventId: z.string() }),
});

export const webhookAttemptOut = z.object({
  deliveryId: z.string(),
  eventId: z.string(),
  kind: z.string(),
  attempt: z.number().int(),
  at: z.string(),
  statusCode: z.number().int().nullable(),
  error: z.string().nullable(),
  durationMs: z.number().int(),
  /** The delivery's state now: delivered, waiting for its next attempt, or given up. */
  deliveryStatus: z.enum(['delivered', 'waiting', 'gave_up']),
  nextAttemptAt: z.string().nullable(),
});

export const getWebhookEndpointDeliveries = endpoint({
  method: 'GET',
  path: '/webhook-endpoints/:id/deliveries',
  access: 'admin',
  summary: "The endpoint's delivery log, newest attempt first (the last 200)",
  params: idParam,
  response: z.object({ items: z.array(webhookAttemptOut) }),
});

/** The data of a payment.taken event, as the database builds it (migration 0021). */
export const paymentTakenData = z.object({
  paymentId: z.string(),
  processorId: z.string(),
  origin: z.enum(ORIGINS),
  amountCents: z.number().int(),
  surchargeCents: z.number().int(),
  method: z.enum(METHODS),
  account: z.enum(ACCOUNTS),
  payerName: z.string(),
  invoiceNumbers: z.array(z.string()),
  clientNumber: z.string().nullable(),
  matterNumber: z.string().nullable(),
  processedAt: z.string(),
});

/** Every delivery's body. */
export const outboundEvent = z.object({
  id: z.string(),
  type: z.string(),
  created: z.number().int(),
  data: z.record(z.string(), z.unknown()),
});
