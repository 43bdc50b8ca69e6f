import { z } from 'zod';
import { ROLES } from '../domain/types.ts';
import { endpoint } from './endpoint.ts';
import { text } from './fields.ts';

/** The signed-in user and their firm (SPEC §9): what every screen starts from. */

export const meOut = z.object({
  user: z.object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    twoFactor: z.object({
      enabled: z.boolean(),
      enrolmentRequired: z
        .boolean()
        .describe(
          'the firm requires two-factor for admins and this one has none: nothing else is open until they enrol',
        ),
    }),
  }),
  firm: z.object({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    // GET /settings is for admins; every user's Batches screen needs this one setting.
    creditUploadNeeded: z
      .boolean()
      .describe("whether the firm's MMS needs a credit upload run after each delivered batch"),
    timeZone: z.string().describe("the firm's IANA time zone: the screens count days (today, date filters) in it"),
  }),
  csrfToken: z.string().nullable(),
});

export const signInBody = z
  .object({
    email: text(320),
    password: z.string().min(1).max(1000),
    code: text(40)
      .optional()
      .describe('for a user with two-factor on: the six-digit code from their app, or a recovery code'),
  })
  .strict();

export const postSession = endpoint({
  method: 'POST',
  path: '/session',
  access: 'public',
  summary: 'Sign in; sets the session cookie and returns the CSRF token for later changes',
  body: signInBody,
  response: meOut,
});

export const deleteSession = endpoint({
  method: 'DELETE',
  path: '/session',
  access: 'public',
  summary: 'Sign out',
  status: 204,
  response: z.null(),
});

export const getMe = endpoint({
  method: 'GET',
  path: '/me',
  access: 'user',
  summary: 'The signed-in user, role and firm',
  response: meOut,
});
