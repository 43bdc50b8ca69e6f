import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { searchMattersEndpoint } from '../../contract/matters.ts';
import { searchMatters } from '../../usecases/matters/search-matters.ts';
import { requirePrincipal } from '../auth.ts';
import { routeOf } from '../route.ts';
import type { RouteDeps } from './index.ts';

export function matterRoutes({ db }: RouteDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    app.route({
      ...routeOf(searchMattersEndpoint),
      handler: async (request) => searchMatters(db, requirePrincipal(request).firmId, request.query),
    });
  };
}
