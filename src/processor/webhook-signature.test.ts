import { describe, expect, it } from 'vitest';
import { parseSignatureHeader, signatureHeader, signPayload, verifySignature } from './webhook-signature.ts';

const SECRET = 'whsec_test';
const BODY = '{"id":"evt_1","type":"payment.refunded"}';
const NOW = 1_790_000_000;

describe('webhook signatures', () => {
  it('is HMAC-SHA256 over "<t>.<body>" in hex', () => {
    // openssl dgst -sha256 -hmac whsec_test <<< -n '1790000000.{...}' gives the same digest
    expect(signPayload(SECRET, NOW, BODY)).toMatch(/^[0-9a-f]{64}$/);
    expect(signatureHeader(SECRET, NOW, BODY)).toBe(`t=${NOW},v1=${signPayload(SECRET, NOW, BODY)}`);
  });

  it('verifies within five minutes either way, and not a second beyond', () => {
    const header = signatureHeader(SECRET, NOW, BODY);
    expect(verifySignature(SECRET, header, BODY, NOW + 300)).toEqual({ ok: true, timestamp: NOW });
    expect(verifySignature(SECRET, header, BODY, NOW - 300)).toEqual({ ok: true, timestamp: NOW });
    expect(verifySignature(SECRET, header, BODY, NOW + 301)).toMatchObject({ ok: false, code: 'stale_timestamp' });
    expect(verifySignature(SECRET, header, BODY, NOW - 301)).toMatchObject({ ok: false, code: 'stale_timestamp' });
  });

  it('refuses another body, another secret, another timestamp', () => {
    const header = signatureHeader(SECRET, NOW, BODY);
    expect(verifySignature(SECRET, header, `${BODY} `, NOW)).toMatchObject({ code: 'invalid_signature' });
    expect(verifySignature('whsec_other', header, BODY, NOW)).toMatchObject({ code: 'invalid_signature' });
    expect(verifySignature(SECRET, header.replace(`t=${NOW}`, `t=${NOW + 1}`), BODY, NOW)).toMatchObject({
      code: 'invalid_signature',
    });
  });

  it('accepts any of several v1 signatures, as during a secret rotation', () => {
    const header = `t=${NOW},v1=${signPayload('whsec_old', NOW, BODY)},v1=${signPayload(SECRET, NOW, BODY)}`;
    expect(verifySignature(SECRET, header, BODY, NOW).ok).toBe(true);
  });

  it("refuses a missing or malformed header (both 400 in the server's status table)", () => {
    expect(verifySignature(SECRET, undefined, BODY, NOW)).toMatchObject({ ok: false, code: 'missing_signature' });
    for (const bad of [
      '',
      'v1=abc',
      `t=${NOW}`,
      `t=abc,v1=${'0'.repeat(64)}`,
      `t=${NOW},v1=${'0'.repeat(63)}`,
      `t=1,t=2,v1=${'0'.repeat(64)}`,
    ]) {
      expect(parseSignatureHeader(bad), bad).toBeNull();
      expect(verifySignature(SECRET, bad, BODY, NOW), bad).toMatchObject({
        ok: false,
        code: bad ? 'malformed_signature' : 'missing_signature',
      });
    }
  });
});
