import type { FastifyInstance } from 'fastify';

/** What the simulated network does to one request. */
export type NetFault =
  /** Never reaches the server. */
  | 'drop'
  /** Reaches the server, which commits; the answer is lost on the way back. */
  | 'lose-response'
  /** Sent twice (a client's retry racing the first): the caller sees the second answer. */
  | 'repeat'
  /** Held back and delivered later, after requests sent after it (the caller sees it fail). */
  | 'delay';

export const NET_FAULTS: readonly NetFault[] = ['drop', 'lose-response', 'repeat', 'delay'];

export interface SimRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

export interface SimResponse {
  status: number;
  body: string;
  headers: Record<string, string>;
}

/** The network failed the request: the caller cannot tell whether the server acted. */
export class NetworkError extends Error {
  constructor(readonly fault: NetFault) {
    super(`network: ${fault}`);
    this.name = 'NetworkError';
  }
}

/**
 * The wire between the simulated clients (the agent, the firm's staff, the processor) and
 * the server: Fastify's inject, with one fault armed at a time for the next request.
 */
export class SimNetwork {
  private armed: NetFault | null = null;
  /** Answers a client must never get: a 500 (or any 5xx but 503), or a 503 for the database without Retry-After. */
  readonly serverErrors: string[] = [];
  private readonly delayed: SimRequest[] = [];

  constructor(
    private readonly app: FastifyInstance,
    private readonly log: (line: string) => void,
    /** Whether the database is down (stopped, not yet started again): every answer then is a 503. */
    private readonly databaseDown: () => boolean = () => false,
  ) {}

  arm(fault: NetFault | null): void {
    this.armed = fault;
  }

  get heldBack(): number {
    return this.delayed.length;
  }

  private async deliver(request: SimRequest): Promise<SimResponse> {
    const res = await this.app.inject({
      method: request.method as 'GET',
      url: request.url,
      headers: request.headers,
      ...(request.payload === undefined ? {} : { payload: request.payload }),
    });
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) headers[name] = String(value);
    const what = `${res.statusCode} to ${request.method} ${request.url.replace(/\?.*/, '')}: ${res.body.slice(0, 200)}`;
    if (res.statusCode >= 500 && res.statusCode !== 503) this.serverErrors.push(what);
    else if (this.databaseDown() && res.statusCode !== 503)
      this.serverErrors.push(`${what} (while the database was down)`);
    else if (
      res.statusCode === 503 &&
      res.body.includes('database_unavailable') &&
      headers['retry-after'] === undefined
    )
      this.serverErrors.push(`${what} (without Retry-After)`);
    return { status: res.statusCode, body: res.body, headers };
  }

  async send(request: SimRequest): Promise<SimResponse> {
    const fault = this.armed;
    this.armed = null;
    if (fault === null) return this.deliver(request);
    const what = `${request.method} ${request.url.replace(/\?.*/, '')}`;
    this.log(`  net fault ${fault}: ${what}`);
    switch (fault) {
      case 'drop':
        throw new NetworkError(fault);
      case 'delay':
        this.delayed.push(request);
        throw new NetworkError(fault);
      case 'lose-response': {
        const res = await this.deliver(request);
        this.log(`    (server answered ${res.status}, lost)`);
        throw new NetworkError(fault);
      }
      case 'repeat': {
        const first = await this.deliver(request);
        const second = await this.deliver(request);
        this.log(`    (answered ${first.status} then ${second.status})`);
        return second;
      }
    }
  }

  /** Delivers the requests held back, in the order given; their answers go nowhere. */
  async deliverHeld(pick: (count: number) => number): Promise<void> {
    while (this.delayed.length > 0) {
      const [request] = this.delayed.splice(pick(this.delayed.length), 1);
      const res = await this.deliver(request!);
      this.log(`  late delivery ${request!.method} ${request!.url.replace(/\?.*/, '')}: ${res.status}`);
    }
  }

  /** A fetch for the agent's ServerClient over this network. */
  readonly fetch: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, name) => (headers[name] = value));
    let res: SimResponse;
    try {
      res = await this.send({
        method: init?.method ?? 'GET',
        url: url.pathname + url.search,
        headers,
        ...(typeof init?.body === 'string' ? { payload: init.body } : {}),
      });
    } catch (error) {
      if (error instanceof NetworkError) throw new TypeError('fetch failed', { cause: error });
      throw error;
    }
    return new Response(res.status === 204 ? null : res.body, { status: res.status, headers: res.headers });
  };
}
