import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { getConnect } from '../../contract/connect.ts';
import { getConnectStatus } from '../../usecases/connect/get-connect-status.ts';
import { requirePrincipal } from '../auth.ts';
import { routeOf } from '../route.ts';
import type { RouteDeps } from './index.ts';

export function connectRoutes({ db }: RouteDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    app.route({
      ...routeOf(getConnect),
      handler: async (request) => getConnectStatus(db, requirePrincipal(request).firmId),
    });
  };
}
