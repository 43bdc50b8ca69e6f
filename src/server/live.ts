import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import type { Listen } from '../db/connect.ts';
import { LIVE_CHANNEL, LIVE_TOPICS, parseLivePayload, type LiveTopic } from '../db/notify.ts';

export type LiveHandler = (topic: LiveTopic) => void;

/** Why a wait ended. */
export type WaitOutcome = 'changed' | 'timeout' | 'ended';

/** A firm's topic latched from the moment the watch is made, so a change between a read and the wait is not missed. */
export interface Watch {
  /** Resolves 'changed' at the topic's next message (or one since the last wait), 'timeout' after `ms`, 'ended' when `signal` aborts. */
  wait(ms: number, signal: AbortSignal): Promise<WaitOutcome>;
  stop(): void;
}

/**
 * The wake-up bus of one server instance: one LISTEN on the database (src/db/notify.ts
 * says what is sent), fanned out in process to the subscribers of each firm: agents
 * waiting for a batch, and the browsers' event streams. Messages carry no data, so a
 * subscriber only ever learns that its own firm's postings, batches or Connect status
 * changed, and reads them through the firm-scoped API.
 */
export class LiveBus {
  private readonly firms = new Map<string, Set<LiveHandler>>();
  /** The live requests: each is ended when the server closes. */
  private readonly requests = new Set<AbortController>();
  private stopListening: (() => Promise<void>) | null = null;
  private closing = false;
  private drops = 0;

  private constructor(private readonly log: FastifyBaseLogger | null) {}

  static async start(listen: Listen, log: FastifyBaseLogger | null): Promise<LiveBus> {
    const bus = new LiveBus(log);
    bus.stopListening = await listen(LIVE_CHANNEL, {
      onNotification: (payload) => bus.deliver(payload),
      onDrop: (error) => {
        bus.drops += 1;
        bus.log?.warn({ err: error }, 'the LISTEN connection dropped; opening it again');
      },
      // Whatever was published while the connection was down is lost: everyone looks again.
      onReconnect: () => {
        bus.log?.info('listening again');
        bus.everyoneLooksAgain();
      },
    });
    return bus;
  }

  private deliver(payload: string): void {
    const message = parseLivePayload(payload);
    if (!message) {
      this.log?.debug({ payload: payload.slice(0, 200) }, 'ignored a notification that is not paybridge news');
      return;
    }
    for (const handler of [...(this.firms.get(message.firmId) ?? [])]) handler(message.topic);
  }

  private everyoneLooksAgain(): void {
    for (const handlers of this.firms.values()) {
      for (const handler of [...handlers]) for (const topic of LIVE_TOPICS) handler(topic);
    }
  }

  /** Calls `handler` with each topic published for the firm, until the returned function is called. */
  subscribe(firmId: string, handler: LiveHandler): () => void {
    const key = firmId.toLowerCase();
    let handlers = this.firms.get(key);
    if (!handlers) this.firms.set(key, (handlers = new Set()));
    handlers.add(handler);
    return () => {
      handlers.delete(handler);
      if (handlers.size === 0 && this.firms.get(key) === handlers) this.firms.delete(key);
    };
  }

  watch(firmId: string, topic: LiveTopic): Watch {
    let latched = false;
    let wake: (() => void) | null = null;
    const unsubscribe = this.subscribe(firmId, (t) => {
      if (t !== topic) return;
      if (wake) wake();
      else latched = true;
    });
    return {
      wait: (ms, signal) => {
        if (latched) {
          latched = false;
          return Promise.resolve('changed');
        }
        if (signal.aborted) return Promise.resolve('ended');
        return new Promise<WaitOutcome>((resolve) => {
          const finish = (outcome: WaitOutcome) => {
            clearTimeout(timer);
            signal.removeEventListener('abort', onAbort);
            wake = null;
            resolve(outcome);
          };
          const onAbort = () => finish('ended');
          const timer = setTimeout(() => finish('timeout'), Math.max(0, ms));
          signal.addEventListener('abort', onAbort, { once: true });
          wake = () => finish('changed');
        });
      },
      stop: unsubscribe,
    };
  }

  /**
   * A live request's end: aborted when the server starts closing (or at once, if it
   * already has). Call the returned function when the request is over.
   */
  track(controller: AbortController): () => void {
    if (this.closing) controller.abort();
    this.requests.add(controller);
    return () => {
      this.requests.delete(controller);
    };
  }

  /** The server is closing: every live request ends now, so none holds the shutdown. */
  endRequests(): void {
    this.closing = true;
    for (const controller of [...this.requests]) controller.abort();
  }

  get isClosing(): boolean {
    return this.closing;
  }

  /** Stops listening; after endRequests. */
  async close(): Promise<void> {
    this.endRequests();
    const stop = this.stopListening;
    this.stopListening = null;
    await stop?.();
  }

  /** For tests and logs: what the bus holds now. */
  stats(): { firms: number; subscribers: number; requests: number; drops: number } {
    let subscribers = 0;
    for (const handlers of this.firms.values()) subscribers += handlers.size;
    return { firms: this.firms.size, subscribers, requests: this.requests.size, drops: this.drops };
  }
}

/**
 * The end of a live request (a long-poll, an event stream): its signal aborts when the
 * client goes away or the server starts closing. Call `done` when the request is over.
 */
export function liveRequest(
  bus: LiveBus,
  request: FastifyRequest,
  reply: FastifyReply,
): { signal: AbortSignal; done: () => void } {
  const controller = new AbortController();
  const abort = () => controller.abort();
  // The request's 'close' comes when the client goes (or once the answer is sent); the
  // response's when the connection does.
  request.raw.once('close', abort);
  reply.raw.once('close', abort);
  const untrack = bus.track(controller);
  return {
    signal: controller.signal,
    done: () => {
      untrack();
      request.raw.off('close', abort);
      reply.raw.off('close', abort);
    },
  };
}

/**
 * Reads until `ready` says the answer is worth sending, waking at each message of the
 * firm's topic, for at most `waitMs`; then (or when `signal` aborts) sends the last read.
 * The watch is made before the first read, so a change between a read and the wait wakes it.
 */
export async function readUntil<T>(
  bus: LiveBus,
  firmId: string,
  topic: LiveTopic,
  waitMs: number,
  signal: AbortSignal,
  read: () => Promise<T>,
  ready: (answer: T) => boolean,
): Promise<T> {
  const watch = bus.watch(firmId, topic);
  try {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const answer = await read();
      const left = deadline - Date.now();
      if (ready(answer) || left <= 0 || signal.aborted) return answer;
      if ((await watch.wait(left, signal)) === 'ended') return answer;
    }
  } finally {
    watch.stop();
  }
}
