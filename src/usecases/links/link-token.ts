import { createHash, randomBytes } from 'node:crypto';
import { TOKEN_PREFIX, type LinkKind, type LinkStatus } from '../../domain/links.ts';
import { DomainError } from '../../domain/errors.ts';

/** A link's secret: 256 random bits in the URL, kept only as its hash (like a bearer token). */
export function newLinkToken(kind: LinkKind): { token: string; hash: string } {
  const token = `${TOKEN_PREFIX[kind]}_${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashLinkToken(token) };
}

export function hashLinkToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function linkNotFound(): DomainError {
  return new DomainError('not_found', 'this payment link does not exist; check the address in your email');
}

/** Why a link cannot be paid now: expired or cancelled when it never can be again, paid or in progress when it is paid or busy. */
export function notPayable(status: LinkStatus): DomainError {
  switch (status) {
    case 'expired':
      return new DomainError('link_expired', 'this payment link has expired; ask the firm for a new one');
    case 'cancelled':
      return new DomainError('link_cancelled', 'this payment link was cancelled by the firm');
    case 'paid':
      return new DomainError('link_paid', 'this payment link has already been paid');
    case 'outstanding':
      return new DomainError('link_in_progress', 'a payment on this link is in progress; try again in a few minutes');
  }
}
