import { z } from 'zod';
import { TOKEN_KINDS } from '../domain/types.ts';
import { endpoint } from './endpoint.ts';
import { idParam, text } from './fields.ts';

/** The firm's bearer tokens (SPEC §9): for scripts (user) and the Connect agent (agent). */

export const tokenOut = z.object({
  id: z.string(),
  kind: z.enum(TOKEN_KINDS),
  label: z.string(),
  userEmail: z.string().nullable(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

export const issueTokenBody = z
  .object({
    kind: z.enum(TOKEN_KINDS),
    label: text(100).optional(),
    email: z.email().max(320).optional().describe('the user a user token acts for'),
  })
  .strict()
  .refine((b) => (b.kind === 'user') === (b.email !== undefined), {
    error: 'a user token needs the email of the user it acts for, and an agent token takes none',
    path: ['email'],
  });

export const issuedTokenOut = z.object({ id: z.string(), kind: z.enum(TOKEN_KINDS), token: z.string() });

export const getTokens = endpoint({
  method: 'GET',
  path: '/tokens',
  access: 'admin',
  summary: "The firm's bearer tokens, never their secrets",
  response: z.object({ items: z.array(tokenOut) }),
});

export const postToken = endpoint({
  method: 'POST',
  path: '/tokens',
  access: 'admin',
  summary: 'Create a bearer token; the secret is in this answer only',
  body: issueTokenBody,
  status: 201,
  response: issuedTokenOut,
});

export const deleteToken = endpoint({
  method: 'DELETE',
  path: '/tokens/:id',
  access: 'admin',
  summary: 'Revoke a token; it answers 401 from then on',
  params: idParam,
  status: 204,
  response: z.null(),
});
