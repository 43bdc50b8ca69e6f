import { createHash, randomBytes } from 'node:crypto';
import { TOKEN_PREFIX, type LinkKind, type LinkStatus } from '../../domain/links.ts';
import { AppError } from '../../errors.ts';

/** A link's secret: 256 random bits in the URL, kept only as its hash (like a bearer token). */
export function newLinkToken(kind: LinkKind): { token: string; hash: string } {
  const token = `${TOKEN_PREFIX[kind]}_${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashLinkToken(token) };
}

export function hashLinkToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function linkNotFound(): AppError {
  return new AppError(404, 'not_found', 'this payment link does not exist; check the address in your email');
}

/** Why a link cannot be paid now: 410 when it never can be again, 409 when it is paid or busy. */
export function notPayable(status: LinkStatus): AppError {
  switch (status) {
    case 'expired':
      return new AppError(410, 'link_expired', 'this payment link has expired; ask the firm for a new one');
    case 'cancelled':
      return new AppError(410, 'link_cancelled', 'this payment link was cancelled by the firm');
    case 'paid':
      return new AppError(409, 'link_paid', 'this payment link has already been paid');
    case 'outstanding':
      return new AppError(409, 'link_in_progress', 'a payment on this link is in progress; try again in a few minutes');
  }
}
