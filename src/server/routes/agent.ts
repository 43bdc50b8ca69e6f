import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { agentClock, agentSync } from '../../contract/agent.ts';
import { actorOf } from '../../usecases/auth/principal.ts';
import { syncMms } from '../../usecases/sync/sync-mms.ts';
import { requirePrincipal } from '../auth.ts';
import { routeOf } from '../route.ts';
import type { RouteDeps } from './index.ts';

export function agentRoutes({ db }: RouteDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    app.route({
      ...routeOf(agentSync, { bodyLimit: 64 * 1024 * 1024 }),
      handler: async (request) => {
        const principal = requirePrincipal(request);
        return syncMms(db, principal.firmId, actorOf(principal), request.body);
      },
    });
    app.route({ ...routeOf(agentClock), handler: async () => ({ now: new Date().toISOString() }) });
  };
}
