import type { RequestOf, ResponseOf } from '../../contract/endpoint.ts';
import type { RouteKey, Routes } from '../../contract/index.ts';
import { api, download, withQuery, type Query } from './client.ts';

/** The request of a route; optional when the route takes nothing that is required. */
type Args<K extends RouteKey> =
  Partial<RequestOf<Routes[K]>> extends RequestOf<Routes[K]>
    ? [request?: RequestOf<Routes[K]>]
    : [request: RequestOf<Routes[K]>];

/** `/postings/:id` with `{ id }` → `/postings/rec_1`; every part encoded. */
export function pathOf(template: string, params: Record<string, string> = {}): string {
  return template.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${template} needs ${name}`);
    return encodeURIComponent(value);
  });
}

/** A route's method and path with its params and query filled in. */
export function urlOf(
  route: RouteKey,
  request: { params?: unknown; query?: unknown } = {},
): { method: 'GET' | 'POST' | 'PATCH' | 'DELETE'; path: string } {
  const [method, template] = route.split(' ') as ['GET' | 'POST' | 'PATCH' | 'DELETE', string];
  const path = pathOf(template, request.params as Record<string, string> | undefined);
  return { method, path: withQuery(path, request.query as Query | undefined) };
}

/**
 * Calls the API by its route as the contract names it: `call('GET /postings/:id', { params: { id } })`.
 * What is sent and what comes back are typed from the same zod schemas the server checks.
 */
export async function call<K extends RouteKey>(route: K, ...[request]: Args<K>): Promise<ResponseOf<Routes[K]>> {
  const { method, path } = urlOf(route, request);
  const body = request && 'body' in request ? request.body : undefined;
  return api<ResponseOf<Routes[K]>>(method, path, body);
}

/**
 * `call` for one user action that must happen once however often its request is sent:
 * the action's own key goes as Idempotency-Key, so a retry is answered from the first.
 */
export async function callOnce<K extends RouteKey>(
  route: K,
  key: string,
  ...[request]: Args<K>
): Promise<ResponseOf<Routes[K]>> {
  const { method, path } = urlOf(route, request);
  const body = request && 'body' in request ? request.body : undefined;
  return api<ResponseOf<Routes[K]>>(method, path, body, key);
}

/** The resource a route belongs to (`/postings/counts` → postings): the first part of every query key, so a change invalidates by resource. */
export function resourceOf(route: RouteKey): string {
  return route.split(' ')[1]!.split('/')[1]!;
}

/** The one way a query key is made: resource, route, request. Live updates and mutations invalidate by the resource alone. */
export function apiKey<K extends RouteKey>(route: K, ...[request]: Args<K>): readonly unknown[] {
  return request === undefined ? [resourceOf(route), route] : [resourceOf(route), route, request];
}

/** Saves a route's file answer (a batch file, an Excel export) as a download; the name comes from the server when it gives one. */
export async function downloadFrom<K extends RouteKey>(
  route: K,
  fallbackName: string,
  ...[request]: Args<K>
): Promise<string> {
  return download(urlOf(route, request).path, fallbackName);
}
