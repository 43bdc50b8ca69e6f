import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { getUsers } from '../../contract/users.ts';
import { listUsers } from '../../usecases/users/list-users.ts';
import { requirePrincipal } from '../auth.ts';
import { routeOf } from '../route.ts';
import type { RouteDeps } from './index.ts';

export function userRoutes({ db }: RouteDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    app.route({ ...routeOf(getUsers), handler: async (request) => listUsers(db, requirePrincipal(request).firmId) });
  };
}
