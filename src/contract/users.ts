import { z } from 'zod';
import { ROLES } from '../domain/types.ts';
import { endpoint } from './endpoint.ts';

/** The firm's users (SPEC §9), as an admin sees them. */

export const userOut = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  createdAt: z.string(),
  disabledAt: z.string().nullable(),
});

export const getUsers = endpoint({
  method: 'GET',
  path: '/users',
  access: 'admin',
  summary: "The firm's users",
  response: z.object({ items: z.array(userOut) }),
});
