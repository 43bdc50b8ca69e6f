import type { z } from 'zod';

/**
 * A hand-written parser for a schema's common case: the schema's own output for an input
 * it accepts, or undefined, and then the schema itself judges the input and words its
 * problems. It exists where zod's checks cost more than the work behind the route (the
 * agent's sync: 50,000 invoices a call); a property test holds each equal to its schema.
 */
export type FastPath<S extends z.ZodType> = (data: unknown, schema: S) => z.output<S> | undefined;

const fastPaths = new WeakMap<object, (data: unknown) => unknown>();

/** The schema itself, with `parse` registered as its fast path (the server's validator asks fastPathOf). */
export function withFastPath<S extends z.ZodType>(schema: S, parse: FastPath<S>): S {
  fastPaths.set(schema, (data) => parse(data, schema));
  return schema;
}

/** The fast path registered for this schema, if any. */
export function fastPathOf(schema: unknown): ((data: unknown) => unknown) | undefined {
  return typeof schema === 'object' && schema !== null ? fastPaths.get(schema) : undefined;
}

/** A plain object as JSON.parse makes it (zod's objects take no arrays, and here no class instances either). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
