import type { FastifyPluginAsync } from 'fastify';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/connect.ts';
import type { Processor } from '../../processor/processor.ts';
import type { Mailer } from '../../mail/mailer.ts';
import type { LiveBus } from '../live.ts';
import { agentRoutes } from './agent.ts';
import { batchRoutes } from './batches.ts';
import { connectRoutes } from './connect.ts';
import { depositAccountRoutes } from './deposit-accounts.ts';
import { eventRoutes, type EventStreamOptions } from './events.ts';
import { exportRoutes } from './exports.ts';
import { invoiceRoutes } from './invoices.ts';
import { matterRoutes } from './matters.ts';
import { notificationRoutes } from './notifications.ts';
import { payRoutes } from './pay.ts';
import { paymentPageRoutes } from './payment-pages.ts';
import { paymentScheduleRoutes } from './payment-schedules.ts';
import { paymentRoutes } from './payments.ts';
import { postingRoutes } from './postings.ts';
import { quickLinkRoutes } from './quick-links.ts';
import { sandboxRoutes } from './sandbox.ts';
import { sessionRoutes } from './session.ts';
import { settingsRoutes } from './settings.ts';
import { staffPaymentRoutes } from './staff-payments.ts';
import { tokenRoutes } from './tokens.ts';
import { twoFactorRoutes } from './two-factor.ts';
import { userRoutes } from './users.ts';
import { webhookRoutes } from './webhooks.ts';
import { depositRoutes } from './deposits.ts';
import { auditRoutes } from './audit.ts';
import { webhookEndpointRoutes } from './webhook-endpoints.ts';

export interface RouteDeps {
  db: Db;
  config: Config;
  processor: Processor;
  /** Email: over SMTP, or to the outbox folder. */
  mailer: Mailer;
  /** The wake-up bus: long-polls and event streams wait on it. */
  live: LiveBus;
  events: EventStreamOptions;
  /** "Now" for a payment schedule's date rules (AppDeps.clock). */
  clock: () => Date;
}

/** Every resource's routes under /api/v1; one file per resource. */
export function apiRoutes(deps: RouteDeps): FastifyPluginAsync {
  return async (app) => {
    await app.register(sessionRoutes(deps));
    await app.register(postingRoutes(deps));
    await app.register(paymentRoutes(deps));
    await app.register(batchRoutes(deps));
    await app.register(agentRoutes(deps));
    await app.register(connectRoutes(deps));
    await app.register(eventRoutes(deps));
    await app.register(exportRoutes(deps));
    await app.register(invoiceRoutes(deps));
    await app.register(matterRoutes(deps));
    await app.register(paymentPageRoutes(deps));
    await app.register(settingsRoutes(deps));
    await app.register(depositAccountRoutes(deps));
    await app.register(depositRoutes(deps));
    await app.register(tokenRoutes(deps));
    await app.register(userRoutes(deps));
    await app.register(twoFactorRoutes(deps));
    await app.register(staffPaymentRoutes(deps));
    await app.register(quickLinkRoutes(deps));
    await app.register(paymentScheduleRoutes(deps));
    await app.register(payRoutes(deps));
    await app.register(sandboxRoutes(deps));
    await app.register(webhookRoutes(deps));
    await app.register(notificationRoutes(deps));
    await app.register(webhookEndpointRoutes(deps));
    await app.register(auditRoutes(deps));
  };
}
