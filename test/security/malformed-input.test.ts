import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MMS_KINDS } from '../../src/domain/mms-kinds.ts';
import { signatureHeader } from '../../src/processor/webhook-signature.ts';
import { listRoutes, type RouteEntry } from '../../src/server/app.ts';
import { paymentIn } from '../../src/contract/fields.ts';
import { encodeCursor } from '../../src/domain/paging.ts';
import { call, createTestFirm, startTestApp, TEST_PASSWORD, type TestApp, type TestFirm } from '../support/app.ts';
import { paymentBody, syncBasicMms, takePayment } from '../support/fixtures.ts';
import { cardToken, webhookSecret, payOut } from '../support/processor.ts';
import { firmSnapshot, tableCounts } from '../support/snapshot.ts';
import { recordingMailer } from '../support/mail.ts';

/**
 * SPEC §2 and issue 10: a corpus of malformed values (oversized, fractional and string
 * money, unpaired surrogates, control characters, U+2028/U+2029, dates in the years 0000,
 * 1899, 3000 and 10000, crafted cursors, overlong strings, wrong types) goes into every
 * field of every route that takes input, one field at a time, on an otherwise valid
 * request. Every answer is a 4xx, never a 5xx; a 400 names the field; nothing changes.
 *
 * The routes are read from the app, with their request schemas: a route that takes input
 * without a case below, or a field its schema declares that no case sends, fails this file.
 */

const PREFIX = '/api/v1';

/** One valid request; query and params values are sent as written (already URL-safe). */
interface Form {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
}

type Caller = 'viewer' | 'accountant' | 'admin' | 'agent' | 'anonymous' | 'webhook';

interface Targets {
  firm: TestFirm;
  pending: { id: string; version: number };
  removedId: string;
  paymentId: string;
  processorId: string;
  queuedBatchId: string;
  pageId: string;
  /** The firm's default accounts, and one more to change. */
  operatingAccountId: string;
  trustAccountId: string;
  depositAccountId: string;
  linkToken: string;
  quickToken: string;
  quickLinkId: string;
  linkId: string;
  scheduleId: string;
  agentTokenId: string;
  cardToken: string;
  cursor: string;
  payoutId: string;
  webhookEndpointId: string;
  /** The firm's viewer, and a set-password link of an invited user. */
  userId: string;
  passwordToken: string;
}

interface InputCase {
  caller: Caller;
  forms: (x: Targets) => Form[];
}

// ---- the corpus -------------------------------------------------------------------------

const WRONG_TYPES = [42, true, null, {}, []];
const TEXT: unknown[] = [
  'x\ud800y',
  '\udc00',
  'tail\udbff', // unpaired surrogates
  'a\u0000b',
  'a\u0007b',
  'a\tb',
  'a\rb',
  'a\u001bb',
  'a\u007fb',
  'a\u0085b',
  'a\u009fb', // control characters
  'a\u2028b',
  'a\u2029b',
  'x'.repeat(5000),
  ...WRONG_TYPES,
];
const LINE_BREAKS = ['a\nb', 'a\r\nb'];
const MONEY: unknown[] = [
  10_000_000_001,
  -10_000_000_001,
  9_007_199_254_740_991,
  2 ** 53,
  1e21,
  12.5,
  0.001,
  -0.5,
  '100',
  '1e3',
  true,
  null,
  {},
  [],
];
const DATES: unknown[] = [
  '0000-01-01',
  '1899-12-31',
  '3000-01-01',
  '10000-01-01',
  '+002026-01-01',
  '2026-02-30',
  '2026-13-01',
  '26-01-01',
  '2026-01-01T00:00:00Z',
  20260101,
  null,
];
const INSTANTS: unknown[] = [
  '0000-01-01T00:00:00Z',
  '1899-12-31T23:59:59Z',
  '3000-01-01T00:00:00Z',
  '10000-01-01T00:00:00Z',
  '+010000-01-01T00:00:00Z',
  '9999-12-31T23:00:00-05:00', // year 10000 in UTC
  '2999-12-31T23:30:00-01:00', // year 3000 in UTC
  '1900-01-01T00:30:00+01:00', // year 1899 in UTC
  '2026-02-30T00:00:00Z',
  '2026-01-01',
  'yesterday',
  1_700_000_000_000,
  null,
];
const INTEGERS: unknown[] = [1.5, '1', 1e21, null, true, {}, []];
const BOOLEANS: unknown[] = ['yes', 'true', 1, 0, null, {}];
const CONTAINERS: unknown[] = ['x', 42, null];

const b64 = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const QUERY_TEXT = [
  '%00',
  'a%07b',
  'a%09b',
  'a%0Ab',
  'a%0D%0Ab',
  'a%1Bb',
  'a%7Fb',
  'a%C2%85b',
  'a%E2%80%A8b',
  'a%E2%80%A9b',
  'x'.repeat(5000),
];
const QUERY_MONEY = ['10000000001', '-10000000001', '9007199254740993', '1e21', '12.5', 'abc', 'Infinity'];
const QUERY_DATES = [
  '0000-01-01',
  '1899-12-31',
  '3000-01-01',
  '10000-01-01',
  '2026-02-30',
  'abc',
  '2026-01-01T00:00:00Z',
];
const QUERY_INTEGERS = ['1.5', 'abc', '1e21', '0', '-1', '100000'];
const QUERY_WAIT_SECONDS = ['1.5', 'abc', '1e21', '56', '-1', '100000', '%00'];
const uuid = '00000000-0000-4000-8000-000000000000';
const CURSORS = [
  'abc',
  '!!!',
  '%00',
  'a%E2%80%A8b',
  'x'.repeat(300),
  '0',
  '-1',
  '1.5',
  '9999999999',
  '2147483648',
  b64('junk'),
  b64([]),
  b64({ at: '2026-01-01T00:00:00.000Z' }),
  b64(['2026-01-01T00:00:00.000Z', 42]),
  b64(['2026-01-01T00:00:00.000Z', 'not-a-uuid']),
  b64(['not a date', uuid]),
  b64(['0000-01-01T00:00:00.000Z', uuid]),
  b64(['1899-12-31T23:59:59.000Z', uuid]),
  b64(['3000-01-01T00:00:00.000Z', uuid]),
  b64(['+010000-01-01T00:00:00.000Z', uuid]),
  b64(['-000001-01-01T00:00:00.000Z', uuid]),
  b64(['+275760-09-13T00:00:00.000Z', uuid]),
];
const PARAMS = ['a%00b', 'a%07b', 'a%E2%80%A8b', '%ED%A0%80', '%FF', 'x'.repeat(300)];

const last = (path: string) => path.split('.').at(-1) ?? path;

function bodyCorpus(path: string, value: unknown): unknown[] {
  const name = last(path);
  if (name.endsWith('Cents')) return MONEY;
  if (name === 'processedAt') return INSTANTS;
  if (name === 'invoiceDate' || name === 'startOn') return DATES;
  if (name === 'created') return [...INTEGERS, -2_208_988_801, 32_503_680_000]; // Unix seconds in 1899 and 3000
  if (name === 'memo' || name === 'defaultMemo') return TEXT; // a memo keeps its line breaks, and nothing else of that kind
  if (typeof value === 'string') return [...TEXT, ...LINE_BREAKS];
  if (typeof value === 'number') return INTEGERS;
  if (typeof value === 'boolean') return BOOLEANS;
  return CONTAINERS;
}

function queryCorpus(name: string): string[] {
  if (name === 'cursor') return CURSORS;
  if (name.endsWith('Cents')) return QUERY_MONEY;
  if (name === 'from' || name === 'to') return QUERY_DATES;
  if (name === 'limit') return QUERY_INTEGERS;
  if (name === 'waitSeconds') return QUERY_WAIT_SECONDS;
  return QUERY_TEXT;
}

// ---- the routes -------------------------------------------------------------------------

const filters = {
  q: 'Acme',
  from: '2026-01-01',
  to: '2026-12-31',
  minCents: '1',
  maxCents: '100000',
  account: 'operating',
  origin: 'connect',
};
const payer = { payerName: 'Corpus Payer', payerEmail: 'corpus@acme.test' };
const fullPayment = (x: Targets) =>
  paymentBody({
    processorId: 'ch_corpus_1',
    origin: 'payment_page',
    paymentPageId: x.pageId,
    depositAccountId: x.operatingAccountId,
    surchargeCents: 0,
    cardFunding: 'debit',
    invoiceNumbers: ['INV-103'],
    allocations: [{ invoiceNumber: 'INV-103', amountCents: 25000 }],
    clientNumber: 'C2',
    matterNumber: 'M1',
  });
const trustPayment = (x: Targets) =>
  paymentBody({
    processorId: 'ch_corpus_2',
    account: 'trust',
    depositAccountId: x.trustAccountId,
    invoiceNumbers: [],
    allocations: [{ clientNumber: 'C1', matterNumber: 'M1', amountCents: 25000 }],
    clientNumber: 'C1',
    matterNumber: 'M1',
  });
const syncBody = {
  clients: [{ clientNumber: 'C7', name: 'Seventh Client' }],
  matters: [{ clientNumber: 'C7', matterNumber: 'M7', description: 'New matter' }],
  invoices: [
    {
      invoiceNumber: 'INV-900',
      clientNumber: 'C7',
      matterNumber: 'M7',
      invoiceDate: '2026-04-01',
      totalCents: 50000,
      balanceCents: 50000,
      status: 'open',
    },
  ],
  full: false,
  readAfter: '2026-04-01T12:00:00.000Z',
};

const CASES: Record<string, InputCase> = {
  'POST /session': {
    caller: 'anonymous',
    forms: (x) => [
      { body: { email: x.firm.emails.accountant, password: TEST_PASSWORD } },
      { body: { email: x.firm.emails.viewer, password: TEST_PASSWORD, code: '123456' } },
    ],
  },
  'GET /postings': {
    caller: 'viewer',
    forms: (x) => [{ query: { ...filters, view: 'pending', cursor: x.cursor, limit: '50', sort: 'desc' } }],
  },
  'GET /postings/counts': { caller: 'viewer', forms: () => [{ query: filters }] },
  'GET /postings/:id': { caller: 'viewer', forms: (x) => [{ params: { id: x.pending.id } }] },
  'GET /postings/:id/suggestion': { caller: 'viewer', forms: (x) => [{ params: { id: x.pending.id } }] },
  'POST /postings/:id/correct': {
    caller: 'accountant',
    forms: (x) => [
      {
        params: { id: x.pending.id },
        body: {
          version: x.pending.version,
          allocations: [{ invoiceNumber: 'INV-101', amountCents: 25000 }],
          memo: 'applied to the wrong invoice',
        },
      },
      {
        params: { id: x.pending.id },
        body: {
          version: x.pending.version,
          allocations: [{ clientNumber: 'C1', matterNumber: 'M1', amountCents: 25000 }],
        },
      },
    ],
  },
  'PATCH /postings/:id': {
    caller: 'accountant',
    forms: (x) => [
      {
        params: { id: x.pending.id },
        body: {
          version: x.pending.version,
          allocations: [{ invoiceNumber: 'INV-101', amountCents: 25000 }],
          memo: 'paid in full',
          acceptClientMismatch: true,
          mmsProblemFixed: true,
        },
      },
      {
        params: { id: x.pending.id },
        body: {
          version: x.pending.version,
          allocations: [{ clientNumber: 'C1', matterNumber: 'M1', amountCents: 25000 }],
        },
      },
    ],
  },
  'POST /postings/post': {
    caller: 'accountant',
    forms: (x) => [{ body: { ids: [x.pending.id] } }, { body: { all: true } }],
  },
  'POST /postings/remove': {
    caller: 'accountant',
    forms: (x) => [{ body: { ids: [x.pending.id], note: 'entered by hand' } }],
  },
  'POST /postings/move-to-pending': { caller: 'accountant', forms: (x) => [{ body: { ids: [x.removedId] } }] },
  'POST /payments': { caller: 'accountant', forms: (x) => [{ body: fullPayment(x) }, { body: trustPayment(x) }] },
  'POST /payments/:id/reverse': {
    caller: 'accountant',
    forms: (x) => [
      { params: { id: x.paymentId }, body: { kind: 'void' } },
      { params: { id: x.paymentId }, body: { kind: 'refund', amountCents: 100 } },
    ],
  },
  'GET /payments': {
    caller: 'viewer',
    forms: (x) => [{ query: { ...filters, status: 'approved', cursor: x.cursor, limit: '50', sort: 'asc' } }],
  },
  'GET /batches': { caller: 'viewer', forms: () => [{ query: { cursor: '5', limit: '10' } }] },
  'GET /batches/:id': { caller: 'viewer', forms: (x) => [{ params: { id: x.queuedBatchId } }] },
  'GET /batches/:id/file': { caller: 'viewer', forms: (x) => [{ params: { id: x.queuedBatchId } }] },
  // waitSeconds 0: a valid form answers at once; each bad value is refused before any wait.
  'GET /agent/batches': { caller: 'agent', forms: () => [{ query: { waitSeconds: '0' } }] },
  'GET /agent/batches/:id/file': { caller: 'agent', forms: (x) => [{ params: { id: x.queuedBatchId } }] },
  'POST /agent/batches/:id/ack': {
    caller: 'agent',
    forms: (x) => [{ params: { id: x.queuedBatchId }, body: { sha256: 'a'.repeat(64), expectAnswer: true } }],
  },
  'POST /agent/batches/:id/quarantine': {
    caller: 'agent',
    forms: (x) => [
      {
        params: { id: x.queuedBatchId },
        body: { reason: '/mms/inbox/PB_X_000001.csv already exists with other bytes' },
      },
    ],
  },
  'POST /agent/batches/:id/outcome': {
    caller: 'agent',
    forms: (x) => [
      {
        params: { id: x.queuedBatchId },
        body: { outcome: 'rejected', message: 'refused by the ledger:\nperiod closed' },
      },
      {
        params: { id: x.queuedBatchId },
        body: { records: [{ recordId: x.pending.id, outcome: 'rejected', message: 'no such matter' }] },
      },
    ],
  },
  'POST /agent/sync': {
    caller: 'agent',
    forms: () => [
      { body: syncBody },
      { body: { ...syncBody, full: true, earlierInvoiceNumbers: ['INV-100', 'INV-101'] } },
    ],
  },
  'GET /postings/export.xlsx': {
    caller: 'viewer',
    forms: () => [{ query: { ...filters, view: 'all', sort: '-amount' } }],
  },
  'GET /payments/export.xlsx': {
    caller: 'viewer',
    forms: () => [{ query: { ...filters, status: 'approved', sort: 'payer' } }],
  },
  'GET /deposits': {
    caller: 'viewer',
    forms: (x) => [
      {
        query: {
          from: '2026-11-01',
          to: '2026-11-30',
          account: 'trust',
          depositAccountId: x.trustAccountId,
          cursor: x.cursor,
          limit: '50',
        },
      },
    ],
  },
  'GET /deposits/statement': { caller: 'viewer', forms: () => [{ query: { month: '2026-11' } }] },
  'GET /deposits/export.xlsx': { caller: 'viewer', forms: () => [{ query: { month: '2026-11' } }] },
  'GET /deposits/:id': { caller: 'viewer', forms: (x) => [{ params: { id: x.payoutId } }] },
  'GET /deposits/:id/export.xlsx': { caller: 'viewer', forms: (x) => [{ params: { id: x.payoutId } }] },
  'GET /invoices': { caller: 'viewer', forms: () => [{ query: { q: 'INV', status: 'open', limit: '20' } }] },
  'GET /matters': { caller: 'viewer', forms: () => [{ query: { q: 'Acme', limit: '20' } }] },
  'POST /payment-pages': {
    caller: 'admin',
    forms: (x) => [
      {
        body: {
          name: 'Corpus page',
          slug: 'corpus-new',
          account: 'operating',
          depositAccountId: x.operatingAccountId,
          createPostingRecord: true,
          surchargeBps: 0,
        },
      },
    ],
  },
  'PATCH /payment-pages/:id': {
    caller: 'admin',
    forms: (x) => [
      {
        params: { id: x.pageId },
        body: {
          name: 'Renamed',
          slug: 'corpus-renamed',
          account: 'trust',
          depositAccountId: x.trustAccountId,
          createPostingRecord: false,
          surchargeBps: 100,
          enabled: false,
        },
      },
    ],
  },
  'PATCH /settings': {
    caller: 'admin',
    forms: () => [
      {
        body: {
          name: 'Renamed LLP',
          mmsKind: MMS_KINDS[0],
          fileFormat: 'juris-csv',
          fileFormatVersion: 2,
          autoApply: true,
          usePostedDate: true,
          autoPost: true,
          autoPostMinutes: 30,
          timeZone: 'America/Los_Angeles',
          requireAdminTwoFactor: false,
        },
      },
    ],
  },
  'POST /settings/webhook-secret': { caller: 'admin', forms: () => [{ body: {} }] },
  'POST /deposit-accounts': {
    caller: 'admin',
    forms: () => [
      {
        body: {
          name: 'Corpus escrow',
          kind: 'trust',
          bankAccountCode: 'ESC-1',
          ledgerCode: '2100',
          transType: 'TRST',
          defaultMemo: 'Held in escrow',
          isDefault: false,
        },
      },
    ],
  },
  'PATCH /deposit-accounts/:id': {
    caller: 'admin',
    forms: (x) => [
      {
        params: { id: x.depositAccountId },
        body: {
          name: 'Corpus renamed',
          bankAccountCode: 'ESC-2',
          ledgerCode: '2200',
          transType: 'TR',
          defaultMemo: 'Escrow',
          isDefault: true,
          archived: false,
        },
      },
    ],
  },
  'POST /tokens': {
    caller: 'admin',
    forms: (x) => [
      { body: { kind: 'user', label: 'corpus', email: x.firm.emails.viewer } },
      { body: { kind: 'agent', label: 'corpus' } },
    ],
  },
  'DELETE /tokens/:id': { caller: 'admin', forms: (x) => [{ params: { id: x.agentTokenId } }] },
  'POST /webhook-endpoints': {
    caller: 'admin',
    forms: () => [
      {
        body: {
          label: 'Corpus hook',
          url: 'https://hooks.example.com/in',
          kinds: ['payment.taken', 'batch.created'],
          enabled: true,
        },
      },
    ],
  },
  'PATCH /webhook-endpoints/:id': {
    caller: 'admin',
    forms: (x) => [
      {
        params: { id: x.webhookEndpointId },
        body: { label: 'Renamed', url: 'http://127.0.0.1:9/in', kinds: ['payout.paid'], enabled: false },
      },
    ],
  },
  'DELETE /webhook-endpoints/:id': { caller: 'admin', forms: (x) => [{ params: { id: x.webhookEndpointId } }] },
  'POST /webhook-endpoints/:id/secret': { caller: 'admin', forms: (x) => [{ params: { id: x.webhookEndpointId } }] },
  'POST /webhook-endpoints/:id/test': { caller: 'admin', forms: (x) => [{ params: { id: x.webhookEndpointId } }] },
  'GET /webhook-endpoints/:id/deliveries': {
    caller: 'admin',
    forms: (x) => [{ params: { id: x.webhookEndpointId } }],
  },
  'GET /audit-events': {
    caller: 'admin',
    forms: () => [
      {
        query: {
          actor: 'system',
          action: 'token_created',
          from: '2026-01-01',
          to: '2026-12-31',
          cursor: Buffer.from('audit:12345').toString('base64url'),
          limit: '50',
        },
      },
    ],
  },
  'GET /audit-events/export.xlsx': {
    caller: 'admin',
    forms: () => [{ query: { actor: 'system', action: 'token_created', from: '2026-01-01', to: '2026-12-31' } }],
  },
  'POST /connect-payments': {
    caller: 'accountant',
    forms: (x) => [
      { body: { token: x.cardToken, ...payer, allocations: [{ invoiceNumber: 'INV-103', amountCents: 1000 }] } },
      { body: { token: x.cardToken, ...payer, autoApply: true, invoiceNumbers: ['INV-103'], amountCents: 1000 } },
    ],
  },
  'POST /payment-links': {
    caller: 'accountant',
    forms: () => [
      { body: { ...payer, allocations: [{ invoiceNumber: 'INV-103', amountCents: 1000 }] } },
      { body: { ...payer, autoApply: true, invoiceNumbers: ['INV-103'], amountCents: 1000 } },
    ],
  },
  'GET /payment-links': { caller: 'viewer', forms: () => [{ query: { status: 'outstanding', limit: '10' } }] },
  'POST /payment-links/:id/cancel': { caller: 'accountant', forms: (x) => [{ params: { id: x.linkId }, body: {} }] },
  'POST /payment-links/:id/resend': {
    caller: 'accountant',
    forms: (x) => [{ params: { id: x.linkId }, body: { to: 'corpus@payer.test' } }],
  },
  'POST /enter-payment': {
    caller: 'accountant',
    forms: (x) => [
      {
        body: {
          token: x.cardToken,
          amountCents: 1000,
          account: 'operating',
          depositAccountId: x.operatingAccountId,
          ...payer,
          invoiceNumbers: ['INV-103'],
          clientNumber: 'C2',
          matterNumber: 'M1',
        },
      },
    ],
  },
  'POST /quick-links': {
    caller: 'accountant',
    forms: (x) => [
      {
        body: {
          amountCents: 1000,
          description: 'Retainer',
          account: 'operating',
          depositAccountId: x.operatingAccountId,
          ...payer,
          expiresInDays: 30,
        },
      },
    ],
  },
  'GET /quick-links': { caller: 'viewer', forms: () => [{ query: { status: 'outstanding', limit: '10' } }] },
  'POST /quick-links/:id/cancel': { caller: 'accountant', forms: (x) => [{ params: { id: x.quickLinkId }, body: {} }] },
  'POST /payment-links/:id/email': {
    caller: 'accountant',
    forms: (x) => [{ params: { id: x.linkId }, body: { token: x.linkToken, to: 'corpus@payer.test' } }],
  },
  'POST /quick-links/:id/resend': {
    caller: 'accountant',
    forms: (x) => [{ params: { id: x.quickLinkId }, body: { to: 'corpus@payer.test' } }],
  },
  'POST /quick-links/:id/email': {
    caller: 'accountant',
    forms: (x) => [{ params: { id: x.quickLinkId }, body: { token: x.quickToken, to: 'corpus@payer.test' } }],
  },
  'PATCH /me/notifications': { caller: 'viewer', forms: () => [{ body: { mode: 'each' } }] },
  'GET /settings/outbox': { caller: 'admin', forms: () => [{ query: { limit: '20' } }] },
  'POST /payment-schedules': {
    caller: 'accountant',
    forms: (x) => {
      const schedule = {
        token: x.cardToken,
        amountCents: 1000,
        account: 'operating',
        description: 'Monthly',
        ...payer,
        interval: 'monthly',
        startOn: '2099-01-01',
      };
      return [
        { body: { ...schedule, clientNumber: 'C1', matterNumber: 'M1', depositAccountId: x.operatingAccountId } },
        { body: { ...schedule, interval: 'weekly', endsOn: '2099-06-30' } },
        { body: { ...schedule, endAfterCount: 12 } },
        { body: { ...schedule, untilInvoicePaid: true, invoiceNumber: 'INV-103' } },
      ];
    },
  },
  'POST /payment-schedules/:id/cancel': {
    caller: 'accountant',
    forms: (x) => [{ params: { id: x.scheduleId }, body: {} }],
  },
  'GET /pay/:slug': { caller: 'anonymous', forms: () => [{ params: { slug: 'corpus-op' } }] },
  'POST /pay/:slug/lookup': {
    caller: 'anonymous',
    forms: () => [
      { params: { slug: 'corpus-op' }, body: { clientNumber: 'C1', invoiceNumber: 'INV-100', matterNumber: 'M1' } },
    ],
  },
  'POST /pay/:slug/payments': {
    caller: 'anonymous',
    forms: (x) => [
      {
        params: { slug: 'corpus-op' },
        body: {
          clientNumber: 'C1',
          invoiceNumber: 'INV-100',
          matterNumber: 'M1',
          token: x.cardToken,
          ...payer,
          allocations: [{ invoiceNumber: 'INV-102', amountCents: 1000 }],
        },
      },
      {
        params: { slug: 'corpus-trust' },
        body: { clientNumber: 'C1', matterNumber: 'M1', token: x.cardToken, ...payer, amountCents: 1000 },
      },
    ],
  },
  'GET /pay/link/:token': { caller: 'anonymous', forms: (x) => [{ params: { token: x.linkToken } }] },
  'POST /pay/link/:token': {
    caller: 'anonymous',
    forms: (x) => [{ params: { token: x.linkToken }, body: { ...payer, token: x.cardToken } }],
  },
  'GET /pay/quick/:token': { caller: 'anonymous', forms: (x) => [{ params: { token: x.quickToken } }] },
  'POST /pay/quick/:token': {
    caller: 'anonymous',
    forms: (x) => [{ params: { token: x.quickToken }, body: { ...payer, token: x.cardToken } }],
  },
  'POST /sandbox/tokens': {
    caller: 'anonymous',
    forms: () => [
      { body: { cardNumber: '4242 4242 4242 4242', expMonth: 12, expYear: 2030, cvc: '123' } },
      { body: { routingNumber: '110000000', accountNumber: '000123456789' } },
    ],
  },
  'GET /sandbox/bins/:bin': { caller: 'anonymous', forms: () => [{ params: { bin: '424242' } }] },
  // Its body is parsed by the route after the signature is checked, so no schema is
  // registered for it: the forms name every field of both kinds of event.
  'POST /users': {
    caller: 'admin',
    forms: () => [{ body: { email: 'corpus-invite@corpus.test', name: 'Corpus Invite', role: 'viewer' } }],
  },
  'PATCH /users/:id': {
    caller: 'admin',
    forms: (x) => [{ params: { id: x.userId }, body: { role: 'viewer', active: true } }],
  },
  'POST /users/:id/password-link': { caller: 'admin', forms: (x) => [{ params: { id: x.userId }, body: {} }] },
  'POST /password-links/look-up': { caller: 'anonymous', forms: (x) => [{ body: { token: x.passwordToken } }] },
  'POST /password-links/use': {
    caller: 'anonymous',
    forms: (x) => [{ body: { token: x.passwordToken, password: 'a long and quiet river' } }],
  },
  'POST /me/two-factor': { caller: 'viewer', forms: () => [{ body: {} }] },
  'POST /me/two-factor/confirm': { caller: 'viewer', forms: () => [{ body: { code: '123456' } }] },
  'POST /me/two-factor/disable': { caller: 'viewer', forms: () => [{ body: { code: '123456' } }] },
  'POST /webhooks/processor/:firmCode': {
    caller: 'webhook',
    forms: (x) => [
      {
        params: { firmCode: x.firm.code },
        body: { id: 'evt_corpus_1', type: 'payment.approved', created: 1_700_000_000, data: fullPayment(x) },
      },
      {
        params: { firmCode: x.firm.code },
        body: {
          id: 'evt_corpus_2',
          type: 'payment.refunded',
          created: 1_700_000_000,
          data: { processorId: x.processorId },
        },
      },
    ],
  },
};

// ---- reading the routes' schemas --------------------------------------------------------

interface ZodDef {
  type: string;
  shape?: Record<string, unknown>;
  element?: unknown;
  options?: unknown[];
  innerType?: unknown;
  in?: unknown;
}

function defOf(schema: unknown): ZodDef {
  return (schema as { _zod: { def: ZodDef } })._zod.def;
}

/** Every field a zod schema declares, as dotted paths with `*` for an array's items. */
function declaredFields(schema: unknown, prefix: string, out: Set<string>): Set<string> {
  if (schema === undefined) return out;
  const def = defOf(schema);
  const wrapped = def.innerType ?? (def.type === 'pipe' ? def.in : undefined);
  if (wrapped !== undefined) return declaredFields(wrapped, prefix, out);
  if (def.type === 'object') {
    for (const [key, field] of Object.entries(def.shape ?? {}))
      declaredFields(field, prefix ? `${prefix}.${key}` : key, out);
  } else if (def.type === 'array') {
    declaredFields(def.element, `${prefix}.*`, out);
  } else if (def.type === 'union') {
    for (const option of def.options ?? []) declaredFields(option, prefix, out);
  } else {
    out.add(prefix);
  }
  return out;
}

/** Every path in a JSON value: containers and leaves, arrays' items by index. */
function pathsOf(value: unknown, prefix = ''): { path: string; value: unknown }[] {
  const here = prefix ? [{ path: prefix, value }] : [];
  if (Array.isArray(value))
    return [...here, ...value.flatMap((item, i) => pathsOf(item, prefix ? `${prefix}.${i}` : String(i)))];
  if (value !== null && typeof value === 'object') {
    return [
      ...here,
      ...Object.entries(value).flatMap(([key, item]) => pathsOf(item, prefix ? `${prefix}.${key}` : key)),
    ];
  }
  return here;
}

const generic = (path: string) => path.replace(/\.\d+(?=\.|$)/g, '.*');

function withValue(body: unknown, path: string, value: unknown): unknown {
  const copy: unknown = structuredClone(body);
  const keys = path.split('.');
  let at = copy as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) at = at[key] as Record<string, unknown>;
  at[keys.at(-1)!] = value;
  return copy;
}

/** `GET /postings/:id` for a route at /api/v1/postings/:id. */
const keyOf = (route: Pick<RouteEntry, 'method' | 'url'>) =>
  `${route.method} ${route.url.startsWith(PREFIX) ? route.url.slice(PREFIX.length) : route.url}`;

const takesInput = (route: RouteEntry) =>
  route.method !== 'HEAD' &&
  (route.input.body !== undefined || route.input.querystring !== undefined || route.input.params !== undefined);

interface ErrorBody {
  error?: { code?: string; message?: string; details?: { field?: string; issues?: { field: string }[] } };
}

/** SPEC §9: every error answer is { error: { code, message, details? } }. */
function hasErrorShape(res: LightMyRequestResponse): boolean {
  try {
    const { error } = res.json<ErrorBody>();
    return typeof error?.code === 'string' && typeof error.message === 'string';
  } catch {
    return false;
  }
}

/** Whether a 400 names the field: in its details, or as `path:` in its message. */
function namesField(res: LightMyRequestResponse, where: 'body' | 'querystring', field: string): boolean {
  let parsed: ErrorBody;
  try {
    parsed = res.json<ErrorBody>();
  } catch {
    return false;
  }
  const details = parsed.error?.details;
  const named = [details?.field, ...(details?.issues ?? []).map((i) => i.field)].filter(
    (f): f is string => typeof f === 'string',
  );
  const full = where === 'body' ? field : `querystring.${field}`;
  return named.some((f) => f === full || f === field) || (parsed.error?.message ?? '').includes(`${full}:`);
}

// ---- the test ---------------------------------------------------------------------------

describe('a malformed-input corpus over every route that takes input', () => {
  let t: TestApp;
  let firm: TestFirm;
  let x: Targets;
  let secret: string;
  let routes: RouteEntry[];

  beforeAll(async () => {
    t = await startTestApp(
      { payRequestsPerMinute: 100_000, loginAttemptsPerMinute: 100_000 },
      { mailer: recordingMailer() },
    );
    routes = listRoutes(t.app).filter(takesInput);
    firm = await createTestFirm(t, 'CORPUS');
    await syncBasicMms(t, firm);
    const posted = await takePayment(t, firm, { invoiceNumbers: ['INV-100'] });
    expect(
      (await call(t, firm.accountant, 'POST', '/postings/post', { ids: [posted.postingRecord.id] })).statusCode,
    ).toBe(200);
    const [queued] = (await call(t, firm.agent, 'GET', '/agent/batches')).json().items as { id: string }[];
    const pending = await takePayment(t, firm, { invoiceNumbers: ['INV-101'] });
    const removed = await takePayment(t, firm, { invoiceNumbers: ['INV-102'] });
    expect(
      (await call(t, firm.accountant, 'POST', '/postings/remove', { ids: [removed.postingRecord.id] })).statusCode,
    ).toBe(200);
    const page = await call(t, firm.admin, 'POST', '/payment-pages', {
      name: 'Operating',
      slug: 'corpus-op',
      account: 'operating',
      createPostingRecord: true,
      surchargeBps: 300,
    });
    expect(page.statusCode, page.body).toBe(201);
    const trust = await call(t, firm.admin, 'POST', '/payment-pages', {
      name: 'Trust',
      slug: 'corpus-trust',
      account: 'trust',
      createPostingRecord: true,
    });
    expect(trust.statusCode, trust.body).toBe(201);
    const link = await call(t, firm.accountant, 'POST', '/payment-links', {
      ...payer,
      allocations: [{ invoiceNumber: 'INV-103', amountCents: 1000 }],
    });
    expect(link.statusCode, link.body).toBe(201);
    const quick = await call(t, firm.accountant, 'POST', '/quick-links', {
      amountCents: 1000,
      description: 'Retainer',
    });
    expect(quick.statusCode, quick.body).toBe(201);
    const card = (await cardToken(t)).token;
    const schedule = await call(t, firm.accountant, 'POST', '/payment-schedules', {
      token: card,
      amountCents: 1000,
      account: 'operating',
      description: 'Monthly',
      payerName: 'Corpus Payer',
      interval: 'monthly',
      startOn: '2099-01-01',
    });
    expect(schedule.statusCode, schedule.body).toBe(201);
    const escrow = await call(t, firm.admin, 'POST', '/deposit-accounts', { name: 'Escrow', kind: 'trust' });
    expect(escrow.statusCode, escrow.body).toBe(201);
    const accounts = (await call(t, firm.viewer, 'GET', '/deposit-accounts')).json().items as {
      id: string;
      kind: string;
      isDefault: boolean;
    }[];
    const defaultOf = (kind: string) => accounts.find((a) => a.kind === kind && a.isDefault)!.id;
    const agentToken = await call(t, firm.admin, 'POST', '/tokens', { kind: 'agent', label: 'corpus' });
    expect(agentToken.statusCode, agentToken.body).toBe(201);
    const hook = await call(t, firm.admin, 'POST', '/webhook-endpoints', {
      label: 'Corpus ERP',
      url: 'https://erp.example.com/hooks',
      kinds: ['payment.taken'],
    });
    expect(hook.statusCode, hook.body).toBe(201);
    secret = await webhookSecret(t, firm);
    // The firm's past days paid out, so a payout's routes have one to read.
    await payOut(t, new Date());
    const [payout] = (await call(t, firm.viewer, 'GET', '/deposits')).json().items as { id: string }[];
    const invited = await call(t, firm.admin, 'POST', '/users', { email: 'corpus-link@corpus.test', role: 'viewer' });
    expect(invited.statusCode, invited.body).toBe(201);
    const users = (await call(t, firm.admin, 'GET', '/users')).json().items as { id: string; email: string }[];
    x = {
      userId: users.find((u) => u.email === firm.emails.viewer)!.id,
      passwordToken: String(invited.json().invite.link).split('#')[1]!,
      payoutId: payout!.id,
      webhookEndpointId: hook.json().id,
      firm,
      pending: { id: pending.postingRecord.id, version: pending.postingRecord.version },
      removedId: removed.postingRecord.id,
      paymentId: pending.payment.id,
      processorId: (pending.payment as { processorId?: string }).processorId ?? '',
      queuedBatchId: queued!.id,
      pageId: page.json().id,
      operatingAccountId: defaultOf('operating'),
      trustAccountId: defaultOf('trust'),
      depositAccountId: escrow.json().id,
      linkToken: String(link.json().token),
      quickToken: String(quick.json().token),
      quickLinkId: quick.json().id,
      linkId: link.json().id,
      scheduleId: schedule.json().id,
      agentTokenId: agentToken.json().id,
      cardToken: (await cardToken(t)).token,
      cursor: encodeCursor({ at: new Date('2026-11-01T12:00:00Z'), id: randomUUID() }),
    };
  });
  afterAll(async () => t.close());

  function send(route: RouteEntry, caller: Caller, form: Form): Promise<LightMyRequestResponse> {
    let url = route.url;
    for (const [name, value] of Object.entries(form.params ?? {})) url = url.replace(`:${name}`, value);
    const query = Object.entries(form.query ?? {})
      .map(([name, value]) => `${name}=${value}`)
      .join('&');
    const payload = form.body === undefined ? undefined : JSON.stringify(form.body);
    const headers: Record<string, string> = payload === undefined ? {} : { 'content-type': 'application/json' };
    if (caller === 'webhook')
      headers['paybridge-signature'] = signatureHeader(secret, Math.floor(Date.now() / 1000), payload ?? '');
    else if (caller !== 'anonymous') headers.authorization = `Bearer ${firm[caller]}`;
    return t.app.inject({
      method: route.method as 'GET',
      url: query ? `${url}?${query}` : url,
      headers,
      ...(payload === undefined ? {} : { payload }),
    });
  }

  it('has a case for every route that takes input, and the cases send every field the schemas declare', () => {
    expect(routes.length).toBeGreaterThan(30);
    const problems: string[] = [];
    for (const route of routes) {
      const known = CASES[keyOf(route)];
      if (!known) {
        problems.push(`${keyOf(route)} takes input but has no case in CASES of test/security/malformed-input.test.ts`);
        continue;
      }
      const forms = known.forms(x);
      const sent = new Set(
        forms.flatMap((form) => [
          ...pathsOf(form.body).map((p) => generic(p.path)),
          ...Object.keys(form.query ?? {}).map((name) => `querystring.${name}`),
          ...Object.keys(form.params ?? {}).map((name) => `params.${name}`),
        ]),
      );
      const declared = [
        ...declaredFields(route.input.body, '', new Set()),
        ...[...declaredFields(route.input.querystring, '', new Set())].map((f) => `querystring.${f}`),
        ...[...declaredFields(route.input.params, '', new Set())].map((f) => `params.${f}`),
      ].filter((f) => f !== '' && f !== 'querystring.' && f !== 'params.');
      for (const field of declared) if (!sent.has(field)) problems.push(`${keyOf(route)}: no case sends ${field}`);
      // Each form is valid as a whole, so a refusal is the corrupted field's doing.
      for (const form of forms) {
        for (const [where, schema, value] of [
          ['body', route.input.body, form.body],
          ['querystring', route.input.querystring, form.query],
          ['params', route.input.params, form.params],
        ] as const) {
          if (schema === undefined) continue;
          const parsed = (schema as { safeParse(v: unknown): { success: boolean; error?: unknown } }).safeParse(value);
          if (!parsed.success)
            problems.push(`${keyOf(route)}: the ${where} of a form is not valid: ${JSON.stringify(parsed.error)}`);
        }
      }
    }
    for (const key of Object.keys(CASES))
      if (!routes.some((route) => keyOf(route) === key))
        problems.push(`${key} has a case but takes no input or is not registered`);
    const webhook = CASES['POST /webhooks/processor/:firmCode']!.forms(x)[0]!.body as { data: unknown };
    expect(paymentIn.safeParse(webhook.data).success).toBe(true);
    expect(problems).toEqual([]);
  });

  it(
    'answers every malformed value in every field a 4xx naming the field, and changes nothing',
    { timeout: 300_000 },
    async () => {
      const before = await firmSnapshot(t.conn.db, firm.id);
      const countsBefore = await tableCounts(t.conn.db);
      const problems: string[] = [];
      let sent = 0;
      const check = (route: RouteEntry, what: string, res: LightMyRequestResponse, named: (() => boolean) | null) => {
        sent += 1;
        if (res.statusCode < 400 || res.statusCode > 499)
          problems.push(`${keyOf(route)} ${what}: ${res.statusCode} ${res.body.slice(0, 300)}`);
        else if (!hasErrorShape(res))
          problems.push(
            `${keyOf(route)} ${what}: the ${res.statusCode} is not { error: { code, message } }: ${res.body.slice(0, 300)}`,
          );
        else if (res.statusCode === 400 && named && !named())
          problems.push(`${keyOf(route)} ${what}: the 400 does not name the field: ${res.body.slice(0, 300)}`);
      };
      for (const route of routes) {
        const known = CASES[keyOf(route)];
        if (!known) continue;
        for (const form of known.forms(x)) {
          if (form.body !== undefined) {
            for (const whole of ['x', 42, [], null])
              check(
                route,
                `body ${JSON.stringify(whole)}`,
                await send(route, known.caller, { ...form, body: whole }),
                null,
              );
            for (const { path, value } of pathsOf(form.body)) {
              for (const bad of bodyCorpus(path, value)) {
                const res = await send(route, known.caller, { ...form, body: withValue(form.body, path, bad) });
                check(route, `${path}=${JSON.stringify(bad)?.slice(0, 60)}`, res, () => namesField(res, 'body', path));
              }
            }
          }
          for (const name of Object.keys(form.query ?? {})) {
            for (const bad of queryCorpus(name)) {
              const res = await send(route, known.caller, { ...form, query: { ...form.query, [name]: bad } });
              check(route, `?${name}=${bad.slice(0, 60)}`, res, () => namesField(res, 'querystring', name));
            }
          }
          for (const name of Object.keys(form.params ?? {})) {
            // A bad id, slug or token names nothing that exists: 404 (or 400 for a broken URL) is the answer.
            for (const bad of PARAMS)
              check(
                route,
                `:${name}=${bad.slice(0, 60)}`,
                await send(route, known.caller, { ...form, params: { ...form.params, [name]: bad } }),
                null,
              );
          }
        }
      }
      expect(problems).toEqual([]);
      expect(sent).toBeGreaterThan(2000);
      // A failed sign-in is counted against its account (the per-account throttle), and every
      // request to a rate-limited route against its caller's address (the rate limits count in
      // the database, across instances), by design.
      const withoutThrottle = (counts: Record<string, number>) => ({
        ...counts,
        sign_in_failures: 0,
        rate_limit_hits: 0,
      });
      expect(withoutThrottle(await tableCounts(t.conn.db))).toEqual(withoutThrottle(countsBefore));
      const after = await firmSnapshot(t.conn.db, firm.id);
      for (const table of Object.keys(before)) expect(after[table], table).toEqual(before[table]);
    },
  );
});
