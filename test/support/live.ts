import http from 'node:http';
import type { FastifyInstance } from 'fastify';

/** Listens on a free port of 127.0.0.1 (once) and answers the base URL: streams and held requests need a real socket. */
export async function baseUrlOf(app: FastifyInstance): Promise<string> {
  if (!app.server.listening) await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('the server has no port');
  return `http://127.0.0.1:${address.port}`;
}

export interface ServerSentEvent {
  event: string;
  data: string;
}

/** An open GET /api/v1/events as a browser's EventSource reads it. */
export interface EventStream {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The first bytes, before any event. */
  retry: number | null;
  events: ServerSentEvent[];
  comments: string[];
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  /** Resolves with the first event (counting from `from`) that `test` accepts, or fails after `timeoutMs`. */
  next(test: (e: ServerSentEvent) => boolean, timeoutMs?: number, from?: number): Promise<ServerSentEvent>;
  close(): void;
}

/** Opens the event stream with these headers (a bearer token or a session cookie); resolves once the first block arrived. */
export function openEvents(baseUrl: string, headers: Record<string, string>): Promise<EventStream> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      `${baseUrl}/api/v1/events`,
      { headers: { accept: 'text/event-stream', ...headers } },
      (res) => {
        const events: ServerSentEvent[] = [];
        const comments: string[] = [];
        const waiters = new Set<() => void>();
        let retry: number | null = null;
        let buffer = '';
        let resolveEnded!: () => void;
        const ended = new Promise<void>((r) => (resolveEnded = r));
        const stream: EventStream = {
          status: res.statusCode ?? 0,
          headers: res.headers,
          get retry() {
            return retry;
          },
          events,
          comments,
          ended,
          next(test, timeoutMs = 5_000, from = 0) {
            return new Promise((found, fail) => {
              const look = () => {
                const hit = events.slice(from).find(test);
                if (!hit) return false;
                clearTimeout(timer);
                waiters.delete(check);
                found(hit);
                return true;
              };
              const check = () => void look();
              const timer = setTimeout(() => {
                waiters.delete(check);
                fail(new Error(`no such event within ${timeoutMs} ms; got ${JSON.stringify(events.slice(from))}`));
              }, timeoutMs);
              if (!look()) waiters.add(check);
            });
          },
          close() {
            request.destroy();
          },
        };
        let first = true;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            let event = 'message';
            const data: string[] = [];
            let dispatch = false;
            for (const line of block.split('\n')) {
              if (line.startsWith(':')) comments.push(line.slice(1).trim());
              else if (line.startsWith('retry: ')) retry = Number(line.slice(7));
              else if (line.startsWith('event: ')) event = line.slice(7);
              else if (line.startsWith('data: ')) {
                data.push(line.slice(6));
                dispatch = true;
              }
            }
            if (dispatch) events.push({ event, data: data.join('\n') });
            for (const waiter of [...waiters]) waiter();
          }
          if (first) {
            first = false;
            resolve(stream);
          }
        });
        res.on('end', resolveEnded);
        res.on('close', resolveEnded);
        res.on('error', () => resolveEnded());
        // An answer that is not a stream (a 401, a 403) ends at once with its JSON.
        if (res.statusCode !== 200) {
          res.on('end', () => resolve({ ...stream, events: [{ event: 'body', data: buffer }] }));
        }
      },
    );
    request.on('error', reject);
  });
}

/** One GET through a real socket, as the agent sends it; with the time it took. */
export async function timedGet(baseUrl: string, path: string, headers: Record<string, string>) {
  const started = performance.now();
  const res = await fetch(`${baseUrl}/api/v1${path}`, { headers });
  const body = await res.text();
  return {
    status: res.status,
    body,
    json: () => JSON.parse(body) as unknown,
    ms: performance.now() - started,
    at: performance.now(),
    headers: res.headers,
  };
}

/** Polls `test` every 10 ms until it holds, or fails after `timeoutMs`. */
export async function until(
  test: () => boolean | Promise<boolean>,
  timeoutMs = 5_000,
  what = 'the condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`${what} did not hold within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * A GET through a socket of its own that the caller can cut, as an agent killed mid-request
 * would. (fetch is not used: after an abort it opens a spare connection that sends nothing,
 * which a closing server waits on until its headers timeout.)
 */
export function cuttableGet(
  baseUrl: string,
  path: string,
  headers: Record<string, string>,
): { cut(): void; done: Promise<void> } {
  const request = http.get(`${baseUrl}/api/v1${path}`, { headers, agent: false });
  const done = new Promise<void>((resolve) => {
    request.on('error', () => resolve());
    request.on('close', () => resolve());
  });
  return { cut: () => request.destroy(), done };
}
