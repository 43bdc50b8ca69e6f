import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import { MMS_KINDS, needsCreditUpload, type MmsKind } from '../../domain/mms-kinds.ts';
import { readUserAndFirm } from '../../db/users.ts';
import { signIn, signOut } from '../../usecases/auth/sessions.ts';
import { SESSION_COOKIE, requireUser } from '../auth.ts';
import { text } from '../../contract/fields.ts';
import type { RouteDeps } from './index.ts';

const meBody = z.object({
  user: z.object({ id: z.string(), email: z.string(), name: z.string(), role: z.enum(['admin', 'accountant', 'viewer']) }),
  firm: z.object({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    // GET /settings is for admins; every user's Batches screen needs this one setting.
    creditUploadNeeded: z.boolean().describe("whether the firm's MMS needs a credit upload run after each delivered batch"),
    timeZone: z.string().describe("the firm's IANA time zone: the screens count days (today, date filters) in it"),
  }),
  csrfToken: z.string().nullable(),
});

const isMmsKind = (value: string): value is MmsKind => MMS_KINDS.some((k) => k === value);

export function sessionRoutes({ db, config }: RouteDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    async function describe(userId: string, firmId: string, csrfToken: string | null) {
      const row = await readUserAndFirm(db, firmId, userId);
      return {
        user: { id: row.id, email: row.email, name: row.name, role: row.role },
        firm: { id: row.firm_id, code: row.code, name: row.firm_name, creditUploadNeeded: isMmsKind(row.mms_kind) && needsCreditUpload(row.mms_kind), timeZone: row.time_zone },
        csrfToken,
      };
    }

    app.post(
      '/session',
      {
        config: { access: 'public', rateLimit: { max: config.loginAttemptsPerMinute, timeWindow: 60_000 } },
        schema: {
          summary: 'Sign in; sets the session cookie and returns the CSRF token for later changes',
          body: z.object({ email: text(320), password: z.string().min(1).max(1000) }).strict(),
          response: { 200: meBody },
        },
      },
      async (request, reply) => {
        const result = await signIn(db, request.body.email, request.body.password, config.sessionHours);
        if (!result) throw new AppError(401, 'invalid_credentials', 'the email or password is wrong');
        reply.setCookie(SESSION_COOKIE, result.sessionToken, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: config.secureCookies || request.protocol === 'https',
          maxAge: config.sessionHours * 3600,
        });
        return describe(result.user.id, result.user.firm_id, result.csrfToken);
      },
    );

    app.delete(
      '/session',
      { config: { access: 'public' }, schema: { summary: 'Sign out', response: { 204: z.null() } } },
      async (request, reply) => {
        const token = request.cookies[SESSION_COOKIE];
        if (token) await signOut(db, token);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.code(204).send(null);
      },
    );

    app.get('/me', { config: { access: 'user' }, schema: { summary: 'The signed-in user, role and firm', response: { 200: meBody } } }, async (request) => {
      const user = requireUser(request);
      return describe(user.userId, user.firmId, user.csrfToken);
    });
  };
}
