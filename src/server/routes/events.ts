import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { EVENT_STREAM_TYPE, getEvents, RETRY_MS } from '../../contract/events.ts';
import type { Db } from '../../db/connect.ts';
import type { LiveTopic } from '../../db/notify.ts';
import type { Principal } from '../../usecases/auth/principal.ts';
import { principalFromSession, principalFromToken } from '../../usecases/auth/sessions.ts';
import { bearerToken, requireUser, SESSION_COOKIE } from '../auth.ts';
import { liveRequest } from '../live.ts';
import { routeOf } from '../route.ts';
import type { RouteDeps } from './index.ts';

export interface EventStreamOptions {
  /** A comment line this often keeps proxies from closing a quiet stream; the sign-in is checked again at each. */
  heartbeatMs: number;
  /** After an event, more of the same within this time are sent as one at its end. */
  coalesceMs: number;
}

export const EVENT_STREAM_DEFAULTS: EventStreamOptions = { heartbeatMs: 25_000, coalesceMs: 250 };

/** Whether the sign-in the stream was opened with still holds, for the same firm. */
function signInCheck(db: Db, request: FastifyRequest, principal: Principal): () => Promise<boolean> {
  const token = bearerToken(request);
  const session = request.cookies[SESSION_COOKIE];
  return async () => {
    const now = token ? await principalFromToken(db, token) : session ? await principalFromSession(db, session) : null;
    return now?.kind === 'user' && now.firmId === principal.firmId;
  };
}

export function eventRoutes({ db, live, events }: RouteDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    app.route({
      ...routeOf(getEvents),
      // A HEAD would open a stream with no body that never ends.
      exposeHeadRoute: false,
      handler: (request, reply) => {
        const principal = requireUser(request);
        const stillSignedIn = signInCheck(db, request, principal);
        reply.hijack();
        const res = reply.raw;
        res.on('error', () => undefined); // a client gone mid-write: the close below ends the stream
        res.writeHead(200, {
          'content-type': `${EVENT_STREAM_TYPE}; charset=utf-8`,
          'cache-control': 'no-store, no-transform',
          // nginx and the like would otherwise hold the events back in a buffer
          'x-accel-buffering': 'no',
          'x-content-type-options': 'nosniff',
          // The connection ends with the stream; nothing reuses it.
          connection: 'close',
        });
        const write = (text: string) => {
          if (!res.destroyed && !res.writableEnded) res.write(text);
        };
        write(`retry: ${RETRY_MS}\n\n`);

        const pending = new Set<LiveTopic>();
        let window: NodeJS.Timeout | null = null;
        const flush = () => {
          window = null;
          if (pending.size === 0) return;
          for (const topic of pending) write(`event: ${topic}\ndata: {}\n\n`);
          pending.clear();
          window = setTimeout(flush, events.coalesceMs);
        };
        const unsubscribe = live.subscribe(principal.firmId, (topic) => {
          pending.add(topic);
          if (!window) flush();
        });

        const { signal, done } = liveRequest(live, request, reply);
        let ended = false;
        const end = () => {
          if (ended) return;
          ended = true;
          unsubscribe();
          clearInterval(heartbeat);
          if (window) clearTimeout(window);
          done();
          if (!res.writableEnded) res.end();
        };
        const heartbeat = setInterval(() => {
          stillSignedIn().then(
            (yes) => (yes ? write(': keep-alive\n\n') : end()),
            (error: unknown) => {
              request.log.debug({ err: error }, 'could not check the sign-in of an event stream');
              write(': keep-alive\n\n');
            },
          );
        }, events.heartbeatMs);
        signal.addEventListener('abort', end, { once: true });
        if (signal.aborted) end();
      },
    });
  };
}
