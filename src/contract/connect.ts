import { z } from 'zod';
import { DELIVERY_SAMPLES } from '../domain/connect-status.ts';
import { AGENT_SINKS, AGENT_SOURCES } from '../domain/types.ts';
import { endpoint } from './endpoint.ts';

/** Connect status (SPEC §5.2): what each agent last did, what waits, and the usual delivery time. */

export const agentStatusOut = z.object({
  label: z.string().describe("the agent token's label"),
  lastSeenAt: z
    .string()
    .nullable()
    .describe('the last request made with the token (recorded at most every 5 s); null: never used'),
  version: z.string().nullable(),
  host: z.string().nullable(),
  source: z.enum(AGENT_SOURCES).nullable(),
  sink: z.enum(AGENT_SINKS).nullable(),
  pollSeconds: z.number().nullable(),
  lastSync: z
    .object({
      at: z.string(),
      received: z
        .object({ clients: z.number(), matters: z.number(), invoices: z.number() })
        .describe('rows the sync sent (all pages of one sync added up)'),
      changed: z
        .object({ clients: z.number(), matters: z.number(), invoices: z.number(), closed: z.number() })
        .describe('what they changed in paybridge'),
    })
    .nullable(),
  lastDelivery: z
    .object({ at: z.string(), seq: z.number(), fileName: z.string() })
    .nullable()
    .describe('the last batch the agent acknowledged'),
});

export const connectStatusOut = z.object({
  agents: z.array(agentStatusOut).describe("the firm's agent tokens that are not revoked, the latest contact first"),
  waitingBatches: z.number().describe('batches made and not yet delivered'),
  oldestWaitingSince: z.string().nullable(),
  warning: z
    .string()
    .nullable()
    .describe(
      'a sentence when batches wait and no agent has been in contact for 3 × its poll interval (at least 3 minutes), or, with no agent ever, when a batch has waited 3 minutes',
    ),
  deliverySeconds: z
    .object({ median: z.number().nullable(), p95: z.number().nullable(), samples: z.number() })
    .describe(
      `created → delivered, over the firm's last ${DELIVERY_SAMPLES} delivered batches (nearest rank; null without any)`,
    ),
});

export const getConnect = endpoint({
  method: 'GET',
  path: '/connect/status',
  access: 'user',
  summary: 'Connect status (SPEC §5.2): what each agent last did, what waits, and the usual delivery time',
  response: connectStatusOut,
});
