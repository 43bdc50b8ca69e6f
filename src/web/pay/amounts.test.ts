import { describe, expect, it } from 'vitest';
import { amountProblem, percentText, planInvoicePayment, planTrustPayment, type InvoiceChoice } from './amounts.ts';

const invoice = (invoiceNumber: string, balanceCents: number, amount: string, picked = true): InvoiceChoice => ({
  invoiceNumber,
  balanceCents,
  amount,
  picked,
});

describe('amountProblem', () => {
  it('reads dollars as exact cents, forgiving a $ and thousands commas', () => {
    expect(amountProblem('250', 100_000)).toEqual({ cents: 25_000, problem: null });
    expect(amountProblem('$1,000.00', 100_000)).toEqual({ cents: 100_000, problem: null });
    expect(amountProblem('0.29', null)).toEqual({ cents: 29, problem: null });
    // A float would make 1.15 dollars 114.99999999999999 cents.
    expect(amountProblem('1.15', null).cents).toBe(115);
  });
  it('refuses what is not an amount, zero, negatives and more than is due', () => {
    expect(amountProblem('', 100).problem).toBe('Enter the amount to pay');
    expect(amountProblem('12.345', 100_000).problem).toMatch(/like 1234.56/);
    expect(amountProblem('1e3', 100_000).problem).toMatch(/like 1234.56/);
    expect(amountProblem('0.00', 100).problem).toBe('Enter an amount more than $0.00');
    expect(amountProblem('-5', 10_000).problem).toBe('Enter an amount more than $0.00');
    expect(amountProblem('1,000.01', 100_000).problem).toBe('Enter no more than the $1,000.00 due');
  });
});

describe('planInvoicePayment', () => {
  it('adds the ticked invoices and the surcharge rounded half up, as the server charges it', () => {
    const plan = planInvoicePayment(
      [
        invoice('INV-100', 100_000, '100.01'),
        invoice('INV-101', 100_000, '0.50'),
        invoice('INV-102', 100_000, '999', false),
      ],
      300,
    );
    expect(plan.allocations).toEqual([
      { invoiceNumber: 'INV-100', amountCents: 10_001 },
      { invoiceNumber: 'INV-101', amountCents: 50 },
    ]);
    expect(plan.receiptCents).toBe(10_051);
    // 10,051 × 3% = 301.53 → 302 cents.
    expect(plan.surchargeCents).toBe(302);
    expect(plan.totalCents).toBe(10_353);
    expect(plan.blocked).toBeNull();
  });
  it('rounds exactly half a cent up and less than half down', () => {
    expect(planInvoicePayment([invoice('A', 100, '0.50')], 100).surchargeCents).toBe(1);
    expect(planInvoicePayment([invoice('A', 100, '0.49')], 100).surchargeCents).toBe(0);
    expect(planInvoicePayment([invoice('A', 100_000, '100.01')], 300).surchargeCents).toBe(300);
  });
  it('has no surcharge on a page without one', () => {
    const plan = planInvoicePayment([invoice('A', 100_000, '250.00')], 0);
    expect(plan).toMatchObject({ receiptCents: 25_000, surchargeCents: 0, totalCents: 25_000 });
  });
  it('says why nothing can be paid yet, naming each bad amount', () => {
    expect(planInvoicePayment([invoice('A', 100, '1', false)], 0).blocked).toBe('Choose at least one invoice to pay.');
    const plan = planInvoicePayment([invoice('A', 10_000, '100.01'), invoice('B', 10_000, 'ten')], 300);
    expect(plan.problems).toEqual({ A: 'Enter no more than the $100.00 due', B: 'Enter an amount like 1234.56' });
    expect(plan.blocked).toBe('Fix the amounts marked in red.');
    expect(plan).toMatchObject({ allocations: [], totalCents: 0 });
  });
});

describe('planTrustPayment', () => {
  it('charges the amount plus the surcharge', () => {
    expect(planTrustPayment('500', 250)).toMatchObject({
      amountCents: 50_000,
      receiptCents: 50_000,
      surchargeCents: 1_250,
      totalCents: 51_250,
      blocked: null,
    });
    expect(planTrustPayment('', 0)).toMatchObject({ amountCents: null, blocked: 'Enter the amount to pay.' });
  });
});

describe('percentText', () => {
  it('writes basis points as a percentage without float arithmetic', () => {
    expect(percentText(300)).toBe('3%');
    expect(percentText(250)).toBe('2.5%');
    expect(percentText(275)).toBe('2.75%');
    expect(percentText(5)).toBe('0.05%');
    expect(percentText(1000)).toBe('10%');
  });
});
