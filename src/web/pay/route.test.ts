import { describe, expect, it } from 'vitest';
import { isPayPath, payRouteOf } from './route.ts';

describe('payRouteOf', () => {
  it('names a payment page by its slug, and the two kinds of link by their token', () => {
    expect(payRouteOf('/pay/acme-law')).toEqual({ kind: 'page', slug: 'acme-law' });
    expect(payRouteOf('/pay/acme-law/')).toEqual({ kind: 'page', slug: 'acme-law' });
    expect(payRouteOf('/pay/link/pl_abc-_9')).toEqual({ kind: 'link', token: 'pl_abc-_9' });
    expect(payRouteOf('/pay/quick/ql_xyz')).toEqual({ kind: 'quick', token: 'ql_xyz' });
  });
  it('answers unknown for anything else under /pay', () => {
    expect(payRouteOf('/pay')).toEqual({ kind: 'unknown' });
    expect(payRouteOf('/pay/')).toEqual({ kind: 'unknown' });
    expect(payRouteOf('/pay/link')).toEqual({ kind: 'page', slug: 'link' });
    expect(payRouteOf('/pay/acme/extra')).toEqual({ kind: 'unknown' });
    expect(payRouteOf('/pay/link/a/b')).toEqual({ kind: 'unknown' });
  });
  it('decodes what the address bar encoded, and keeps what does not decode', () => {
    expect(payRouteOf('/pay/a%20b')).toEqual({ kind: 'page', slug: 'a b' });
    expect(payRouteOf('/pay/%E0%A4%A')).toEqual({ kind: 'page', slug: '%E0%A4%A' });
  });
});

describe('isPayPath', () => {
  it('is true only for /pay and below', () => {
    expect(isPayPath('/pay')).toBe(true);
    expect(isPayPath('/pay/acme')).toBe(true);
    expect(isPayPath('/payments')).toBe(false);
    expect(isPayPath('/postings')).toBe(false);
  });
});
