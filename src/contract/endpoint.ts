import type { z } from 'zod';
import type { Role } from '../domain/types.ts';

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** Who may call an endpoint: anyone, any signed-in user, a role or better, or the firm's agent. */
export type Access = 'public' | 'user' | Role | 'agent';

/**
 * One HTTP endpoint of SPEC §9: its method and path, who may call it, and the zod schemas
 * of what it takes and answers. The server's route, the OpenAPI document, the web client
 * and the agent all take it from here, so none of them declares the shape again.
 */
export interface Endpoint {
  method: Method;
  /** Under /api/v1, with `:name` for a path parameter. */
  path: string;
  access: Access;
  summary: string;
  description?: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  headers?: z.ZodType;
  /** The success status; 200 unless said. A 204 answers no body: its response is z.null(). */
  status?: 200 | 201 | 204;
  /** 200: an idempotent create answers 201 when new and 200 when the same request was already done. */
  repeatStatus?: 200;
  /** The JSON answer; absent for an answer that is not JSON (a file, an event stream), unless `produces` says what it is. */
  response?: z.ZodType;
  /**
   * The content types of an answer that is not JSON (a file, an event stream), for the
   * OpenAPI document; `response` then only describes it (z.unknown().describe(...)).
   */
  produces?: readonly string[];
}

/** Declares an endpoint, keeping every schema's own type for the callers' inference. */
export const endpoint = <const E extends Endpoint>(e: E): E => e;

type Input<S> = S extends z.ZodType ? z.input<S> : never;

/** What a caller sends: the path parameters, the query and the body, each only where the endpoint takes one. */
export type RequestOf<E extends Endpoint> = (E['params'] extends z.ZodType
  ? { params: Input<E['params']> }
  : { params?: never }) &
  (E['query'] extends z.ZodType ? { query?: Input<E['query']> } : { query?: never }) &
  (E['body'] extends z.ZodType ? { body: Input<E['body']> } : { body?: never });

/** What the endpoint answers, as parsed JSON (never for an answer that is not JSON). */
export type ResponseOf<E extends Endpoint> = E extends { produces: readonly string[] }
  ? never
  : E['response'] extends z.ZodType
    ? z.output<E['response']>
    : never;
