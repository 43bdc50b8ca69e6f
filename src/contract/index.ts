import * as agent from './agent.ts';
import * as audit from './audit.ts';
import * as batches from './batches.ts';
import * as connect from './connect.ts';
import * as depositAccounts from './deposit-accounts.ts';
import * as deposits from './deposits.ts';
import type { Endpoint } from './endpoint.ts';
import * as events from './events.ts';
import * as exportFiles from './exports.ts';
import * as invoices from './invoices.ts';
import * as links from './links.ts';
import * as matters from './matters.ts';
import * as notifications from './notifications.ts';
import * as pay from './pay.ts';
import * as paymentPages from './payment-pages.ts';
import * as payments from './payments.ts';
import * as postings from './postings.ts';
import * as sandbox from './sandbox.ts';
import * as schedules from './schedules.ts';
import * as session from './session.ts';
import * as settings from './settings.ts';
import * as tokens from './tokens.ts';
import * as twoFactor from './two-factor.ts';
import * as users from './users.ts';
import * as webhooks from './webhooks.ts';
import * as webhookEndpoints from './webhook-endpoints.ts';
import * as staffPayments from './staff-payments.ts';

/** Every value a contract module exports that is an endpoint declaration. */
function endpointsOf(module: Record<string, unknown>): Endpoint[] {
  return Object.values(module).filter(
    (value): value is Endpoint =>
      typeof value === 'object' && value !== null && 'method' in value && 'path' in value && 'access' in value,
  );
}

const modules = {
  agent,
  audit,
  batches,
  connect,
  depositAccounts,
  deposits,
  events,
  exportFiles,
  invoices,
  links,
  matters,
  notifications,
  pay,
  paymentPages,
  payments,
  postings,
  sandbox,
  schedules,
  session,
  settings,
  staffPayments,
  tokens,
  twoFactor,
  users,
  webhooks,
  webhookEndpoints,
};

/** Every endpoint of the API (SPEC §9), once: the server registers these and a test holds the two equal. */
export const ENDPOINTS: readonly Endpoint[] = Object.values(modules).flatMap(endpointsOf);

type Exported<M> = M[keyof M];
type AnyEndpoint = Extract<Exported<{ [K in keyof typeof modules]: Exported<(typeof modules)[K]> }>, Endpoint>;

/**
 * The API by "METHOD /path", each key to its endpoint declaration. The web client is typed
 * from this alone (a type import: no schema reaches the browser), so a call names a route
 * the server has, sends what it takes and reads what it answers.
 */
export type Routes = { [E in AnyEndpoint as `${E['method']} ${E['path']}`]: E };
export type RouteKey = keyof Routes;
