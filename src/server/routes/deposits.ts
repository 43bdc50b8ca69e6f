import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  depositStatementEndpoint,
  exportDepositsMonthXlsx,
  exportDepositXlsx,
  getDepositEndpoint,
  listDepositsEndpoint,
} from '../../contract/deposits.ts';
import { depositStatement, getDeposit, listDeposits } from '../../usecases/deposits/deposits.ts';
import { exportDeposit, exportDepositMonth } from '../../usecases/deposits/export-deposits.ts';
import { requirePrincipal } from '../auth.ts';
import { routeOf } from '../route.ts';
import { sendXlsx } from './exports.ts';
import type { RouteDeps } from './index.ts';

/** Deposits (SPEC §5.3): the processor's payouts, their lines, a month's statement, and their exports. */
export function depositRoutes({ db }: RouteDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    app.route({
      ...routeOf(listDepositsEndpoint),
      handler: async (request) => listDeposits(db, requirePrincipal(request).firmId, request.query),
    });
    app.route({
      ...routeOf(depositStatementEndpoint),
      handler: async (request) => depositStatement(db, requirePrincipal(request).firmId, request.query.month),
    });
    app.route({
      ...routeOf(exportDepositsMonthXlsx),
      handler: async (request, reply) =>
        sendXlsx(request, reply, await exportDepositMonth(db, requirePrincipal(request).firmId, request.query.month)),
    });
    app.route({
      ...routeOf(getDepositEndpoint),
      handler: async (request) => getDeposit(db, requirePrincipal(request).firmId, request.params.id),
    });
    app.route({
      ...routeOf(exportDepositXlsx),
      handler: async (request, reply) =>
        sendXlsx(request, reply, await exportDeposit(db, requirePrincipal(request).firmId, request.params.id)),
    });
  };
}
