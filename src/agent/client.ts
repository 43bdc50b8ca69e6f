import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  ackAnswer,
  agentClock,
  outcomeAnswer,
  quarantineAnswer,
  syncAnswer,
  type BatchOutcome,
  type OutcomeAnswer,
  type QuarantineAnswer,
  type SyncAnswer,
  type SyncBody,
} from '../contract/agent.ts';
import { batchOut } from '../contract/batches.ts';
import { identityHeaders, type AgentIdentity } from './identity.ts';
import { mmsMessage } from './mms-message.ts';

/**
 * A batch as GET /agent/batches lists it, checked more strictly than the contract says
 * before use: the file name becomes a path on the firm's server, so only the
 * PB_<FIRM>_<seq>.<ext> shape may get there.
 */
const serverBatch = batchOut.pick({ fileFormat: true, lineCount: true, totalCents: true }).extend({
  id: z.string().regex(/^[0-9a-f-]{36}$/i),
  seq: z.number().int().positive(),
  fileName: z.string().regex(/^PB_[A-Z0-9_]{1,20}_\d{6,}\.[a-z]{1,5}$/),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
const batchList = z.object({ items: z.array(serverBatch) });

export type ServerBatch = z.infer<typeof serverBatch>;
export type { BatchOutcome, OutcomeAnswer, RecordOutcome, SyncAnswer, SyncBody } from '../contract/agent.ts';

/** What names a batch once it has left the server's list: the journal keeps this much of it. */
export type BatchRef = Pick<ServerBatch, 'id' | 'seq' | 'fileName' | 'sha256'>;

/** A failure talking to the server, worded for the person reading the agent's log. */
export class ServerError extends Error {
  constructor(
    message: string,
    /** The HTTP status, or null when the server was not reached. */
    readonly status: number | null,
    readonly code: string | null = null,
  ) {
    super(message);
    this.name = 'ServerError';
  }
}

function describeCause(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  if (cause instanceof Error) return 'code' in cause && typeof cause.code === 'string' ? cause.code : cause.message;
  return String(cause);
}

/** A long-poll: the server holds the answer up to `waitSeconds` while nothing waits; `signal` ends it early (the agent stopping). */
export interface LongPoll {
  waitSeconds: number;
  signal: AbortSignal;
}

/** How long past its wait a long-poll may take before the agent gives up on it as a dead connection. */
const LONG_POLL_GRACE_MS = 30_000;

/** The agent's side of the HTTP protocol of SPEC §9. The token never reaches a log or an error. */
export class ServerClient {
  private readonly headers: Record<string, string>;

  constructor(
    private readonly server: string,
    private readonly token: string,
    /** Sent on every request as X-Paybridge-Agent-* headers; without it, none are sent. */
    identity: AgentIdentity | null = null,
    /** How requests go out: the global fetch, or the simulation's network (src/sim). */
    private readonly send: typeof fetch = fetch,
  ) {
    this.headers = identity ? identityHeaders(identity) : {};
  }

  private async request(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    timeoutMs = 60_000,
    signal?: AbortSignal,
  ): Promise<Response> {
    let response: Response;
    try {
      const send = this.send;
      response = await send(`${this.server}/api/v1${path}`, {
        method,
        headers: {
          ...this.headers,
          authorization: `Bearer ${this.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      // Stopped on purpose: not a failure to reach the server.
      if (signal?.aborted) throw signal.reason;
      throw new ServerError(`cannot reach the paybridge server at ${this.server}: ${describeCause(error)}`, null);
    }
    if (response.ok) return response;
    const text = await response.text().catch(() => '');
    let code: string | null = null;
    let message = text.slice(0, 500);
    try {
      const parsed: unknown = JSON.parse(text);
      if (
        typeof parsed === 'object' &&
        parsed !== null &&
        'error' in parsed &&
        typeof parsed.error === 'object' &&
        parsed.error !== null
      ) {
        const error = parsed.error;
        if ('code' in error && typeof error.code === 'string') code = error.code;
        if ('message' in error && typeof error.message === 'string') message = error.message;
      }
    } catch {
      // not JSON: keep the text
    }
    if (response.status === 401) {
      throw new ServerError(
        `the server at ${this.server} refused the agent token (401: ${message}): it is wrong or has been revoked; ` +
          'create a new one with `paybridge admin create-token --kind agent` and put it in the config',
        401,
        code,
      );
    }
    throw new ServerError(
      `${method} ${path} answered ${response.status}${code ? ` ${code}` : ''}: ${message}`,
      response.status,
      code,
    );
  }

  async sync(body: SyncBody): Promise<SyncAnswer> {
    const response = await this.request('POST', '/agent/sync', body, 300_000);
    const parsed = syncAnswer.safeParse(await response.json());
    if (!parsed.success)
      throw new ServerError("the server's answer to the sync is not what this agent understands", response.status);
    return parsed.data;
  }

  /** The server's time now (GET /agent/clock), as it stamps deliveries. */
  async clock(): Promise<string> {
    const response = await this.request('GET', '/agent/clock');
    const parsed = agentClock.response.extend({ now: z.iso.datetime() }).safeParse(await response.json());
    if (!parsed.success)
      throw new ServerError("the server's clock answer is not what this agent understands", response.status);
    return parsed.data.now;
  }

  /**
   * The undelivered batches, oldest first. With `wait`, a long-poll: while nothing waits the
   * server holds the answer until a batch is made or the seconds pass (an older server
   * ignores waitSeconds and answers at once).
   */
  async batches(wait?: LongPoll): Promise<ServerBatch[]> {
    const response = wait
      ? await this.request(
          'GET',
          `/agent/batches?waitSeconds=${wait.waitSeconds}`,
          undefined,
          wait.waitSeconds * 1000 + LONG_POLL_GRACE_MS,
          wait.signal,
        )
      : await this.request('GET', '/agent/batches');
    const parsed = batchList.safeParse(await response.json());
    if (!parsed.success)
      throw new ServerError(
        `the server's batch list is not what this agent understands: ${z.prettifyError(parsed.error)}`,
        response.status,
      );
    return parsed.data.items;
  }

  /**
   * The file's bytes, checked three ways: the listed sha256, the x-sha256 header and a hash
   * of the bytes received must all agree, or nothing is delivered.
   */
  async download(batch: BatchRef): Promise<Buffer> {
    const response = await this.request('GET', `/agent/batches/${batch.id}/file`, undefined, 300_000);
    const bytes = Buffer.from(await response.arrayBuffer());
    const header = (response.headers.get('x-sha256') ?? '').toLowerCase();
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (header !== batch.sha256 || actual !== batch.sha256) {
      throw new ServerError(
        `batch ${batch.seq} (${batch.fileName}) failed its SHA-256 check: listed ${batch.sha256}, header ${header || 'missing'}, bytes ${actual}; not delivered and not acknowledged`,
        response.status,
        'sha256_mismatch',
      );
    }
    return bytes;
  }

  /**
   * `expectAnswer`: this agent will report the MMS's answer for the batch later; without
   * it the server takes the delivery as the MMS having taken the file.
   */
  async acknowledge(batch: BatchRef, expectAnswer = false): Promise<{ alreadyAcknowledged: boolean }> {
    const response = await this.request('POST', `/agent/batches/${batch.id}/ack`, {
      sha256: batch.sha256,
      ...(expectAnswer ? { expectAnswer: true } : {}),
    });
    // Only what the agent acts on is read, so a server that answers more is still understood.
    const parsed = ackAnswer.pick({ alreadyAcknowledged: true }).safeParse(await response.json());
    if (!parsed.success)
      throw new ServerError(
        `batch ${batch.seq}: the server's answer to the acknowledgement is not understood`,
        response.status,
      );
    return parsed.data;
  }

  /** The MMS's answer for an acknowledged batch. Idempotent on the server: the same answer again changes nothing. */
  async reportOutcome(batch: BatchRef, outcome: BatchOutcome): Promise<OutcomeAnswer> {
    const response = await this.request('POST', `/agent/batches/${batch.id}/outcome`, outcome);
    const parsed = outcomeAnswer.safeParse(await response.json());
    if (!parsed.success)
      throw new ServerError(
        `batch ${batch.seq}: the server's answer to the MMS's outcome is not understood`,
        response.status,
      );
    return parsed.data;
  }

  /** Tells the server this agent quarantined a batch (shown on the Batches screen, told to staff). Idempotent on the server. */
  async reportQuarantine(batch: Pick<BatchRef, 'id' | 'seq'>, reason: string): Promise<QuarantineAnswer> {
    const response = await this.request('POST', `/agent/batches/${batch.id}/quarantine`, {
      reason: mmsMessage(reason, 'quarantined by the agent').replace(/\s*\n\s*/g, ' '),
    });
    const parsed = quarantineAnswer.safeParse(await response.json());
    if (!parsed.success)
      throw new ServerError(
        `batch ${batch.seq}: the server's answer to the quarantine report is not understood`,
        response.status,
      );
    return parsed.data;
  }
}
