import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { searchMatters } from '../../usecases/matters/search-matters.ts';
import { requirePrincipal } from '../auth.ts';
import { text } from '../../contract/fields.ts';
import { matterOut } from '../../contract/matters.ts';
import type { RouteDeps } from './index.ts';

export function matterRoutes({ db }: RouteDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    app.get('/matters', {
      config: { access: 'user' },
      schema: {
        summary: 'Search matters by client number or name, matter number or description (for reallocating trust money)',
        querystring: z.object({
          q: text(200).optional(),
          limit: z.coerce.number().int().min(1).max(100).default(20),
        }),
        response: { 200: z.object({ items: z.array(matterOut) }) },
      },
    }, async (request) => searchMatters(db, requirePrincipal(request).firmId, request.query));
  };
}
