import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { getFirmSettings, patchFirmSettings, postWebhookSecret } from '../../contract/settings.ts';
import { actorOf } from '../../domain/actor.ts';
import { getSettings } from '../../usecases/settings/get-settings.ts';
import { rotateWebhookSecret } from '../../usecases/settings/rotate-webhook-secret.ts';
import { updateSettings } from '../../usecases/settings/update-settings.ts';
import { requirePrincipal } from '../auth.ts';
import { routeOf } from '../route.ts';
import type { RouteDeps } from './index.ts';

export function settingsRoutes({ db }: RouteDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    app.route({
      ...routeOf(getFirmSettings),
      handler: async (request) => getSettings(db, requirePrincipal(request).firmId),
    });
    app.route({
      ...routeOf(patchFirmSettings),
      handler: async (request) => {
        const principal = requirePrincipal(request);
        return updateSettings(db, principal.firmId, actorOf(principal), request.body);
      },
    });
    app.route({
      ...routeOf(postWebhookSecret, { config: { answerHoldsSecret: true } }),
      handler: async (request, reply) => {
        const principal = requirePrincipal(request);
        return reply.code(201).send(await rotateWebhookSecret(db, principal.firmId, actorOf(principal)));
      },
    });
  };
}
