import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Db } from '../db/connect.ts';
import { countRequest } from '../db/rate-limits.ts';

type Callback = Parameters<FastifyRateLimitStore['incr']>[1];

/** What @fastify/rate-limit hands child(): the route's merged limit options, with the route. */
interface ChildOptions {
  routeInfo?: { method?: string | string[]; url?: string };
}

/**
 * @fastify/rate-limit's `store` counting in the database (src/db/rate-limits.ts), so that
 * several server instances on one database hold each limit in total, as one instance
 * would. Like the plugin's own stores, a route's limit counts under a key of its own: the
 * route (method and URL pattern) before the caller's key (its address). If the database
 * cannot be reached the request fails with that error, answered 503 database_unavailable
 * (src/server/errors.ts) as any other request would be.
 */
export function databaseRateLimitStore(db: Db): FastifyRateLimitStoreCtor {
  class DatabaseRateLimitStore implements FastifyRateLimitStore {
    private readonly prefix: string;
    constructor(_options: unknown, prefix = '') {
      this.prefix = prefix;
    }

    incr(key: string, callback: Callback, timeWindow: number): void {
      countRequest(db, this.prefix + key, timeWindow).then(
        ({ hits, ttlMs }) => callback(null, { current: hits, ttl: ttlMs }),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    }

    child(routeOptions: unknown): FastifyRateLimitStore {
      const route = (routeOptions as ChildOptions).routeInfo ?? {};
      return new DatabaseRateLimitStore(undefined, `${[route.method ?? ''].flat().join(',')} ${route.url ?? ''} `);
    }
  }
  return DatabaseRateLimitStore;
}
