import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { deleteSession, getMe, postSession } from '../../contract/session.ts';
import { DomainError } from '../../domain/errors.ts';
import { describeMe } from '../../usecases/auth/describe-me.ts';
import { signIn, signOut } from '../../usecases/auth/sessions.ts';
import { SESSION_COOKIE, requireUser } from '../auth.ts';
import { routeOf } from '../route.ts';
import type { RouteDeps } from './index.ts';

export function sessionRoutes({ db, config }: RouteDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    app.route({
      ...routeOf(postSession, {
        // The answer holds the session's CSRF token: no Idempotency-Key may store it for a replay.
        config: { rateLimit: { max: config.loginAttemptsPerMinute, timeWindow: 60_000 }, answerHoldsSecret: true },
      }),
      handler: async (request, reply) => {
        const result = await signIn(db, request.body, {
          sessionHours: config.sessionHours,
          accountFailures: config.accountSignInFailures,
        });
        if (!result) throw new DomainError('invalid_credentials', 'the email or password is wrong');
        reply.setCookie(SESSION_COOKIE, result.sessionToken, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: config.secureCookies || request.protocol === 'https',
          maxAge: config.sessionHours * 3600,
        });
        return describeMe(db, result.user.id, result.user.firm_id, result.csrfToken);
      },
    });

    app.route({
      ...routeOf(deleteSession, { config: { openBeforeTwoFactor: true } }),
      handler: async (request, reply) => {
        const token = request.cookies[SESSION_COOKIE];
        if (token) await signOut(db, token);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.code(204).send(null);
      },
    });

    app.route({
      ...routeOf(getMe, { config: { openBeforeTwoFactor: true } }),
      handler: async (request) => {
        const user = requireUser(request);
        return describeMe(db, user.userId, user.firmId, user.csrfToken);
      },
    });
  };
}
