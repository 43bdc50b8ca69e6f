import { expect } from 'vitest';
import { call, type CallOptions, type TestApp, type TestFirm } from './app.ts';

let counter = 0;

/** Clients C1..C3, one matter each, and open invoices INV-100..INV-105 of $1,000 (INV-105 paid). `options` carries an agent's headers. */
export async function syncBasicMms(t: TestApp, firm: TestFirm, options: CallOptions = {}) {
  const res = await call(
    t,
    firm.agent,
    'POST',
    '/agent/sync',
    {
      clients: [
        { clientNumber: 'C1', name: 'Acme Holdings' },
        { clientNumber: 'C2', name: 'Baker & Sons' },
        { clientNumber: 'C3', name: 'Castle Trust' },
      ],
      matters: [
        { clientNumber: 'C1', matterNumber: 'M1', description: 'Lease dispute' },
        { clientNumber: 'C2', matterNumber: 'M1', description: 'Estate planning' },
        { clientNumber: 'C3', matterNumber: 'M9', description: 'Escrow' },
      ],
      invoices: [
        {
          invoiceNumber: 'INV-100',
          clientNumber: 'C1',
          matterNumber: 'M1',
          invoiceDate: '2026-01-05',
          totalCents: 100000,
          balanceCents: 100000,
          status: 'open',
        },
        {
          invoiceNumber: 'INV-101',
          clientNumber: 'C1',
          matterNumber: 'M1',
          invoiceDate: '2026-02-05',
          totalCents: 100000,
          balanceCents: 100000,
          status: 'open',
        },
        {
          invoiceNumber: 'INV-102',
          clientNumber: 'C1',
          matterNumber: 'M1',
          invoiceDate: '2026-03-05',
          totalCents: 100000,
          balanceCents: 100000,
          status: 'open',
        },
        {
          invoiceNumber: 'INV-103',
          clientNumber: 'C2',
          matterNumber: 'M1',
          invoiceDate: '2026-01-10',
          totalCents: 100000,
          balanceCents: 100000,
          status: 'open',
        },
        {
          invoiceNumber: 'INV-104',
          clientNumber: 'C2',
          matterNumber: 'M1',
          invoiceDate: '2026-01-11',
          totalCents: 100000,
          balanceCents: 100000,
          status: 'open',
        },
        {
          invoiceNumber: 'INV-105',
          clientNumber: 'C2',
          matterNumber: 'M1',
          invoiceDate: '2026-01-12',
          totalCents: 100000,
          balanceCents: 0,
          status: 'paid',
        },
      ],
      full: false,
    },
    options,
  );
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

export interface PaymentOverrides {
  [key: string]: unknown;
}

/** A card payment through the Connect flow for one invoice, with a fresh processorId. */
export function paymentBody(overrides: PaymentOverrides = {}) {
  counter += 1;
  return {
    processorId: `ch_test_${process.pid}_${counter}`,
    origin: 'connect',
    amountCents: 25000,
    method: 'card',
    cardBrand: 'visa',
    last4: '4242',
    account: 'operating',
    payerName: 'Acme Holdings',
    payerEmail: 'ap@acme.test',
    invoiceNumbers: ['INV-100'],
    clientNumber: 'C1',
    processedAt: new Date(Date.UTC(2026, 10, 1, 12, 0, counter)).toISOString(),
    ...overrides,
  };
}

export async function takePayment(t: TestApp, firm: TestFirm, overrides: PaymentOverrides = {}) {
  const res = await call(t, firm.accountant, 'POST', '/payments', paymentBody(overrides));
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{
    payment: { id: string };
    postingRecord: {
      id: string;
      status: string;
      reasons: string[];
      version: number;
      allocations: unknown[];
      postingDate: string;
    };
  }>();
}

/**
 * Acknowledges a batch as the agent does: every earlier batch still waiting first, in
 * order (the server takes batch N+1 only once N is delivered). `expectAnswer` goes with
 * the batch named; the earlier ones are taken as delivered without an answer.
 */
export async function acknowledgeInOrder(t: TestApp, firm: TestFirm, batchId: string, expectAnswer = false) {
  const waiting = (await call(t, firm.agent, 'GET', '/agent/batches')).json().items as {
    id: string;
    seq: number;
    sha256: string;
  }[];
  const target = waiting.find((b) => b.id === batchId);
  expect(target, `batch ${batchId} is not waiting`).toBeDefined();
  for (const b of waiting.filter((w) => w.seq <= target!.seq)) {
    const res = await call(t, firm.agent, 'POST', `/agent/batches/${b.id}/ack`, {
      sha256: b.sha256,
      expectAnswer: b.id === batchId ? expectAnswer : false,
    });
    expect(res.statusCode, res.body).toBe(200);
  }
}
