import { z } from 'zod';

/** Batches (SPEC §5): what the Batches screen and the agent read. */

export const batchOut = z.object({
  id: z.string(),
  seq: z.number(),
  fileName: z.string(),
  fileFormat: z.string(),
  sha256: z.string(),
  lineCount: z.number(),
  recordCount: z.number(),
  totalCents: z.number(),
  status: z.enum(['queued', 'delivered']),
  createdBy: z.string(),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
  answerExpected: z.boolean().describe("the delivering agent reports the MMS's answer; without one, delivery counts as applied"),
  appliedLines: z.number().describe('lines the MMS applied'),
  rejectedLines: z.number().describe('lines the MMS refused'),
});
