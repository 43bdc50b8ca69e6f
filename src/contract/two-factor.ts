import { z } from 'zod';
import { endpoint } from './endpoint.ts';
import { requiredText } from './fields.ts';

/** The signed-in user's own two-factor sign-in (TOTP, RFC 6238), with recovery codes. */

export const twoFactorOut = z.object({
  enabled: z.boolean(),
  pending: z.boolean().describe('enrolment started and waits for a code to confirm it'),
  recoveryCodesLeft: z.number().int(),
  required: z.boolean().describe("the firm requires two-factor of this user (an admin, when the firm's setting is on)"),
});

const codeBody = z.object({ code: requiredText(40) }).strict();

export const getTwoFactor = endpoint({
  method: 'GET',
  path: '/me/two-factor',
  access: 'user',
  summary: "The signed-in user's two-factor sign-in",
  response: twoFactorOut,
});

export const postTwoFactor = endpoint({
  method: 'POST',
  path: '/me/two-factor',
  access: 'user',
  summary:
    'Start enrolment: a new secret and its otpauth:// URI for an authenticator app, shown this once; confirm it with a code',
  body: z.object({}).strict(),
  status: 201,
  response: z.object({ secret: z.string(), uri: z.string() }),
});

export const postTwoFactorConfirm = endpoint({
  method: 'POST',
  path: '/me/two-factor/confirm',
  access: 'user',
  summary: 'Turn two-factor on with a code from the app; answers 10 single-use recovery codes, shown this once',
  body: codeBody,
  response: z.object({ recoveryCodes: z.array(z.string()) }),
});

export const postTwoFactorDisable = endpoint({
  method: 'POST',
  path: '/me/two-factor/disable',
  access: 'user',
  summary: 'Turn two-factor off with a code from the app or a recovery code',
  body: codeBody,
  status: 204,
  response: z.null(),
});
