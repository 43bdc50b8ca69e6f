import { createHash, randomBytes } from 'node:crypto';
import { TOKEN_PREFIX, type LinkKind } from '../../domain/links.ts';

/** A link's secret: 256 random bits in the URL, kept only as its hash (like a bearer token). */
export function newLinkToken(kind: LinkKind): { token: string; hash: string } {
  const token = `${TOKEN_PREFIX[kind]}_${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashLinkToken(token) };
}

export function hashLinkToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
