import { z } from 'zod';
import { batchOut } from './batches.ts';
import { REASONS, RECORD_STATUSES, REVERSAL_KINDS } from '../domain/types.ts';
import { VIEWS } from '../domain/views.ts';
import { endpoint } from './endpoint.ts';
import { allocationIn, idParam, listFilters, listSortParam, memoText, text } from './fields.ts';
import { paymentOut } from './payments.ts';
import { postingRecord } from './records.ts';

/** Posting records (SPEC §4, §9): the shapes Manage Postings reads and writes. */

export const recordDetail = postingRecord.extend({
  payment: paymentOut,
  batch: batchOut.nullable(),
  reversals: z
    .array(
      z.object({
        id: z.string(),
        reversalKind: z.enum(REVERSAL_KINDS),
        amountCents: z.number(),
        status: z.enum(RECORD_STATUSES),
      }),
    )
    .describe('the reversals made of this record so far (refunds in part, then the rest; a correction), oldest first'),
  corrections: z
    .array(
      z.object({
        correctionId: z.string(),
        of: z.string().describe('the corrected record'),
        reversalId: z.string(),
        replacementId: z.string(),
        status: z.enum(RECORD_STATUSES).describe("the replacement's status"),
      }),
    )
    .describe(
      'the corrections this record takes part in, oldest first: those made of it, and the one it is half of (SPEC §3.7)',
    ),
  replacedBy: z
    .string()
    .nullable()
    .describe("the replacement that stands for this record now (a correction's, not removed); null if none"),
  history: z.array(
    z.object({
      at: z.string(),
      actor: z.string(),
      actorKind: z.string(),
      action: z.string(),
      from: z.string().nullable(),
      to: z.string().nullable(),
      detail: z.unknown(),
    }),
  ),
});

const ids = z.array(z.string().max(100)).min(1).max(100_000);
const count = z.number().int();

export const listPostingsQuery = listFilters.extend({
  view: z.enum(VIEWS).default('pending_incomplete'),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number<number>().int().min(1).max(500).default(50),
  sort: listSortParam,
});

export const viewCounts = z.object({
  pending_incomplete: count,
  pending: count,
  incomplete: count,
  posted: count,
  removed: count,
  queued: count,
  all: count,
  pendingTotalCents: z
    .number()
    .optional()
    .describe(
      'the sum of the pending records under the same filters: what Post All would post when unfiltered; absent when the sum is more than a JSON number holds exactly',
    ),
  pendingByAccount: z
    .object({
      operating: z.object({ count, totalCents: z.number().optional() }),
      trust: z.object({ count, totalCents: z.number().optional() }),
    })
    .describe(
      'the pending records under the same filters per deposit account, and their sums (absent as pendingTotalCents is): unfiltered, what Post All posts to each',
    ),
});

/** A record's lines as an edit or a correction sends them. */
const recordLines = z.array(allocationIn).min(1).max(100);
const recordVersion = z.number().int().min(1);

export const editRecordBody = z
  .object({
    version: recordVersion,
    allocations: recordLines
      .optional()
      .describe(
        "the record's new lines; absent: the lines it has (a reversal's, which cannot change, or only the memo edited)",
      ),
    memo: memoText(500).optional(),
    acceptClientMismatch: z
      .boolean()
      .optional()
      .describe(
        "true: a third party pays this client's invoice (an accepted client mismatch is no conflict); absent: as it was",
      ),
    mmsProblemFixed: z
      .boolean()
      .optional()
      .describe(
        'true: what the MMS refused is fixed outside paybridge, post it again as it is (new allocations say so too)',
      ),
  })
  .strict();

export const correctRecordBody = z
  .object({
    version: recordVersion,
    allocations: recordLines.describe("the replacement's lines, summing to the record's receipt"),
    memo: memoText(500).optional().describe("the replacement's memo; absent: the corrected record's"),
  })
  .strict();

export const correction = z.object({
  correctionId: z.string(),
  reversal: postingRecord.describe("the corrected record's lines with their signs flipped, pending"),
  replacement: postingRecord.describe('the new allocations, classified as any record is'),
});

export const postBody = z.union([z.object({ ids }).strict(), z.object({ all: z.literal(true) }).strict()]);

export const postedBatch = z.object({
  id: z.string(),
  seq: z.number(),
  fileName: z.string(),
  lineCount: z.number(),
  recordCount: z.number(),
  totalCents: z.number(),
});

export const listPostings = endpoint({
  method: 'GET',
  path: '/postings',
  access: 'user',
  summary: 'One page of a Manage Postings view',
  query: listPostingsQuery,
  response: z.object({ items: z.array(postingRecord), nextCursor: z.string().nullable() }),
});

export const countPostings = endpoint({
  method: 'GET',
  path: '/postings/counts',
  access: 'user',
  summary: 'The count of every view under the same filters',
  query: listFilters,
  response: viewCounts,
});

export const getPosting = endpoint({
  method: 'GET',
  path: '/postings/:id',
  access: 'user',
  summary: 'A record with its payment, batch and history',
  params: idParam,
  response: recordDetail,
});

const suggestionOut = z
  .object({
    basis: z
      .enum(['typed', 'oldest_first'])
      .describe("typed: the open invoices the payer typed; oldest_first: the client's open invoices, oldest first"),
    confidence: z.enum(['high', 'medium', 'low']),
    why: z.string().describe('the reason for the confidence, in a sentence'),
    allocations: z.array(
      z.object({
        invoiceNumber: z.string(),
        clientNumber: z.string(),
        matterNumber: z.string(),
        amountCents: z.number(),
      }),
    ),
    leftoverCents: z.number().describe('what the invoices could not take, to be placed by hand'),
  })
  .nullable();

export const suggestPosting = endpoint({
  method: 'GET',
  path: '/postings/:id/suggestion',
  access: 'user',
  summary:
    "Reallocate Payment's offers for an operating record: the invoices the payer typed (matched ignoring case, spaces, dashes and leading zeros), else the client's open invoices oldest first; and Apply oldest first",
  params: idParam,
  response: z.object({ suggestion: suggestionOut, oldestFirst: suggestionOut }),
});

export const editPosting = endpoint({
  method: 'PATCH',
  path: '/postings/:id',
  access: 'accountant',
  summary: 'Edit Posting Record / Reallocate Payment',
  params: idParam,
  body: editRecordBody,
  response: postingRecord,
});

export const correctPosting = endpoint({
  method: 'POST',
  path: '/postings/:id/correct',
  access: 'accountant',
  summary:
    'Correct a posted record the MMS applied, without refunding the client: a reversal of its lines and a replacement with the new allocations, posted together',
  params: idParam,
  body: correctRecordBody,
  response: correction,
});

export const postPostings = endpoint({
  method: 'POST',
  path: '/postings/post',
  access: 'accountant',
  summary: 'Post Selected ({ ids }) or Post All ({ all: true }): one batch; batch is null when nothing was pending',
  body: postBody,
  response: z.object({ batch: postedBatch.nullable() }),
});

export const removePostings = endpoint({
  method: 'POST',
  path: '/postings/remove',
  access: 'accountant',
  summary: 'Remove Posts',
  body: z.object({ ids, note: text(500).optional() }).strict(),
  response: z.object({ removed: z.number() }),
});

export const moveToPendingPostings = endpoint({
  method: 'POST',
  path: '/postings/move-to-pending',
  access: 'accountant',
  summary: 'Move to Pending: removed records are classified again',
  body: z.object({ ids }).strict(),
  response: z.object({
    records: z.array(z.object({ id: z.string(), status: z.enum(RECORD_STATUSES), reasons: z.array(z.enum(REASONS)) })),
  }),
});
