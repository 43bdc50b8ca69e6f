import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { emailPaymentLink, emailQuickLink, resendPaymentLink, resendQuickLink } from '../../contract/links.ts';
import { getMyNotifications, getOutbox, updateMyNotifications } from '../../contract/notifications.ts';
import { actorOf } from '../../domain/actor.ts';
import type { LinkKind } from '../../domain/links.ts';
import { resendLink } from '../../usecases/links/resend-link.ts';
import { emailLink } from '../../usecases/notifications/email-link.ts';
import { listOutbox } from '../../usecases/notifications/list-outbox.ts';
import {
  getNotificationPreference,
  setNotificationPreference,
} from '../../usecases/notifications/notification-preferences.ts';
import { requirePrincipal, requireUser } from '../auth.ts';
import { routeOf } from '../route.ts';
import type { RouteDeps } from './index.ts';

/** Email (issue 15): a user's own notification choice, the firm's mail, and links sent by email. */
export function notificationRoutes({ db, config, mailer }: RouteDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    app.route({
      ...routeOf(getMyNotifications),
      handler: async (request) => {
        const user = requireUser(request);
        return getNotificationPreference(db, user.firmId, user.userId);
      },
    });
    app.route({
      ...routeOf(updateMyNotifications),
      handler: async (request) => {
        const user = requireUser(request);
        return setNotificationPreference(db, user.firmId, user.userId, request.body.mode);
      },
    });
    app.route({
      ...routeOf(getOutbox),
      handler: async (request) =>
        listOutbox(db, requirePrincipal(request).firmId, mailer, config.smtpUrl !== undefined, request.query.limit),
    });

    const kinds: [LinkKind, typeof emailPaymentLink | typeof emailQuickLink][] = [
      ['payment', emailPaymentLink],
      ['quick', emailQuickLink],
    ];
    for (const [kind, e] of kinds) {
      app.route({
        ...routeOf(e),
        handler: async (request) => {
          const principal = requirePrincipal(request);
          // The payer's address is this server's, as the browser that made the link reached it.
          const origin = `${request.protocol}://${request.host}`;
          return emailLink(db, principal.firmId, actorOf(principal), kind, request.params.id, request.body, origin);
        },
      });
    }
    const resends: [LinkKind, typeof resendPaymentLink | typeof resendQuickLink][] = [
      ['payment', resendPaymentLink],
      ['quick', resendQuickLink],
    ];
    for (const [kind, e] of resends) {
      app.route({
        ...routeOf(e),
        handler: async (request) => {
          const principal = requirePrincipal(request);
          const origin = `${request.protocol}://${request.host}`;
          const body = request.body ?? {};
          return resendLink(db, principal.firmId, actorOf(principal), kind, request.params.id, body, origin);
        },
      });
    }
  };
}
