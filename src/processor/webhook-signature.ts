import { createHmac, timingSafeEqual } from 'node:crypto';
import { SIGNATURE_HEADER } from '../contract/webhooks.ts';

/**
 * Processor webhooks are signed like Stripe's: the header
 * `Paybridge-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`
 * with the firm's webhook secret. Several v1 entries may be sent while a secret rotates.
 */
export const TOLERANCE_SECONDS = 5 * 60;

export function signPayload(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

export function signatureHeader(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${signPayload(secret, timestamp, body)}`;
}

export interface ParsedSignature {
  timestamp: number;
  signatures: string[];
}

export function parseSignatureHeader(header: string): ParsedSignature | null {
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [key, value, ...rest] = part.trim().split('=');
    if (rest.length > 0 || key === undefined || value === undefined) return null;
    if (key === 't') {
      if (!/^\d{1,12}$/.test(value) || timestamp !== null) return null;
      timestamp = Number(value);
    } else if (key === 'v1') {
      if (!/^[0-9a-f]{64}$/.test(value)) return null;
      signatures.push(value);
    }
    // Other schemes (v0, future ones) are ignored, as a receiver should.
  }
  if (timestamp === null || signatures.length === 0) return null;
  return { timestamp, signatures };
}

export type Verification =
  | { ok: true; timestamp: number }
  | {
      ok: false;
      code: 'missing_signature' | 'malformed_signature' | 'invalid_signature' | 'stale_timestamp';
      message: string;
    };

/** Checks the signature first (so an unsigned caller learns nothing), then the timestamp. */
export function verifySignature(
  secret: string,
  header: string | undefined,
  body: string,
  nowSeconds: number,
): Verification {
  if (!header) {
    return { ok: false, code: 'missing_signature', message: `the ${SIGNATURE_HEADER} header is missing` };
  }
  const parsed = parseSignatureHeader(header);
  if (!parsed) {
    return {
      ok: false,
      code: 'malformed_signature',
      message: `the ${SIGNATURE_HEADER} header must be "t=<unix seconds>,v1=<64 hex digits>"`,
    };
  }
  const expected = Buffer.from(signPayload(secret, parsed.timestamp, body), 'hex');
  const matches = parsed.signatures.some((candidate) => timingSafeEqual(expected, Buffer.from(candidate, 'hex')));
  if (!matches) {
    return {
      ok: false,
      code: 'invalid_signature',
      message: 'the signature does not match the body and timestamp for this endpoint',
    };
  }
  if (Math.abs(nowSeconds - parsed.timestamp) > TOLERANCE_SECONDS) {
    return {
      ok: false,
      code: 'stale_timestamp',
      message: `the signature's timestamp is more than ${TOLERANCE_SECONDS} seconds from the server's clock`,
    };
  }
  return { ok: true, timestamp: parsed.timestamp };
}
