import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  deleteWebhookEndpoint as deleteEndpointRoute,
  getWebhookEndpointDeliveries,
  getWebhookEndpoints,
  patchWebhookEndpoint,
  postWebhookEndpoint,
  postWebhookEndpointSecret,
  postWebhookEndpointTest,
} from '../../contract/webhook-endpoints.ts';
import { actorOf } from '../../domain/actor.ts';
import {
  deleteWebhookEndpoint,
  rotateWebhookEndpointSecret,
  updateWebhookEndpoint,
} from '../../usecases/webhook-endpoints/change-webhook-endpoint.ts';
import { createWebhookEndpoint } from '../../usecases/webhook-endpoints/create-webhook-endpoint.ts';
import {
  listWebhookDeliveries,
  listWebhookEndpoints,
} from '../../usecases/webhook-endpoints/list-webhook-endpoints.ts';
import { sendTestEvent } from '../../usecases/webhook-endpoints/send-test-event.ts';
import { requirePrincipal } from '../auth.ts';
import { routeOf } from '../route.ts';
import type { RouteDeps } from './index.ts';

/** Outbound webhooks: the firm's endpoints, their secrets and their delivery logs (admin). */
export function webhookEndpointRoutes({ db }: RouteDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    app.route({
      ...routeOf(getWebhookEndpoints),
      handler: async (request) => listWebhookEndpoints(db, requirePrincipal(request).firmId),
    });
    app.route({
      ...routeOf(postWebhookEndpoint, { config: { answerHoldsSecret: true } }),
      handler: async (request, reply) => {
        const principal = requirePrincipal(request);
        return reply
          .code(201)
          .send(await createWebhookEndpoint(db, principal.firmId, actorOf(principal), request.body));
      },
    });
    app.route({
      ...routeOf(patchWebhookEndpoint),
      handler: async (request) => {
        const principal = requirePrincipal(request);
        return updateWebhookEndpoint(db, principal.firmId, actorOf(principal), request.params.id, request.body);
      },
    });
    app.route({
      ...routeOf(deleteEndpointRoute),
      handler: async (request, reply) => {
        const principal = requirePrincipal(request);
        await deleteWebhookEndpoint(db, principal.firmId, actorOf(principal), request.params.id);
        return reply.code(204).send(null);
      },
    });
    app.route({
      ...routeOf(postWebhookEndpointSecret, { config: { answerHoldsSecret: true } }),
      handler: async (request) => {
        const principal = requirePrincipal(request);
        return rotateWebhookEndpointSecret(db, principal.firmId, actorOf(principal), request.params.id);
      },
    });
    app.route({
      ...routeOf(postWebhookEndpointTest),
      handler: async (request, reply) => {
        const principal = requirePrincipal(request);
        return reply.code(201).send(await sendTestEvent(db, principal.firmId, actorOf(principal), request.params.id));
      },
    });
    app.route({
      ...routeOf(getWebhookEndpointDeliveries),
      handler: async (request) => listWebhookDeliveries(db, requirePrincipal(request).firmId, request.params.id),
    });
  };
}
