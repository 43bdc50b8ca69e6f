import { z } from 'zod';

/** The firm's synced matters, as Reallocate Payment searches them for trust money. */

export const matterOut = z.object({
  clientNumber: z.string(),
  clientName: z.string(),
  matterNumber: z.string(),
  description: z.string(),
});
