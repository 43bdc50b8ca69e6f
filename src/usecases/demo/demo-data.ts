import { cents } from '../../domain/money.ts';
import { addDays, calendarDateIn } from '../../domain/dates.ts';
import type { TakePaymentInput } from '../payments/take-payment.ts';
import type { SyncInput } from '../../contract/agent.ts';

/** Hartwell & Finch keep their books in Chicago: their days, and the demo's dates, are Central time. */
export const DEMO_TIME_ZONE = 'America/Chicago';

/** The demo firm's billing data: a small litigation and estates practice. */
export const DEMO_CLIENTS = [
  ['1001', 'Northwind Logistics, Inc.'],
  ['1002', 'Margaret A. Holloway'],
  ['1003', 'Bluebell Dental Group PLLC'],
  ['1004', 'Estate of Harold Finney'],
  ['1005', 'Cortez Family Trust'],
  ['1006', 'Redwood Ridge HOA'],
  ['1007', 'Samuel & Ines Okafor'],
  ['1008', 'Pioneer Feed & Grain Co.'],
] as const;

export const DEMO_MATTERS = [
  ['1001', '001', 'Warehouse lease dispute'],
  ['1001', '002', 'Driver employment claims'],
  ['1002', '001', 'Divorce and custody'],
  ['1003', '001', 'Practice acquisition'],
  ['1004', '001', 'Probate administration'],
  ['1005', '001', 'Trust administration'],
  ['1006', '001', 'Construction defect litigation'],
  ['1007', '001', 'Home purchase closing'],
  ['1008', '001', 'Commercial collections'],
] as const;

/** Invoice number, client, matter, days before today, total, balance, status. */
const INVOICES: [string, string, string, number, number, number, 'open' | 'paid' | 'void'][] = [
  ['24-0101', '1001', '001', 120, 482_500, 482_500, 'open'],
  ['24-0117', '1001', '001', 90, 129_000, 129_000, 'open'],
  ['24-0142', '1001', '002', 60, 76_250, 76_250, 'open'],
  ['24-0103', '1002', '001', 110, 350_000, 150_000, 'open'],
  ['24-0150', '1002', '001', 45, 212_575, 212_575, 'open'],
  ['24-0108', '1003', '001', 100, 1_250_000, 1_250_000, 'open'],
  ['24-0111', '1004', '001', 95, 98_000, 0, 'paid'],
  ['24-0158', '1004', '001', 30, 143_300, 143_300, 'open'],
  ['24-0121', '1006', '001', 80, 560_000, 560_000, 'open'],
  ['24-0163', '1006', '001', 20, 318_040, 318_040, 'open'],
  ['24-0127', '1007', '001', 75, 245_000, 245_000, 'void'],
  ['24-0166', '1007', '001', 15, 245_000, 245_000, 'open'],
  ['24-0131', '1008', '001', 70, 67_500, 67_500, 'open'],
  ['24-0170', '1008', '001', 10, 88_125, 88_125, 'open'],
];

export function demoSync(today: Date): SyncInput {
  const day = (daysAgo: number) => addDays(calendarDateIn(today, DEMO_TIME_ZONE), -daysAgo);
  return {
    clients: DEMO_CLIENTS.map(([clientNumber, name]) => ({ clientNumber, name })),
    matters: DEMO_MATTERS.map(([clientNumber, matterNumber, description]) => ({
      clientNumber,
      matterNumber,
      description,
    })),
    invoices: INVOICES.map(
      ([invoiceNumber, clientNumber, matterNumber, daysAgo, totalCents, balanceCents, status]) => ({
        invoiceNumber,
        clientNumber,
        matterNumber,
        invoiceDate: day(daysAgo),
        totalCents,
        balanceCents,
        status,
      }),
    ),
    full: true,
  };
}

type DemoPayment = Omit<TakePaymentInput, 'processorId' | 'processedAt' | 'paymentPageId'> & {
  page?: 'portal' | 'retainer' | 'events';
};

const card = (brand: string, last4: string) => ({
  method: 'card' as const,
  cardBrand: brand,
  cardFunding: 'credit' as const,
  last4,
});
const echeck = (last4: string) => ({ method: 'echeck' as const, last4 });
const op = { account: 'operating' as const };

/**
 * About forty payments of every origin, covering every conflict reason of SPEC §3.3.
 * The comment on each says what it shows in Manage Postings.
 */
export const DEMO_PAYMENTS: DemoPayment[] = [
  // pending: one invoice, paid in full or in part
  {
    origin: 'connect',
    ...op,
    ...card('visa', '4242'),
    amountCents: cents(129_000),
    payerName: 'Northwind Logistics, Inc.',
    payerEmail: 'ap@northwind.example',
    invoiceNumbers: ['24-0117'],
    clientNumber: '1001',
  },
  {
    origin: 'connect',
    ...op,
    ...echeck('6789'),
    amountCents: cents(50_000),
    payerName: 'Margaret Holloway',
    invoiceNumbers: ['24-0103'],
    clientNumber: '1002',
  },
  {
    origin: 'connect',
    ...op,
    ...card('mastercard', '5454'),
    // 3% of a $2,500.00 receipt.
    amountCents: cents(257_500),
    surchargeCents: cents(7_500),
    payerName: 'Bluebell Dental Group',
    invoiceNumbers: ['24-0108'],
    clientNumber: '1003',
  },
  {
    origin: 'connect',
    ...op,
    ...card('amex', '0005'),
    amountCents: cents(88_125),
    payerName: 'Pioneer Feed & Grain',
    invoiceNumbers: ['24-0170'],
    clientNumber: '1008',
  },
  {
    origin: 'connect',
    ...op,
    ...echeck('1122'),
    amountCents: cents(100_000),
    payerName: 'Redwood Ridge HOA',
    invoiceNumbers: ['24-0121'],
    clientNumber: '1006',
  },
  {
    origin: 'connect',
    ...op,
    ...card('visa', '1881'),
    amountCents: cents(40_000),
    payerName: 'Harold Finney Jr.',
    invoiceNumbers: ['24-0158'],
    clientNumber: '1004',
  },
  {
    origin: 'connect',
    ...op,
    ...card('discover', '1117'),
    amountCents: cents(30_000),
    payerName: 'Northwind Logistics, Inc.',
    invoiceNumbers: ['24-0142'],
    clientNumber: '1001',
  },
  // pending: the payer's own split across two invoices
  {
    origin: 'connect',
    ...op,
    ...card('visa', '4000'),
    amountCents: cents(146_250),
    payerName: 'Northwind Logistics, Inc.',
    clientNumber: '1001',
    allocations: [
      { invoiceNumber: '24-0101', clientNumber: null, matterNumber: null, amountCents: cents(100_000) },
      { invoiceNumber: '24-0142', clientNumber: null, matterNumber: null, amountCents: cents(46_250) },
    ],
  },
  // payment pages: the client portal makes posting records (person icon); events page does not
  {
    origin: 'payment_page',
    page: 'portal',
    ...op,
    ...card('visa', '4111'),
    amountCents: cents(67_500),
    payerName: 'Pioneer Feed & Grain Co.',
    invoiceNumbers: ['24-0131'],
    clientNumber: '1008',
  },
  {
    origin: 'payment_page',
    page: 'portal',
    ...op,
    ...card('mastercard', '4444'),
    amountCents: cents(20_000),
    payerName: 'Ines Okafor',
    invoiceNumbers: ['24-0166'],
    clientNumber: '1007',
  },
  {
    origin: 'payment_page',
    page: 'portal',
    ...op,
    ...echeck('3321'),
    amountCents: cents(12_500),
    payerName: 'Sam Okafor',
    invoiceNumbers: [],
  },
  {
    origin: 'payment_page',
    page: 'events',
    ...op,
    ...card('visa', '9995'),
    amountCents: cents(25_000),
    payerName: 'Bar Association Gala',
  },
  // trust: a retainer held for the matter, and one with no matter named
  {
    origin: 'payment_page',
    page: 'retainer',
    account: 'trust',
    ...card('visa', '0341'),
    amountCents: cents(500_000),
    payerName: 'Cortez Family Trust',
    clientNumber: '1005',
    matterNumber: '001',
  },
  {
    origin: 'connect',
    account: 'trust',
    ...echeck('7788'),
    amountCents: cents(250_000),
    payerName: 'Samuel Okafor',
    clientNumber: '1007',
    matterNumber: '001',
  },
  {
    origin: 'connect',
    account: 'trust',
    ...card('amex', '1009'),
    amountCents: cents(75_000),
    payerName: 'Unknown remitter',
  },
  // incomplete: trust money for a client and matter the MMS does not have
  {
    origin: 'payment_page',
    page: 'retainer',
    account: 'trust',
    ...card('visa', '5556'),
    amountCents: cents(500_000),
    payerName: 'Pembrook Holdings',
    clientNumber: '9999',
    matterNumber: '001',
  },
  // incomplete: no invoice number
  {
    origin: 'connect',
    ...op,
    ...card('visa', '2222'),
    amountCents: cents(35_000),
    payerName: 'Redwood Ridge HOA',
    clientNumber: '1006',
  },
  { origin: 'connect', ...op, ...echeck('9012'), amountCents: cents(18_000), payerName: 'M. Holloway' },
  // incomplete: an invoice number the firm does not have
  {
    origin: 'connect',
    ...op,
    ...card('mastercard', '8210'),
    amountCents: cents(64_000),
    payerName: 'Northwind Logistics, Inc.',
    invoiceNumbers: ['24-9999'],
    clientNumber: '1001',
  },
  {
    origin: 'payment_page',
    page: 'portal',
    ...op,
    ...card('visa', '6060'),
    amountCents: cents(15_000),
    payerName: 'Bluebell Dental',
    invoiceNumbers: ['INV 108'],
  },
  // incomplete: several invoice numbers (auto-apply is off in the demo firm)
  {
    origin: 'connect',
    ...op,
    ...card('visa', '7311'),
    amountCents: cents(300_000),
    payerName: 'Redwood Ridge HOA',
    invoiceNumbers: ['24-0121', '24-0163'],
    clientNumber: '1006',
  },
  {
    origin: 'connect',
    ...op,
    ...echeck('5190'),
    amountCents: cents(200_000),
    payerName: 'Margaret Holloway',
    invoiceNumbers: ['24-0103', '24-0150'],
    clientNumber: '1002',
  },
  // incomplete: the invoice is paid or void in the MMS
  {
    origin: 'connect',
    ...op,
    ...card('discover', '6011'),
    amountCents: cents(98_000),
    payerName: 'Estate of Harold Finney',
    invoiceNumbers: ['24-0111'],
    clientNumber: '1004',
  },
  {
    origin: 'connect',
    ...op,
    ...card('visa', '3300'),
    amountCents: cents(245_000),
    payerName: 'Okafor, Samuel',
    invoiceNumbers: ['24-0127'],
    clientNumber: '1007',
  },
  // incomplete: more than the open balance
  {
    origin: 'connect',
    ...op,
    ...card('amex', '3782'),
    amountCents: cents(200_000),
    payerName: 'Margaret Holloway',
    invoiceNumbers: ['24-0103'],
    clientNumber: '1002',
  },
  {
    origin: 'connect',
    ...op,
    ...echeck('4545'),
    amountCents: cents(90_000),
    payerName: 'Pioneer Feed & Grain',
    invoiceNumbers: ['24-0170'],
    clientNumber: '1008',
  },
  // incomplete: the invoice belongs to another client than the payer names
  {
    origin: 'connect',
    ...op,
    ...card('visa', '1212'),
    amountCents: cents(50_000),
    payerName: 'Bluebell Dental Group',
    invoiceNumbers: ['24-0163'],
    clientNumber: '1003',
  },
  // more pending business for the lists
  {
    origin: 'connect',
    ...op,
    ...card('visa', '8888'),
    amountCents: cents(60_000),
    payerName: 'Redwood Ridge HOA',
    invoiceNumbers: ['24-0163'],
    clientNumber: '1006',
  },
  {
    origin: 'connect',
    ...op,
    ...card('mastercard', '2020'),
    amountCents: cents(22_575),
    payerName: 'Margaret Holloway',
    invoiceNumbers: ['24-0150'],
    clientNumber: '1002',
  },
  {
    origin: 'payment_page',
    page: 'portal',
    ...op,
    ...card('visa', '7070'),
    amountCents: cents(43_300),
    payerName: 'Harold Finney Jr.',
    invoiceNumbers: ['24-0158'],
    clientNumber: '1004',
  },
  {
    origin: 'connect',
    ...op,
    ...echeck('6543'),
    amountCents: cents(100_000),
    payerName: 'Bluebell Dental Group PLLC',
    invoiceNumbers: ['24-0108'],
    clientNumber: '1003',
  },
  {
    origin: 'connect',
    ...op,
    ...card('visa', '9191'),
    amountCents: cents(29_000),
    payerName: 'Northwind Logistics, Inc.',
    invoiceNumbers: ['24-0117'],
    clientNumber: '1001',
  },
  // Payment Manager only: staff-keyed, scheduled and Send For Payment
  {
    origin: 'enter_payment',
    ...op,
    ...card('visa', '4343'),
    amountCents: cents(15_000),
    payerName: 'Walk-in: R. Patel',
  },
  {
    origin: 'enter_payment',
    ...op,
    ...echeck('0101'),
    amountCents: cents(82_000),
    payerName: 'Cortez Family Trust',
    clientNumber: '1005',
  },
  {
    origin: 'payment_schedule',
    ...op,
    ...card('mastercard', '5100'),
    amountCents: cents(50_000),
    payerName: 'Margaret Holloway',
  },
  {
    origin: 'payment_schedule',
    ...op,
    ...card('mastercard', '5100'),
    amountCents: cents(50_000),
    payerName: 'Margaret Holloway',
  },
  { origin: 'quick_link', ...op, ...card('visa', '4012'), amountCents: cents(35_000), payerName: 'Redwood Ridge HOA' },
  { origin: 'quick_link', ...op, ...echeck('2468'), amountCents: cents(12_000), payerName: 'Pioneer Feed & Grain' },
  // reversed later by the seed
  {
    origin: 'connect',
    ...op,
    ...card('visa', '0077'),
    amountCents: cents(10_000),
    payerName: 'Northwind Logistics, Inc.',
    invoiceNumbers: ['24-0101'],
    clientNumber: '1001',
  },
  {
    origin: 'connect',
    ...op,
    ...card('visa', '0088'),
    amountCents: cents(20_000),
    payerName: 'Bluebell Dental Group',
    invoiceNumbers: ['24-0108'],
    clientNumber: '1003',
  },
  {
    origin: 'connect',
    ...op,
    ...card('visa', '0099'),
    amountCents: cents(5_000),
    payerName: 'Redwood Ridge HOA',
    invoiceNumbers: ['24-0121'],
    clientNumber: '1006',
  },
];
