import { DEFAULT_TIME_ZONE, timeZoneName } from './dates.ts';
import { badRequest } from './errors.ts';
import { checkPassword } from './passwords.ts';
import { FIRM_CODE } from './types.ts';

/** Setting up firms and users (the admin CLI, the demo, an admin's tokens): what each must be. */

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Emails are kept and compared trimmed and lower-cased: an address signs in however it is typed. */
export const normalEmail = (email: string): string => email.trim().toLowerCase();

/**
 * A new firm's code, name and time zone, checked (bad_request otherwise): its time zone is
 * America/New_York unless `timeZone` names another IANA zone.
 */
export function newFirm(input: { code: string; name: string; timeZone?: string | undefined }): {
  code: string;
  name: string;
  timeZone: string;
} {
  if (!FIRM_CODE.test(input.code)) throw badRequest(`firm code "${input.code}" must be 1–20 of A–Z, 0–9 and _`);
  const name = input.name.trim();
  if (!name) throw badRequest('firm name is empty');
  const timeZone = timeZoneName(input.timeZone ?? DEFAULT_TIME_ZONE);
  if (!timeZone)
    throw badRequest(`time zone "${input.timeZone}" is not an IANA time zone such as America/Los_Angeles`, {
      field: 'timeZone',
    });
  return { code: input.code, name, timeZone };
}

/** A new user's email and name (the email when none is given), with a password the rules allow (domain/passwords.ts; bad_request otherwise). */
export function newUser(input: { email: string; name?: string | undefined; password: string }): {
  email: string;
  name: string;
} {
  const email = normalEmail(input.email);
  if (!EMAIL.test(email)) throw badRequest(`"${input.email}" is not an email address`);
  checkPassword(input.password);
  return { email, name: input.name?.trim() || email };
}
