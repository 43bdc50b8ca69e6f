import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listUsers } from '../../usecases/users/list-users.ts';
import { requirePrincipal } from '../auth.ts';
import type { RouteDeps } from './index.ts';

const userOut = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(['admin', 'accountant', 'viewer']),
  createdAt: z.string(),
  disabledAt: z.string().nullable(),
});

export function userRoutes({ db }: RouteDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    app.get('/users', {
      config: { access: 'admin' },
      schema: { summary: "The firm's users", response: { 200: z.object({ items: z.array(userOut) }) } },
    }, async (request) => listUsers(db, requirePrincipal(request).firmId));
  };
}
