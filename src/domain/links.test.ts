import { cents } from './money.ts';
import { describe, expect, it } from 'vitest';
import {
  cancelProblem,
  isLinkToken,
  leaseUntil,
  linkExpiry,
  linkNotFound,
  notPayable,
  payerStatus,
  PAYING_LEASE_MS,
  shownStatus,
  soleClient,
  storedAllocations,
} from './links.ts';

const now = new Date('2026-06-01T12:00:00Z');
const later = (ms: number) => new Date(now.getTime() + ms);

describe('links', () => {
  it('shows an outstanding link past its time as expired, and every other status as stored', () => {
    expect(shownStatus('outstanding', later(1), now)).toBe('outstanding');
    expect(shownStatus('outstanding', now, now)).toBe('expired');
    expect(shownStatus('paid', later(-1), now)).toBe('paid');
    expect(shownStatus('cancelled', later(-1), now)).toBe('cancelled');
  });

  it('gives a payment link 24 hours and a quick link the days chosen, 30 when not said', () => {
    expect(linkExpiry('payment', now, 5)).toEqual(later(24 * 3600_000));
    expect(linkExpiry('quick', now, 5)).toEqual(later(5 * 86_400_000));
    expect(linkExpiry('quick', now)).toEqual(later(30 * 86_400_000));
  });

  it('cancels only an outstanding link that no payer is paying', () => {
    expect(cancelProblem('outstanding', null, now)).toBeNull();
    expect(cancelProblem('outstanding', later(-1), now)).toBeNull();
    expect(cancelProblem('outstanding', later(1), now)).toBe('link_in_progress');
    for (const status of ['paid', 'cancelled', 'expired'] as const)
      expect(cancelProblem(status, null, now)).toBe('invalid_state');
  });

  it('leases a link for two minutes', () => {
    expect(leaseUntil(now)).toEqual(later(PAYING_LEASE_MS));
    expect(PAYING_LEASE_MS).toBe(120_000);
  });

  it('knows a link token by its prefix and length only', () => {
    expect(isLinkToken(`pl_${'a'.repeat(43)}`)).toBe(true);
    expect(isLinkToken(`ql_${'A-_'.repeat(14)}b`)).toBe(true);
    expect(isLinkToken(`xl_${'a'.repeat(43)}`)).toBe(false);
    expect(isLinkToken(`pl_${'a'.repeat(42)}`)).toBe(false);
  });

  it('names the one client of a payment link, or none when its invoices span several', () => {
    const a = { invoiceNumber: 'I1', clientNumber: 'C1', matterNumber: 'M1', amountCents: cents(1) };
    expect(soleClient([a, { ...a, invoiceNumber: 'I2' }])).toBe('C1');
    expect(soleClient([a, { ...a, clientNumber: 'C2' }])).toBeNull();
  });

  it('reads stored allocations back, refusing any not well formed', () => {
    const a = { invoiceNumber: 'I1', clientNumber: null, matterNumber: null, amountCents: 100 };
    expect(storedAllocations([a])).toEqual([a]);
    expect(() => storedAllocations([{ ...a, amountCents: 1.5 }])).toThrow(/not well formed/);
    expect(() => storedAllocations({})).toThrow(/not well formed/);
  });
});

describe("a link's payer", () => {
  it('is told a paid link is paid and an outstanding one can be paid, and never shown an expired or cancelled one', () => {
    expect(payerStatus('outstanding')).toBe('outstanding');
    expect(payerStatus('paid')).toBe('paid');
    expect(() => payerStatus('expired')).toThrow(expect.objectContaining({ code: 'link_expired' }));
    expect(() => payerStatus('cancelled')).toThrow(expect.objectContaining({ code: 'link_cancelled' }));
  });

  it('is told why a link cannot be paid now, each status its own code', () => {
    expect(notPayable('expired').message).toBe('this payment link has expired; ask the firm for a new one');
    expect(notPayable('paid').code).toBe('link_paid');
    expect(notPayable('outstanding').code).toBe('link_in_progress');
    expect(linkNotFound().code).toBe('not_found');
  });
});
