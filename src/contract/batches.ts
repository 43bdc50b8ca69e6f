import { z } from 'zod';
import { FILE_FORMATS } from '../domain/types.ts';
import { endpoint } from './endpoint.ts';
import { idParam } from './fields.ts';

/** Batches (SPEC §5): what the Batches screen and the agent read. */

export const batchOut = z.object({
  id: z.string(),
  seq: z.number(),
  fileName: z.string(),
  fileFormat: z.enum(FILE_FORMATS),
  sha256: z.string(),
  lineCount: z.number(),
  recordCount: z.number(),
  totalCents: z.number(),
  status: z.enum(['queued', 'delivered']),
  createdBy: z.string(),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
  answerExpected: z
    .boolean()
    .describe("the delivering agent reports the MMS's answer; without one, delivery counts as applied"),
  appliedLines: z.number().describe('lines the MMS applied'),
  rejectedLines: z.number().describe('lines the MMS refused'),
  quarantinedAt: z
    .string()
    .nullable()
    .describe('when the agent quarantined the batch (its delivery halted until an operator resolves it); kept after'),
  quarantineReason: z.string().nullable().describe("the agent's reason for the quarantine"),
});

export const listBatchesEndpoint = endpoint({
  method: 'GET',
  path: '/batches',
  access: 'user',
  summary: 'Batch history, newest first',
  query: z.object({
    cursor: z.string().max(20).optional(),
    limit: z.coerce.number<number>().int().min(1).max(500).default(50),
  }),
  response: z.object({ items: z.array(batchOut), nextCursor: z.string().nullable() }),
});

export const getBatchEndpoint = endpoint({
  method: 'GET',
  path: '/batches/:id',
  access: 'user',
  summary: 'One batch: its file, delivery and what the MMS answered',
  params: idParam,
  response: batchOut,
});

export const batchFileEndpoint = endpoint({
  method: 'GET',
  path: '/batches/:id/file',
  access: 'user',
  summary: 'Download the batch file',
  params: idParam,
});
