import type { FastifyPluginAsync } from 'fastify';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/connect.ts';
import { agentRoutes } from './agent.ts';
import { batchRoutes } from './batches.ts';
import { exportRoutes } from './exports.ts';
import { invoiceRoutes } from './invoices.ts';
import { paymentPageRoutes } from './payment-pages.ts';
import { paymentRoutes } from './payments.ts';
import { postingRoutes } from './postings.ts';
import { sessionRoutes } from './session.ts';
import { settingsRoutes } from './settings.ts';
import { tokenRoutes } from './tokens.ts';
import { userRoutes } from './users.ts';

export interface RouteDeps {
  db: Db;
  config: Config;
}

/** Every resource's routes under /api/v1; one file per resource. */
export function apiRoutes(deps: RouteDeps): FastifyPluginAsync {
  return async (app) => {
    await app.register(sessionRoutes(deps));
    await app.register(postingRoutes(deps));
    await app.register(paymentRoutes(deps));
    await app.register(batchRoutes(deps));
    await app.register(agentRoutes(deps));
    await app.register(exportRoutes(deps));
    await app.register(invoiceRoutes(deps));
    await app.register(paymentPageRoutes(deps));
    await app.register(settingsRoutes(deps));
    await app.register(tokenRoutes(deps));
    await app.register(userRoutes(deps));
  };
}
