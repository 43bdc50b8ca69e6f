import { LIVE_TOPICS, type LiveTopic } from '../../domain/live-topics.ts';

/**
 * The server tells the UI what changed (GET /api/v1/events, server-sent events for the
 * user's firm), and the UI refetches only the queries that change made out of date. While
 * the stream is down the screens refetch on focus and on an interval instead, so a proxy
 * that buffers event streams, or a server without them, costs freshness and never a screen.
 */

/** The topics GET /events names: the server's own list. */
export const LIVE_EVENTS = LIVE_TOPICS;
export type LiveEvent = LiveTopic;

/**
 * The cached queries each event makes out of date, by the first part of their query key.
 * A batch made or delivered changes its records and what waits for the agent; a record's
 * status shows in the Payment Manager and on the payout lines of Deposits too.
 */
export const STALE_AFTER: Record<LiveEvent, readonly string[]> = {
  'postings.changed': ['postings', 'payments', 'deposits', 'connect'],
  'batches.changed': ['batches', 'postings', 'deposits', 'connect'],
  'connect.changed': ['connect'],
  'deposits.changed': ['deposits'],
};

export const LIVE_QUERIES: readonly string[] = [...new Set(Object.values(STALE_AFTER).flat())];

/** connecting: not yet open; open: events arrive; down: dropped, and being tried again. */
export type LiveState = 'connecting' | 'open' | 'down';

/** What the stream needs of the browser's EventSource (a fake one in the unit tests). */
export interface EventSourceLike {
  readonly readyState: number;
  onopen: ((event: Event) => void) | null;
  onerror: ((event: Event) => void) | null;
  addEventListener(type: string, listener: () => void): void;
  close(): void;
}

/** EventSource.CLOSED: the browser gave up (the server answered other than an event stream) and will not try again. */
const CLOSED = 2;

export interface LiveOptions {
  url: string;
  open: (url: string) => EventSourceLike;
  /** Refetch the queries under these key prefixes. */
  invalidate: (prefixes: string[]) => void;
  onState: (state: LiveState) => void;
  /** Events within this many milliseconds make one refetch: Post All of a thousand records is one reload, not a thousand. */
  gatherMs?: number;
}

/**
 * How long to wait before opening the stream again after the browser gave up on it:
 * 5 s, doubling, at most a minute. (A dropped connection the browser retries by itself,
 * after the `retry` the server sends.)
 */
export function reopenDelay(attempt: number): number {
  return Math.min(60_000, 5_000 * 2 ** Math.max(0, attempt));
}

export function connectLive({ url, open, invalidate, onState, gatherMs = 200 }: LiveOptions): { close(): void } {
  let source: EventSourceLike | null = null;
  let attempts = 0;
  let closed = false;
  let reopenTimer: ReturnType<typeof setTimeout> | undefined;
  let gatherTimer: ReturnType<typeof setTimeout> | undefined;
  const stale = new Set<string>();

  const flush = () => {
    gatherTimer = undefined;
    const prefixes = [...stale];
    stale.clear();
    if (prefixes.length > 0 && !closed) invalidate(prefixes);
  };
  const markStale = (prefixes: readonly string[]) => {
    for (const p of prefixes) stale.add(p);
    gatherTimer ??= setTimeout(flush, gatherMs);
  };

  const start = () => {
    reopenTimer = undefined;
    if (closed) return;
    const s = open(url);
    source = s;
    s.onopen = () => {
      attempts = 0;
      onState('open');
      // Whatever changed while the stream was not open was told to no one: catch up once.
      markStale(LIVE_QUERIES);
    };
    s.onerror = () => {
      if (closed) return;
      onState('down');
      if (s.readyState !== CLOSED) return;
      s.close();
      source = null;
      reopenTimer = setTimeout(start, reopenDelay(attempts));
      attempts += 1;
    };
    for (const name of LIVE_EVENTS) s.addEventListener(name, () => markStale(STALE_AFTER[name]));
  };

  start();
  return {
    close() {
      closed = true;
      clearTimeout(reopenTimer);
      clearTimeout(gatherTimer);
      source?.close();
      source = null;
    },
  };
}
