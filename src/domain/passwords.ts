import { dictionary } from '@zxcvbn-ts/language-common';
import { badRequest } from './errors.ts';

/**
 * Password rules per NIST SP 800-63B §5.1.1: long enough, not absurdly long, and not on a
 * list of common passwords. No composition rules (a digit, a capital…) and no expiry.
 * Length counts code points, so twelve emoji are twelve characters.
 */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

let common: Set<string> | null = null;

/** zxcvbn-ts's list of about 49,000 passwords seen most in breaches, lower-cased. */
function commonPasswords(): Set<string> {
  common ??= new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
  return common;
}

/** What is wrong with a password, or null when it may be used. */
export function passwordProblem(password: string): string | null {
  // Code points, as NIST counts them (an emoji made of several is several).
  let length = 0;
  for (const _ of password) length += 1;
  if (length < MIN_PASSWORD_LENGTH) return `the password must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (length > MAX_PASSWORD_LENGTH) return `the password must be at most ${MAX_PASSWORD_LENGTH} characters`;
  if (commonPasswords().has(password.toLowerCase()))
    return 'the password is on a list of commonly used passwords; choose another';
  return null;
}

/** Refuses a password that breaks the rules (bad_request naming the field). */
export function checkPassword(password: string): void {
  const problem = passwordProblem(password);
  if (problem) throw badRequest(problem, { field: 'password' });
}
