import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  createDepositAccountEndpoint,
  listDepositAccountsEndpoint,
  updateDepositAccountEndpoint,
} from '../../contract/deposit-accounts.ts';
import { actorOf } from '../../domain/actor.ts';
import { createDepositAccount } from '../../usecases/deposit-accounts/create-deposit-account.ts';
import { listDepositAccounts } from '../../usecases/deposit-accounts/list-deposit-accounts.ts';
import { updateDepositAccount } from '../../usecases/deposit-accounts/update-deposit-account.ts';
import { requirePrincipal } from '../auth.ts';
import { routeOf } from '../route.ts';
import type { RouteDeps } from './index.ts';

export function depositAccountRoutes({ db }: RouteDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    app.route({
      ...routeOf(listDepositAccountsEndpoint),
      handler: async (request) => listDepositAccounts(db, requirePrincipal(request).firmId),
    });
    app.route({
      ...routeOf(createDepositAccountEndpoint),
      handler: async (request, reply) => {
        const principal = requirePrincipal(request);
        return reply.code(201).send(await createDepositAccount(db, principal.firmId, actorOf(principal), request.body));
      },
    });
    app.route({
      ...routeOf(updateDepositAccountEndpoint),
      handler: async (request) => {
        const principal = requirePrincipal(request);
        return updateDepositAccount(db, principal.firmId, actorOf(principal), request.params.id, request.body);
      },
    });
  };
}
