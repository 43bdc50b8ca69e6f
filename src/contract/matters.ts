import { z } from 'zod';
import { endpoint } from './endpoint.ts';
import { text } from './fields.ts';

/** The firm's synced matters, as Reallocate Payment searches them for trust money. */

export const matterOut = z.object({
  clientNumber: z.string(),
  clientName: z.string(),
  matterNumber: z.string(),
  description: z.string(),
});

export const searchMattersEndpoint = endpoint({
  method: 'GET',
  path: '/matters',
  access: 'user',
  summary: 'Search matters by client number or name, matter number or description (for reallocating trust money)',
  query: z.object({
    q: text(200).optional(),
    limit: z.coerce.number<number>().int().min(1).max(100).default(20),
  }),
  response: z.object({ items: z.array(matterOut) }),
});
