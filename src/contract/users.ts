import { z } from 'zod';
import { ROLES } from '../domain/types.ts';
import { endpoint } from './endpoint.ts';
import { idParam, requiredText, text } from './fields.ts';

/** The firm's users (SPEC §9), as an admin sees them. */

export const userOut = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  createdAt: z.string(),
  disabledAt: z.string().nullable(),
  passwordSet: z.boolean().describe('false while an invited user has not yet set a password through their link'),
  twoFactorEnabled: z.boolean(),
});

/** A one-time link to set a password, shown to the admin once and mailed to the user. */
export const passwordLinkOut = z.object({
  kind: z.enum(['invite', 'reset']),
  link: z.string().describe('the link itself; its secret is kept only as a hash and this is the one time it is shown'),
  expiresAt: z.string(),
  emailed: z.boolean().describe('whether the mail with the link went out (when false, pass the link on yourself)'),
});

export const inviteBody = z
  .object({
    email: z.email().max(320),
    name: text(200).optional(),
    role: z.enum(ROLES),
  })
  .strict();

export const userChanges = z
  .object({
    role: z.enum(ROLES).optional(),
    active: z
      .boolean()
      .optional()
      .describe('false deactivates: every session and bearer token of the user ends at once; true reactivates'),
  })
  .strict();

/** A password link's secret, sent in the body so it never sits in a URL or a log. */
const linkToken = requiredText(200);

export const getUsers = endpoint({
  method: 'GET',
  path: '/users',
  access: 'admin',
  summary: "The firm's users",
  response: z.object({ items: z.array(userOut) }),
});

export const postUser = endpoint({
  method: 'POST',
  path: '/users',
  access: 'admin',
  summary: 'Invite a user by email: a one-time link (valid 72 hours) to set their password, mailed and shown here once',
  body: inviteBody,
  status: 201,
  response: z.object({ user: userOut, invite: passwordLinkOut }),
});

export const patchUser = endpoint({
  method: 'PATCH',
  path: '/users/:id',
  access: 'admin',
  summary: "Change a user's role, or deactivate or reactivate them; the last active admin stays one",
  params: idParam,
  body: userChanges,
  response: userOut,
});

export const postPasswordLink = endpoint({
  method: 'POST',
  path: '/users/:id/password-link',
  access: 'admin',
  summary:
    'Send a user a new one-time link to set their password (a reset; a new invite if they never set one); earlier links stop working',
  params: idParam,
  body: z.object({}).strict(),
  status: 201,
  response: passwordLinkOut,
});

export const passwordLinkOf = z.object({
  kind: z.enum(['invite', 'reset']),
  email: z.string(),
  firmName: z.string(),
  expiresAt: z.string(),
});

export const postPasswordLinkLookUp = endpoint({
  method: 'POST',
  path: '/password-links/look-up',
  access: 'public',
  summary: 'What an invite or reset link is for (the email and firm), before its password is set',
  body: z.object({ token: linkToken }).strict(),
  response: passwordLinkOf,
});

export const postPasswordLinkUse = endpoint({
  method: 'POST',
  path: '/password-links/use',
  access: 'public',
  summary: "Set the password through an invite or reset link, once; the user's sessions end and they sign in with it",
  body: z.object({ token: linkToken, password: z.string().min(1).max(1000) }).strict(),
  response: z.object({ email: z.string() }),
});
