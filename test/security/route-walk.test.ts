import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUuid } from '../../src/domain/ids.ts';
import { listRoutes, type RouteEntry } from '../../src/server/app.ts';
import type { Access } from '../../src/server/auth.ts';
import { call, createTestFirm, startTestApp, TEST_PASSWORD, type TestApp, type TestFirm } from '../support/app.ts';
import { paymentBody, syncBasicMms, takePayment } from '../support/fixtures.ts';
import { cardToken, payOut } from '../support/processor.ts';
import { firmIds, firmSnapshot } from '../support/snapshot.ts';

/**
 * SPEC §7: roles are enforced on every route, every query is scoped by firm, and a
 * foreign id answers 404 exactly like a missing one. The routes are read from the app
 * itself, so a route added later fails this file until it is added to ROUTES below.
 */

/** Firm A's things that the calls below aim at. */
interface Targets {
  pendingRecordId: string;
  pendingRecordVersion: number;
  removedRecordId: string;
  approvedPaymentId: string;
  queuedBatchId: string;
  queuedBatchSha256: string;
  deliveredBatchId: string;
  paymentPageId: string;
  depositAccountId: string;
  agentTokenId: string;
  quickLinkId: string;
  paymentLinkId: string;
  scheduleId: string;
  payoutId: string;
  webhookEndpointId: string;
  /** Firm A's viewer: the user routes aim at them. */
  userId: string;
  /** Fresh sandbox tokens firm B pays with (a token belongs to the first firm that uses it). */
  connectToken: string;
  enterToken: string;
  scheduleToken: string;
}

interface RouteCase {
  /** The access the route must declare. */
  access: Exclude<Access, 'public'>;
  /**
   * How another firm's answer is judged: `foreign` aims at firm A's ids and must answer
   * 404 exactly like a missing id; `scoped` acts on or lists the caller's own firm and
   * must answer 2xx without a trace of firm A.
   */
  kind: 'foreign' | 'scoped';
  /**
   * For a scoped call that cannot succeed for any firm as written (a two-factor code no
   * app showed): the 4xx it must answer instead of 2xx, still with no trace of firm A.
   */
  refusal?: 401 | 409;
  /** The call, below /api/v1, made with firm A's ids. */
  request: (a: Targets) => { path: string; body?: object };
  /** An answer that stays open (an event stream): judged by what it sent first. */
  stream?: true;
}

type Method = 'GET' | 'HEAD' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** Routes anyone may call, and why they cannot leak a firm's data. */
const PUBLIC_ROUTES = new Set([
  'POST /session', // sign-in: answers only the caller's own user
  'DELETE /session', // sign-out of the caller's own cookie
  'GET /openapi.json', // the API description, no data
  'GET /healthz', // the process is up: no data
  'GET /readyz', // the database answers and is migrated: no firm's data
  'GET /metrics', // only with METRICS_TOKEN; totals over all firms, never a firm's rows
  'GET /', // the web UI's static page, no data
  'GET /pay/:slug', // a page's public face: the firm's and page's names, account and surcharge, nothing of its clients
  'POST /pay/:slug/lookup', // a client's open invoices only for the client number AND one of its invoice or matter numbers (test/api/pay-pages.test.ts)
  'POST /pay/:slug/payments', // pays only invoices of the client proved as in lookup; answers the payer's own receipt
  'GET /pay/link/:token', // a 256-bit secret in the URL names one link; answers only that link
  'POST /pay/link/:token', // the same secret; answers only the payment just made
  'GET /pay/quick/:token', // as /pay/link
  'POST /pay/quick/:token', // as /pay/link
  'POST /sandbox/tokens', // the sandbox processor's tokenizer: reads no firm's data, answers the brand and last 4 it was sent
  'GET /sandbox/bins/:bin', // the sandbox's BIN table: the test cards' brand and funding, no firm's data
  'POST /password-links/look-up', // a 256-bit secret in the body names one link; answers only its own email and firm name
  'POST /password-links/use', // the same secret; sets only its own user's password
  'POST /webhooks/processor/:firmCode', // verified by the firm's HMAC secret before anything is read; answers only the event's outcome
  'GET /*', // the web UI's assets and its screens' paths (index.html), no data; /api paths fall through to the JSON 404
]);

const ROUTES: Record<string, RouteCase> = {
  'GET /me': { access: 'user', kind: 'scoped', request: () => ({ path: '/me' }) },
  'GET /postings': { access: 'user', kind: 'scoped', request: () => ({ path: '/postings?view=all&limit=500' }) },
  'GET /postings/counts': { access: 'user', kind: 'scoped', request: () => ({ path: '/postings/counts' }) },
  'GET /postings/:id': {
    access: 'user',
    kind: 'foreign',
    request: (a) => ({ path: `/postings/${a.pendingRecordId}` }),
  },
  'GET /postings/:id/suggestion': {
    access: 'user',
    kind: 'foreign',
    request: (a) => ({ path: `/postings/${a.pendingRecordId}/suggestion` }),
  },
  'PATCH /postings/:id': {
    access: 'accountant',
    kind: 'foreign',
    request: (a) => ({
      path: `/postings/${a.pendingRecordId}`,
      body: {
        version: a.pendingRecordVersion,
        allocations: [{ invoiceNumber: 'INV-102', amountCents: 25000 }],
        memo: 'moved',
      },
    }),
  },
  'POST /postings/:id/correct': {
    access: 'accountant',
    kind: 'foreign',
    request: (a) => ({
      path: `/postings/${a.pendingRecordId}/correct`,
      body: { version: a.pendingRecordVersion, allocations: [{ invoiceNumber: 'INV-102', amountCents: 25000 }] },
    }),
  },
  'POST /postings/post': {
    access: 'accountant',
    kind: 'foreign',
    request: (a) => ({ path: '/postings/post', body: { ids: [a.pendingRecordId] } }),
  },
  'POST /postings/remove': {
    access: 'accountant',
    kind: 'foreign',
    request: (a) => ({ path: '/postings/remove', body: { ids: [a.pendingRecordId], note: 'entered by hand' } }),
  },
  'POST /postings/move-to-pending': {
    access: 'accountant',
    kind: 'foreign',
    request: (a) => ({ path: '/postings/move-to-pending', body: { ids: [a.removedRecordId] } }),
  },
  'POST /payments': {
    access: 'accountant',
    kind: 'scoped',
    request: () => ({
      path: '/payments',
      body: paymentBody({ payerName: 'Bertha Walker', invoiceNumbers: ['INV-100'] }),
    }),
  },
  'POST /payments/:id/reverse': {
    access: 'accountant',
    kind: 'foreign',
    request: (a) => ({ path: `/payments/${a.approvedPaymentId}/reverse`, body: { kind: 'void' } }),
  },
  'GET /payments': { access: 'user', kind: 'scoped', request: () => ({ path: '/payments?limit=500' }) },
  'GET /batches': { access: 'user', kind: 'scoped', request: () => ({ path: '/batches?limit=500' }) },
  'GET /batches/:id': { access: 'user', kind: 'foreign', request: (a) => ({ path: `/batches/${a.deliveredBatchId}` }) },
  'GET /batches/:id/file': {
    access: 'user',
    kind: 'foreign',
    request: (a) => ({ path: `/batches/${a.queuedBatchId}/file` }),
  },
  'GET /agent/batches': { access: 'agent', kind: 'scoped', request: () => ({ path: '/agent/batches' }) },
  'GET /agent/batches/:id/file': {
    access: 'agent',
    kind: 'foreign',
    request: (a) => ({ path: `/agent/batches/${a.queuedBatchId}/file` }),
  },
  'POST /agent/batches/:id/ack': {
    access: 'agent',
    kind: 'foreign',
    request: (a) => ({
      path: `/agent/batches/${a.queuedBatchId}/ack`,
      body: { sha256: a.queuedBatchSha256, expectAnswer: true },
    }),
  },
  'POST /agent/batches/:id/quarantine': {
    access: 'agent',
    kind: 'foreign',
    request: (a) => ({ path: `/agent/batches/${a.queuedBatchId}/quarantine`, body: { reason: 'a stranger file' } }),
  },
  'POST /agent/batches/:id/outcome': {
    access: 'agent',
    kind: 'foreign',
    request: (a) => ({ path: `/agent/batches/${a.deliveredBatchId}/outcome`, body: { outcome: 'applied' } }),
  },
  'GET /postings/export.xlsx': {
    access: 'user',
    kind: 'scoped',
    request: () => ({ path: '/postings/export.xlsx?view=all' }),
  },
  'GET /payments/export.xlsx': { access: 'user', kind: 'scoped', request: () => ({ path: '/payments/export.xlsx' }) },
  'GET /invoices': { access: 'user', kind: 'scoped', request: () => ({ path: '/invoices?q=INV&limit=100' }) },
  'GET /matters': { access: 'user', kind: 'scoped', request: () => ({ path: '/matters?limit=100' }) },
  'GET /payment-pages': { access: 'user', kind: 'scoped', request: () => ({ path: '/payment-pages' }) },
  'POST /payment-pages': {
    access: 'admin',
    kind: 'scoped',
    request: () => ({
      path: '/payment-pages',
      body: {
        name: 'B portal',
        slug: `walk-b-${randomUUID().slice(0, 8)}`,
        account: 'trust',
        createPostingRecord: false,
      },
    }),
  },
  'PATCH /payment-pages/:id': {
    access: 'admin',
    kind: 'foreign',
    request: (a) => ({ path: `/payment-pages/${a.paymentPageId}`, body: { createPostingRecord: false } }),
  },
  'GET /deposit-accounts': { access: 'user', kind: 'scoped', request: () => ({ path: '/deposit-accounts' }) },
  'POST /deposit-accounts': {
    access: 'admin',
    kind: 'scoped',
    request: () => ({
      path: '/deposit-accounts',
      body: { name: `B escrow ${randomUUID().slice(0, 8)}`, kind: 'trust', ledgerCode: '2100' },
    }),
  },
  'PATCH /deposit-accounts/:id': {
    access: 'admin',
    kind: 'foreign',
    request: (a) => ({ path: `/deposit-accounts/${a.depositAccountId}`, body: { ledgerCode: 'B' } }),
  },
  'GET /deposits': { access: 'user', kind: 'scoped', request: () => ({ path: '/deposits?limit=500' }) },
  'GET /deposits/statement': {
    access: 'user',
    kind: 'scoped',
    request: () => ({ path: '/deposits/statement?month=2026-11' }),
  },
  'GET /deposits/export.xlsx': {
    access: 'user',
    kind: 'scoped',
    request: () => ({ path: '/deposits/export.xlsx?month=2026-11' }),
  },
  'GET /deposits/:id': { access: 'user', kind: 'foreign', request: (a) => ({ path: `/deposits/${a.payoutId}` }) },
  'GET /deposits/:id/export.xlsx': {
    access: 'user',
    kind: 'foreign',
    request: (a) => ({ path: `/deposits/${a.payoutId}/export.xlsx` }),
  },
  'GET /settings': { access: 'user', kind: 'scoped', request: () => ({ path: '/settings' }) },
  'PATCH /settings': {
    access: 'admin',
    kind: 'scoped',
    request: () => ({ path: '/settings', body: { autoApply: true } }),
  },
  'GET /tokens': { access: 'admin', kind: 'scoped', request: () => ({ path: '/tokens' }) },
  'POST /tokens': {
    access: 'admin',
    kind: 'scoped',
    request: () => ({ path: '/tokens', body: { kind: 'agent', label: 'b' } }),
  },
  'DELETE /tokens/:id': { access: 'admin', kind: 'foreign', request: (a) => ({ path: `/tokens/${a.agentTokenId}` }) },
  'GET /users': { access: 'admin', kind: 'scoped', request: () => ({ path: '/users' }) },
  'GET /webhook-endpoints': { access: 'admin', kind: 'scoped', request: () => ({ path: '/webhook-endpoints' }) },
  'POST /webhook-endpoints': {
    access: 'admin',
    kind: 'scoped',
    request: () => ({
      path: '/webhook-endpoints',
      body: { label: 'B hook', url: 'https://hooks.example.com/b', kinds: ['payment.taken'] },
    }),
  },
  'PATCH /webhook-endpoints/:id': {
    access: 'admin',
    kind: 'foreign',
    request: (a) => ({ path: `/webhook-endpoints/${a.webhookEndpointId}`, body: { enabled: false } }),
  },
  'DELETE /webhook-endpoints/:id': {
    access: 'admin',
    kind: 'foreign',
    request: (a) => ({ path: `/webhook-endpoints/${a.webhookEndpointId}` }),
  },
  'POST /webhook-endpoints/:id/secret': {
    access: 'admin',
    kind: 'foreign',
    request: (a) => ({ path: `/webhook-endpoints/${a.webhookEndpointId}/secret` }),
  },
  'POST /webhook-endpoints/:id/test': {
    access: 'admin',
    kind: 'foreign',
    request: (a) => ({ path: `/webhook-endpoints/${a.webhookEndpointId}/test` }),
  },
  'GET /webhook-endpoints/:id/deliveries': {
    access: 'admin',
    kind: 'foreign',
    request: (a) => ({ path: `/webhook-endpoints/${a.webhookEndpointId}/deliveries` }),
  },
  'GET /audit-events': { access: 'admin', kind: 'scoped', request: () => ({ path: '/audit-events?limit=500' }) },
  'GET /audit-events/actions': { access: 'admin', kind: 'scoped', request: () => ({ path: '/audit-events/actions' }) },
  'GET /audit-events/export.xlsx': {
    access: 'admin',
    kind: 'scoped',
    request: () => ({ path: '/audit-events/export.xlsx' }),
  },
  'POST /users': {
    access: 'admin',
    kind: 'scoped',
    request: () => ({ path: '/users', body: { email: `walk-${randomUUID().slice(0, 8)}@walkb.test`, role: 'viewer' } }),
  },
  'PATCH /users/:id': {
    access: 'admin',
    kind: 'foreign',
    request: (a) => ({ path: `/users/${a.userId}`, body: { active: false } }),
  },
  'POST /users/:id/password-link': {
    access: 'admin',
    kind: 'foreign',
    request: (a) => ({ path: `/users/${a.userId}/password-link`, body: {} }),
  },
  'GET /me/two-factor': { access: 'user', kind: 'scoped', request: () => ({ path: '/me/two-factor' }) },
  'POST /me/two-factor': { access: 'user', kind: 'scoped', request: () => ({ path: '/me/two-factor', body: {} }) },
  'POST /me/two-factor/confirm': {
    access: 'user',
    kind: 'scoped',
    refusal: 401,
    request: () => ({ path: '/me/two-factor/confirm', body: { code: 'not-a-code' } }),
  },
  'POST /me/two-factor/disable': {
    access: 'user',
    kind: 'scoped',
    refusal: 409,
    request: () => ({ path: '/me/two-factor/disable', body: { code: 'not-a-code' } }),
  },
  'POST /settings/webhook-secret': {
    access: 'admin',
    kind: 'scoped',
    request: () => ({ path: '/settings/webhook-secret', body: {} }),
  },
  'POST /connect-payments': {
    access: 'accountant',
    kind: 'scoped',
    request: (a) => ({
      path: '/connect-payments',
      body: {
        token: a.connectToken,
        payerName: 'Bertha Walker',
        allocations: [{ invoiceNumber: 'INV-102', amountCents: 1000 }],
      },
    }),
  },
  'POST /payment-links': {
    access: 'accountant',
    kind: 'scoped',
    request: () => ({
      path: '/payment-links',
      body: { payerName: 'Bertha Walker', allocations: [{ invoiceNumber: 'INV-102', amountCents: 1000 }] },
    }),
  },
  'GET /payment-links': { access: 'user', kind: 'scoped', request: () => ({ path: '/payment-links?limit=500' }) },
  'POST /payment-links/:id/cancel': {
    access: 'accountant',
    kind: 'foreign',
    request: (a) => ({ path: `/payment-links/${a.paymentLinkId}/cancel`, body: {} }),
  },
  'POST /payment-links/:id/resend': {
    access: 'accountant',
    kind: 'foreign',
    request: (a) => ({ path: `/payment-links/${a.paymentLinkId}/resend`, body: { to: 'x@payer.test' } }),
  },
  'POST /enter-payment': {
    access: 'accountant',
    kind: 'scoped',
    request: (a) => ({
      path: '/enter-payment',
      body: { token: a.enterToken, amountCents: 1000, account: 'operating', payerName: 'Bertha Walker' },
    }),
  },
  'POST /quick-links': {
    access: 'accountant',
    kind: 'scoped',
    request: () => ({ path: '/quick-links', body: { amountCents: 1000, description: 'Bertha retainer' } }),
  },
  'GET /quick-links': { access: 'user', kind: 'scoped', request: () => ({ path: '/quick-links?limit=500' }) },
  'POST /quick-links/:id/cancel': {
    access: 'accountant',
    kind: 'foreign',
    request: (a) => ({ path: `/quick-links/${a.quickLinkId}/cancel`, body: {} }),
  },
  'POST /quick-links/:id/resend': {
    access: 'accountant',
    kind: 'foreign',
    request: (a) => ({ path: `/quick-links/${a.quickLinkId}/resend`, body: { to: 'x@payer.test' } }),
  },
  'POST /payment-links/:id/email': {
    access: 'accountant',
    kind: 'foreign',
    request: (a) => ({ path: `/payment-links/${a.paymentLinkId}/email`, body: { token: 'pl_x', to: 'x@payer.test' } }),
  },
  'POST /quick-links/:id/email': {
    access: 'accountant',
    kind: 'foreign',
    request: (a) => ({ path: `/quick-links/${a.quickLinkId}/email`, body: { token: 'ql_x', to: 'x@payer.test' } }),
  },
  'GET /me/notifications': { access: 'user', kind: 'scoped', request: () => ({ path: '/me/notifications' }) },
  'PATCH /me/notifications': {
    access: 'user',
    kind: 'scoped',
    request: () => ({ path: '/me/notifications', body: { mode: 'digest' } }),
  },
  'GET /settings/outbox': { access: 'admin', kind: 'scoped', request: () => ({ path: '/settings/outbox?limit=200' }) },
  'POST /payment-schedules': {
    access: 'accountant',
    kind: 'scoped',
    request: (a) => ({
      path: '/payment-schedules',
      body: {
        token: a.scheduleToken,
        amountCents: 1000,
        account: 'operating',
        description: 'Bertha monthly',
        payerName: 'Bertha Walker',
        interval: 'monthly',
        startOn: '2099-01-01',
      },
    }),
  },
  'GET /payment-schedules': { access: 'user', kind: 'scoped', request: () => ({ path: '/payment-schedules' }) },
  'POST /payment-schedules/:id/cancel': {
    access: 'accountant',
    kind: 'foreign',
    request: (a) => ({ path: `/payment-schedules/${a.scheduleId}/cancel`, body: {} }),
  },
  'POST /agent/sync': {
    access: 'agent',
    kind: 'scoped',
    request: () => ({
      path: '/agent/sync',
      body: { clients: [{ clientNumber: 'C9', name: 'Walker Co' }], matters: [], invoices: [], full: false },
    }),
  },
  'GET /agent/clock': { access: 'agent', kind: 'scoped', request: () => ({ path: '/agent/clock' }) },
  'GET /connect/status': { access: 'user', kind: 'scoped', request: () => ({ path: '/connect/status' }) },
  'GET /events': { access: 'user', kind: 'scoped', stream: true, request: () => ({ path: '/events' }) },
};

const PREFIX = '/api/v1';
const ROLES = ['viewer', 'accountant', 'admin'] as const;

/** `GET /postings/:id` for a route at /api/v1/postings/:id. */
function keyOf(route: Pick<RouteEntry, 'method' | 'url'>): string {
  return `${route.method} ${route.url.startsWith(`${PREFIX}/`) ? route.url.slice(PREFIX.length) : route.url}`;
}

/** A HEAD route is the GET route answered without a body: it is walked with the GET's call. */
function caseOf(route: RouteEntry): RouteCase | undefined {
  return (
    ROUTES[keyOf(route)] ?? (route.method === 'HEAD' ? ROUTES[keyOf({ method: 'GET', url: route.url })] : undefined)
  );
}

/** The tokens of a firm allowed on a route (the least and the most), and those that are not. */
function tokensFor(firm: TestFirm, access: RouteCase['access']) {
  if (access === 'agent')
    return { allowed: [firm.agent], refused: ROLES.map((role) => ({ who: role, token: firm[role] })) };
  const least = access === 'user' ? 0 : ROLES.indexOf(access);
  return {
    allowed: ROLES.slice(least).map((role) => firm[role]),
    refused: [
      ...ROLES.slice(0, least).map((role) => ({ who: role, token: firm[role] })),
      { who: 'agent', token: firm.agent },
    ],
  };
}

/** What the walk reads of an answer. */
type Answer = Pick<LightMyRequestResponse, 'statusCode' | 'body' | 'json'>;

/** The paths of stream routes, sent by send() as streams. */
const streams = new Set(
  Object.entries(ROUTES)
    .filter(([, c]) => c.stream)
    .map(([key]) => key.slice(key.indexOf(' ') + 1)),
);

describe('route walk: roles, firm scoping and foreign ids on every route', () => {
  let t: TestApp;
  let a: TestFirm;
  let b: TestFirm;
  let targets: Targets;
  let routes: readonly RouteEntry[];
  let before: Record<string, string[]>;
  /** Ids and words that only firm A has; none may appear in an answer to firm B. */
  let secretsOfA: string[];
  /** Firm A's admin signed in through the API (before the snapshot: signing in writes a session). */
  let session: string;

  async function send(
    token: string | null,
    method: Method,
    request: { path: string; body?: object },
    headers: Record<string, string> = {},
  ): Promise<Answer> {
    const options = {
      method,
      url: `${PREFIX}${request.path}`,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      ...(request.body === undefined ? {} : { payload: request.body }),
    };
    if (!streams.has(request.path)) return t.app.inject(options);
    // A stream never ends by itself: read up to its first block (or the whole of an error
    // answer), then leave, as a browser closing the page would.
    const leave = new AbortController();
    const res = await t.app.inject({ ...options, payloadAsStream: true, signal: leave.signal });
    let body = '';
    try {
      for await (const chunk of res.stream()) {
        body += String(chunk);
        if (res.statusCode === 200 && body.includes('\n\n')) break;
      }
    } finally {
      leave.abort();
    }
    return { statusCode: res.statusCode, body, json: () => JSON.parse(body) };
  }

  function leaks(res: Answer, allowed: string[] = []): string[] {
    return secretsOfA.filter((secret) => !allowed.includes(secret) && res.body.includes(secret));
  }

  beforeAll(async () => {
    t = await startTestApp();
    routes = listRoutes(t.app);
    a = await createTestFirm(t, 'WALKA');
    b = await createTestFirm(t, 'WALKB');
    for (const firm of [a, b]) await syncBasicMms(t, firm);
    const payer = { payerName: 'Aurelia Firmaone' };
    // A client and matter only firm A has, so a search that forgot the firm would show them to B.
    const own = await call(t, a.agent, 'POST', '/agent/sync', {
      clients: [{ clientNumber: 'C4', name: `${payer.payerName} Estates` }],
      matters: [{ clientNumber: 'C4', matterNumber: 'M4', description: 'Firm A only' }],
      invoices: [],
      full: false,
    });
    expect(own.statusCode, own.body).toBe(200);

    // Firm A: a delivered batch, a reversal of its payment, a queued batch, and records in every other state.
    const posted = await takePayment(t, a, { ...payer, invoiceNumbers: ['INV-100'] });
    const first = await call(t, a.accountant, 'POST', '/postings/post', { all: true });
    expect(first.statusCode, first.body).toBe(200);
    const delivered = first.json().batch as { id: string };
    const file = await call(t, a.agent, 'GET', `/agent/batches/${delivered.id}/file`);
    const ack = await call(t, a.agent, 'POST', `/agent/batches/${delivered.id}/ack`, {
      sha256: String(file.headers['x-sha256']),
    });
    expect(ack.statusCode, ack.body).toBe(200);
    const refund = await call(t, a.accountant, 'POST', `/payments/${posted.payment.id}/reverse`, { kind: 'refund' });
    expect(refund.statusCode, refund.body).toBe(200);
    expect(refund.json().reversal.status).toBe('pending');

    const queued = await takePayment(t, a, { ...payer, invoiceNumbers: ['INV-101'] });
    const second = await call(t, a.accountant, 'POST', '/postings/post', { ids: [queued.postingRecord.id] });
    expect(second.statusCode, second.body).toBe(200);
    const queuedBatch = (await call(t, a.agent, 'GET', '/agent/batches')).json().items as {
      id: string;
      sha256: string;
    }[];
    expect(queuedBatch).toHaveLength(1);

    const pending = await takePayment(t, a, { ...payer, invoiceNumbers: ['INV-102'] });
    expect(pending.postingRecord.status).toBe('pending');
    await takePayment(t, a, { ...payer, invoiceNumbers: ['NOPE-1'] });
    const removed = await takePayment(t, a, { ...payer, invoiceNumbers: ['INV-103'], clientNumber: 'C2' });
    expect(
      (await call(t, a.accountant, 'POST', '/postings/remove', { ids: [removed.postingRecord.id] })).statusCode,
    ).toBe(200);
    // Taken in now: a payment settled the day after it can no longer be voided.
    const voided = await takePayment(t, a, {
      ...payer,
      invoiceNumbers: ['INV-104'],
      clientNumber: 'C2',
      processedAt: new Date().toISOString(),
    });
    expect(
      (await call(t, a.accountant, 'POST', `/payments/${voided.payment.id}/reverse`, { kind: 'void' })).statusCode,
    ).toBe(200);
    expect(
      (await call(t, a.accountant, 'POST', '/payments', paymentBody({ ...payer, origin: 'enter_payment' }))).statusCode,
    ).toBe(201);

    const page = await call(t, a.admin, 'POST', '/payment-pages', {
      name: 'Firm A portal',
      slug: 'walk-firm-a',
      account: 'operating',
      createPostingRecord: true,
    });
    expect(page.statusCode, page.body).toBe(201);
    const escrow = await call(t, a.admin, 'POST', '/deposit-accounts', { name: 'A escrow', kind: 'trust' });
    expect(escrow.statusCode, escrow.body).toBe(201);
    const token = await call(t, a.admin, 'POST', '/tokens', { kind: 'agent', label: 'walk' });
    expect(token.statusCode, token.body).toBe(201);
    // Firm A's webhook endpoint, with an event queued and its test event: B must reach neither.
    const hook = await call(t, a.admin, 'POST', '/webhook-endpoints', {
      label: 'Aurelia ERP',
      url: 'https://erp.walk-a.example/hooks',
      kinds: ['payment.taken', 'batch.created'],
    });
    expect(hook.statusCode, hook.body).toBe(201);
    expect((await call(t, a.admin, 'POST', `/webhook-endpoints/${hook.json().id}/test`)).statusCode).toBe(201);
    // Firm A's Make A Payment, link, quick link and schedule, paid with sandbox cards.
    const connect = await call(t, a.accountant, 'POST', '/connect-payments', {
      token: (await cardToken(t)).token,
      ...payer,
      allocations: [{ invoiceNumber: 'INV-102', amountCents: 500 }],
    });
    expect(connect.statusCode, connect.body).toBe(201);
    const paymentLink = await call(t, a.accountant, 'POST', '/payment-links', {
      ...payer,
      allocations: [{ invoiceNumber: 'INV-102', amountCents: 500 }],
    });
    expect(paymentLink.statusCode, paymentLink.body).toBe(201);
    const quick = await call(t, a.accountant, 'POST', '/quick-links', {
      amountCents: 700,
      description: 'Aurelia retainer',
      payerName: payer.payerName,
    });
    expect(quick.statusCode, quick.body).toBe(201);
    const schedule = await call(t, a.accountant, 'POST', '/payment-schedules', {
      token: (await cardToken(t)).token,
      amountCents: 900,
      account: 'operating',
      description: 'Aurelia monthly',
      ...payer,
      interval: 'monthly',
      startOn: '2099-01-01',
    });
    expect(schedule.statusCode, schedule.body).toBe(201);

    // Firm B has the same invoice numbers and its own records and batch.
    await takePayment(t, b, { payerName: 'Bertha Walker', invoiceNumbers: ['INV-100'] });
    await takePayment(t, b, { payerName: 'Bertha Walker', invoiceNumbers: ['INV-101'] });
    expect((await call(t, b.accountant, 'POST', '/postings/post', { all: true })).json().batch).not.toBeNull();
    await takePayment(t, b, { payerName: 'Bertha Walker', invoiceNumbers: ['INV-102'] });

    // Both firms' past days paid out: firm A's payouts are what B must not see.
    await payOut(t, new Date());
    const payouts = (await call(t, a.viewer, 'GET', '/deposits')).json().items as { id: string }[];
    expect(payouts.length).toBeGreaterThan(0);

    targets = {
      userId: (await call(t, a.admin, 'GET', '/users'))
        .json()
        .items.find((u: { email: string }) => u.email === a.emails.viewer).id,
      payoutId: payouts[0]!.id,
      webhookEndpointId: hook.json().id,
      pendingRecordId: pending.postingRecord.id,
      pendingRecordVersion: pending.postingRecord.version,
      removedRecordId: removed.postingRecord.id,
      approvedPaymentId: pending.payment.id,
      queuedBatchId: queuedBatch[0]!.id,
      queuedBatchSha256: queuedBatch[0]!.sha256,
      deliveredBatchId: delivered.id,
      paymentPageId: page.json().id,
      depositAccountId: escrow.json().id,
      agentTokenId: token.json().id,
      quickLinkId: quick.json().id,
      paymentLinkId: paymentLink.json().id,
      scheduleId: schedule.json().id,
      connectToken: (await cardToken(t)).token,
      enterToken: (await cardToken(t)).token,
      scheduleToken: (await cardToken(t)).token,
    };
    const signIn = await t.app.inject({
      method: 'POST',
      url: `${PREFIX}/session`,
      payload: { email: a.emails.admin, password: TEST_PASSWORD },
    });
    expect(signIn.statusCode, signIn.body).toBe(200);
    session = /pb_session=([^;]+)/.exec(String(signIn.headers['set-cookie']))![1]!;
    secretsOfA = [
      ...(await firmIds(t.conn.db, a.id)),
      queuedBatch[0]!.sha256,
      'Aurelia Firmaone',
      'WALKA',
      ...Object.values(a.emails),
    ];
    before = await firmSnapshot(t.conn.db, a.id);
  });
  afterAll(async () => t.close());

  it('has a case for every registered route, with the access the route declares', () => {
    expect(routes.length).toBeGreaterThan(0);
    const problems: string[] = [];
    for (const route of routes) {
      const key = keyOf(route);
      if (
        PUBLIC_ROUTES.has(key) ||
        (route.method === 'HEAD' && PUBLIC_ROUTES.has(keyOf({ method: 'GET', url: route.url })))
      ) {
        if (route.access !== 'public')
          problems.push(`${key} is listed as public but declares access ${String(route.access)}`);
        continue;
      }
      const known = caseOf(route);
      if (!known)
        problems.push(
          `${key} (access ${String(route.access)}) has no case in ROUTES of test/security/route-walk.test.ts`,
        );
      else if (known.access !== route.access)
        problems.push(`${key} declares access ${String(route.access)}, the walk expects ${known.access}`);
    }
    const registered = new Set(routes.map(keyOf));
    for (const key of [...Object.keys(ROUTES), ...PUBLIC_ROUTES]) {
      if (!registered.has(key)) problems.push(`${key} is in the walk but no longer registered`);
    }
    expect(problems).toEqual([]);
  });

  it("answers another firm's tokens 404 for firm A's ids, exactly like a missing id, and lists none of firm A", async () => {
    const problems: string[] = [];
    for (const route of routes) {
      const known = caseOf(route);
      if (!known) continue;
      const method = route.method as Method;
      const request = known.request(targets);
      for (const token of tokensFor(b, known.access).allowed) {
        const res = await send(token, method, request);
        const key = keyOf(route);
        if (known.kind === 'scoped') {
          if (known.refusal !== undefined) {
            if (res.statusCode !== known.refusal)
              problems.push(`${key}: firm B got ${res.statusCode}, not ${known.refusal}: ${res.body.slice(0, 200)}`);
          } else if (res.statusCode < 200 || res.statusCode > 299)
            problems.push(`${key}: firm B got ${res.statusCode} ${res.body}`);
          const leaked = leaks(res);
          if (leaked.length) problems.push(`${key}: firm B's answer holds firm A's ${leaked.join(', ')}`);
          continue;
        }
        if (res.statusCode !== 404) {
          problems.push(`${key}: firm B got ${res.statusCode} for firm A's id, not 404: ${res.body.slice(0, 300)}`);
          continue;
        }
        // The same call with fresh ids in place of firm A's must answer the same, but for the id.
        let missing = JSON.stringify(request);
        const sent = Object.values(targets).filter(
          (v): v is string => typeof v === 'string' && isUuid(v) && missing.includes(v),
        );
        const fresh = new Map(sent.map((id) => [id, randomUUID()]));
        for (const [id, replacement] of fresh) missing = missing.replaceAll(id, replacement);
        const other = await send(token, method, JSON.parse(missing) as { path: string; body?: object });
        const normalize = (body: string, ids: Iterable<string>) =>
          [...ids].reduce((text, id) => text.replaceAll(id, '<id>'), body);
        if (normalize(res.body, sent) !== normalize(other.body, fresh.values()) || other.statusCode !== 404) {
          problems.push(`${key}: a foreign id answers ${res.body}, a missing one ${other.statusCode} ${other.body}`);
        }
        const leaked = leaks(res, sent);
        if (leaked.length) problems.push(`${key}: the 404 holds firm A's ${leaked.join(', ')}`);
      }
      for (const { who, token } of tokensFor(b, known.access).refused) {
        if (who !== 'agent' && known.access !== 'agent') continue; // roles are walked on firm A below
        const res = await send(token, method, request);
        if (res.statusCode !== 403)
          problems.push(`${keyOf(route)}: firm B's ${who} token got ${res.statusCode}, not 403`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("refuses every role below a route's access, the wrong token kind, and no token at all", async () => {
    const problems: string[] = [];
    for (const route of routes) {
      const known = caseOf(route);
      if (!known) continue;
      const method = route.method as Method;
      const request = known.request(targets);
      for (const { who, token } of tokensFor(a, known.access).refused) {
        const res = await send(token, method, request);
        if (res.statusCode !== 403)
          problems.push(
            `${keyOf(route)}: firm A's ${who} token got ${res.statusCode}, not 403: ${res.body.slice(0, 200)}`,
          );
        else if (method !== 'HEAD' && res.json<{ error: { code: string } }>().error.code !== 'forbidden') {
          problems.push(`${keyOf(route)}: firm A's ${who} token was refused with ${res.body}`);
        }
      }
      const anonymous = await send(null, method, request);
      if (anonymous.statusCode !== 401) problems.push(`${keyOf(route)}: no token got ${anonymous.statusCode}, not 401`);
      const unknown = await send(
        `pb_${known.access === 'agent' ? 'agent' : 'user'}_${'x'.repeat(43)}`,
        method,
        request,
      );
      if (unknown.statusCode !== 401)
        problems.push(`${keyOf(route)}: an unknown token got ${unknown.statusCode}, not 401`);
    }
    expect(problems).toEqual([]);
  });

  it('refuses a signed-in change without the CSRF header on every user mutation', async () => {
    const problems: string[] = [];
    for (const route of routes) {
      const known = caseOf(route);
      if (!known || known.access === 'agent' || ['GET', 'HEAD'].includes(route.method)) continue;
      const res = await send(null, route.method as Method, known.request(targets), { cookie: `pb_session=${session}` });
      if (res.statusCode !== 403 || res.json<{ error: { code: string } }>().error.code !== 'csrf') {
        problems.push(`${keyOf(route)}: a cookie without CSRF got ${res.statusCode} ${res.body.slice(0, 200)}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('refuses an unknown field in every request body, naming it', async () => {
    const problems: string[] = [];
    for (const route of routes) {
      const known = caseOf(route);
      const request = known?.request(targets);
      if (!known || !request?.body) continue;
      const [token] = tokensFor(b, known.access).allowed.slice(-1);
      const res = await send(token!, route.method as Method, {
        ...request,
        body: { ...request.body, sneakyField: true },
      });
      if (res.statusCode !== 400 || !res.body.includes('sneakyField')) {
        problems.push(`${keyOf(route)}: an unknown field got ${res.statusCode} ${res.body.slice(0, 200)}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("changed nothing of firm A's after the whole walk", async () => {
    const after = await firmSnapshot(t.conn.db, a.id);
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    for (const table of Object.keys(before)) expect(after[table], table).toEqual(before[table]);
    for (const table of [
      'payments',
      'posting_records',
      'allocations',
      'batches',
      'audit_events',
      'invoices',
      'clients',
      'matters',
    ]) {
      expect(before[table]?.length, table).toBeGreaterThan(0);
    }
  });
});
