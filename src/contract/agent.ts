import { z } from 'zod';
import type { MmsAnswer } from '../domain/mms-answer.ts';
import type { Assert, Same } from './same.ts';
import { INVOICE_STATUSES } from '../domain/types.ts';
import { batchOut } from './batches.ts';
import { endpoint } from './endpoint.ts';
import { withFastPath } from './fast-path.ts';
import { parseSyncBodyFast } from './sync-fast.ts';
import { agentHeadersDoc, idParam, isoDate, memoText, requiredText, syncedCents, text } from './fields.ts';

/**
 * The agent protocol (SPEC §5, §9): what the on-premises agent sends and what the server
 * answers. The server's routes and the agent's client both take their types from here.
 */

/** Rows of each kind in one sync call. */
export const MAX_SYNC_ROWS = 50_000;
/** A full resync names every invoice the MMS lists as open, however many pages it took. */
const MAX_LISTED_INVOICES = 2_000_000;
/** The longest an agent's long-poll is held: under the 60 s at which many proxies give up on a quiet request. */
export const MAX_WAIT_SECONDS = 55;

export const syncedClient = z.object({ clientNumber: requiredText(64), name: requiredText(200) }).strict();
export const syncedMatter = z
  .object({ clientNumber: requiredText(64), matterNumber: requiredText(64), description: text(500).default('') })
  .strict();
export const syncedInvoice = z
  .object({
    invoiceNumber: requiredText(64),
    clientNumber: requiredText(64),
    matterNumber: requiredText(64),
    invoiceDate: isoDate,
    totalCents: syncedCents,
    balanceCents: syncedCents,
    status: z.enum(INVOICE_STATUSES),
  })
  .strict();

const syncBodySchema = z
  .object({
    clients: z.array(syncedClient).max(MAX_SYNC_ROWS).default([]),
    matters: z.array(syncedMatter).max(MAX_SYNC_ROWS).default([]),
    invoices: z.array(syncedInvoice).max(MAX_SYNC_ROWS).default([]),
    full: z.boolean().default(false),
    earlierInvoiceNumbers: z
      .array(requiredText(64))
      .max(MAX_LISTED_INVOICES)
      .optional()
      .describe(
        'with full: true on the last page of a sync sent in pages: the invoices the earlier pages sent as open. Open invoices neither here nor in this page are voided',
      ),
    readAfter: z.iso
      .datetime({ offset: true })
      .optional()
      .describe(
        'a server time (GET /agent/clock) taken before the MMS was read: the balances sent reflect every line delivered before it. Absent: when the request arrives',
      ),
  })
  .strict();

/** What the server's sync use case receives, defaults applied. */
export type SyncInput = z.output<typeof syncBodySchema>;

// zod's checks of 50,000 invoices cost more than their upsert: see sync-fast.ts.
export const syncBody = withFastPath(syncBodySchema, (data, schema) => parseSyncBodyFast(data, schema, MAX_SYNC_ROWS));

/** What this project's agent sends: every field spelled out, so it is the same shape. */
export type SyncBody = SyncInput;

export const syncAnswer = z.object({
  clients: z.number(),
  matters: z.number(),
  invoices: z.number(),
  closed: z.number(),
  reclassifiedToPending: z.number(),
});
export type SyncAnswer = z.infer<typeof syncAnswer>;

/** The MMS's words: what an import's .error file or the procedure's exception said, trimmed by the agent to fit. */
const mmsMessage = memoText(2000).refine((v) => v.trim().length > 0, { error: 'must not be empty' });

export const recordAnswer = z
  .object({ recordId: requiredText(64), outcome: z.enum(['applied', 'rejected']), message: mmsMessage.optional() })
  .strict();

/** The MMS's answer for a delivered batch: the whole file applied or refused (file drop), or each record's (procedure sink). */
export const mmsAnswerBody = z.union([
  z.object({ outcome: z.literal('applied') }).strict(),
  z.object({ outcome: z.literal('rejected'), message: mmsMessage }).strict(),
  z.object({ records: z.array(recordAnswer).min(1).max(200_000) }).strict(),
]);
export type RecordOutcome = z.input<typeof recordAnswer>;
export type BatchOutcome = z.input<typeof mmsAnswerBody>;
/** The answer's schema is the domain's MmsAnswer, which the answer rules take. */
export type _MmsAnswerIsTheDomains = Assert<Same<z.output<typeof mmsAnswerBody>, MmsAnswer>>;

export const outcomeAnswer = z.object({ applied: z.number(), rejected: z.number(), alreadyAnswered: z.number() });
export type OutcomeAnswer = z.infer<typeof outcomeAnswer>;

export const ackBody = z
  .object({
    sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex digits'),
    expectAnswer: z
      .boolean()
      .optional()
      .describe(
        "true: this agent will report the MMS's answer (POST /agent/batches/{id}/outcome); absent or false: none will come, and the delivery counts as applied",
      ),
  })
  .strict();

export const ackAnswer = z.object({
  id: z.string(),
  seq: z.number(),
  status: z.literal('delivered'),
  deliveredAt: z.string(),
  alreadyAcknowledged: z.boolean(),
});

/** The most of an agent's quarantine reason the server keeps. */
export const MAX_QUARANTINE_REASON = 2000;

export const quarantineBody = z
  .object({
    reason: requiredText(MAX_QUARANTINE_REASON).describe(
      'why the agent will not deliver the batch on its own, as its log and marker file say it',
    ),
  })
  .strict();

export const quarantineAnswer = z.object({
  id: z.string(),
  seq: z.number(),
  quarantinedAt: z.string(),
  alreadyReported: z.boolean(),
});
export type QuarantineAnswer = z.infer<typeof quarantineAnswer>;

export const agentSync = endpoint({
  method: 'POST',
  path: '/agent/sync',
  access: 'agent',
  summary: 'Upsert clients, matters and invoices from the MMS; full: true voids open invoices missing from it',
  description: `Validated whole: one bad row answers 400 naming the row and field, and nothing is written. At most ${MAX_SYNC_ROWS} rows of each kind per call. A full resync sent in pages says full: true on its last page only, with earlierInvoiceNumbers.`,
  headers: agentHeadersDoc,
  body: syncBody,
  response: syncAnswer,
});

export const agentClock = endpoint({
  method: 'GET',
  path: '/agent/clock',
  access: 'agent',
  summary: "The server's time, which the agent takes before it reads the MMS and sends with the sync as readAfter",
  headers: agentHeadersDoc,
  response: z.object({ now: z.string() }),
});

export const agentBatches = endpoint({
  method: 'GET',
  path: '/agent/batches',
  access: 'agent',
  summary: 'Undelivered batches, oldest first; with waitSeconds, held until there is one (long-poll)',
  description: [
    `waitSeconds 1–${MAX_WAIT_SECONDS}: when the firm has no undelivered batch, the answer is held until a batch is made`,
    '(a Post on any server instance wakes it at once) or the seconds pass, then answers as without it, possibly with no items.',
    '0, the default, answers at once. A server shutting down answers held requests at once.',
  ].join(' '),
  headers: agentHeadersDoc,
  query: z.object({
    waitSeconds: z.coerce
      .number<number>()
      .int()
      .min(0)
      .max(MAX_WAIT_SECONDS)
      .default(0)
      .describe('how long to hold the answer while nothing waits, in whole seconds'),
  }),
  response: z.object({ items: z.array(batchOut) }),
});

export const agentBatchFile = endpoint({
  method: 'GET',
  path: '/agent/batches/:id/file',
  access: 'agent',
  summary: "The batch file's bytes",
  headers: agentHeadersDoc,
  params: idParam,
});

export const agentAck = endpoint({
  method: 'POST',
  path: '/agent/batches/:id/ack',
  access: 'agent',
  summary: 'Acknowledge delivery; idempotent; a wrong sha256 is 409',
  headers: agentHeadersDoc,
  params: idParam,
  body: ackBody,
  response: ackAnswer,
});

export const agentOutcome = endpoint({
  method: 'POST',
  path: '/agent/batches/:id/outcome',
  access: 'agent',
  summary:
    'What the MMS did with a delivered batch: the whole file applied or refused, or record by record (SPEC §5.1); idempotent',
  description:
    'A refused record goes back to Incomplete with reason rejected_by_mms and the message as mmsMessage. The same answer again changes nothing; another answer for a record already answered is 409; a batch not yet acknowledged is 409.',
  headers: agentHeadersDoc,
  params: idParam,
  body: mmsAnswerBody,
  response: outcomeAnswer,
});

export const agentQuarantine = endpoint({
  method: 'POST',
  path: '/agent/batches/:id/quarantine',
  access: 'agent',
  summary:
    'The agent quarantined an undelivered batch: its delivery, and every later one, is halted until an operator acts',
  description:
    'Shown on the Batches screen and told to the staff who chose posting failures. Idempotent: the first report is kept and a repeat changes nothing. A batch already acknowledged is 409 batch_delivered.',
  headers: agentHeadersDoc,
  params: idParam,
  body: quarantineBody,
  response: quarantineAnswer,
});
