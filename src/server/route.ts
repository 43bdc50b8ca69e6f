import type { FastifyContextConfig } from 'fastify';
import type { z } from 'zod';
import type { Endpoint } from '../contract/endpoint.ts';

type StatusOf<E extends Endpoint> = E['status'] extends 201 | 204 ? E['status'] : 200;
type ResponseSchema<E extends Endpoint> = E['response'] extends z.ZodType
  ? E['repeatStatus'] extends 200
    ? { 201: E['response']; 200: E['response'] }
    : { [S in StatusOf<E>]: E['response'] }
  : undefined;

/** The schema part of a route: validation, the handler's types and the OpenAPI document, all from the endpoint. */
export interface RouteSchema<E extends Endpoint> {
  summary: string;
  description?: string;
  params: E['params'];
  querystring: E['query'];
  body: E['body'];
  headers: E['headers'];
  response: ResponseSchema<E>;
  produces?: readonly string[];
}

/**
 * The fastify route options of a contract endpoint (src/contract): method, path, access
 * and schemas, so a route file only adds its handler (and, rarely, a body limit or a
 * config flag). The handler's request and reply are typed from the same schemas.
 */
export function routeOf<const E extends Endpoint>(
  e: E,
  extra: { config?: FastifyContextConfig; bodyLimit?: number } = {},
) {
  const schema: Record<string, unknown> = { summary: e.summary };
  if (e.description !== undefined) schema.description = e.description;
  if (e.params !== undefined) schema.params = e.params;
  if (e.query !== undefined) schema.querystring = e.query;
  if (e.body !== undefined) schema.body = e.body;
  if (e.headers !== undefined) schema.headers = e.headers;
  if (e.response !== undefined) {
    schema.response =
      e.repeatStatus === undefined
        ? { [e.status ?? 200]: e.response }
        : { [e.status ?? 200]: e.response, [e.repeatStatus]: e.response };
  }
  if (e.produces !== undefined) schema.produces = e.produces;
  return {
    method: e.method,
    url: e.path,
    config: { ...extra.config, access: e.access },
    ...(extra.bodyLimit === undefined ? {} : { bodyLimit: extra.bodyLimit }),
    // Absent keys are left out at run time; the type keeps each schema for inference.
    schema: schema as unknown as RouteSchema<E>,
  };
}
