import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { SyncInput } from '../usecases/sync/sync-mms.ts';

/**
 * A batch as GET /agent/batches lists it. Checked before use: the file name becomes a path
 * on the firm's server, so only the PB_<FIRM>_<seq>.<ext> shape may get there.
 */
const serverBatch = z.object({
  id: z.string().regex(/^[0-9a-f-]{36}$/i),
  seq: z.number().int().positive(),
  fileName: z.string().regex(/^PB_[A-Z0-9_]{1,20}_\d{6,}\.[a-z]{1,5}$/),
  fileFormat: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  lineCount: z.number().int(),
  totalCents: z.number().int(),
});
const batchList = z.object({ items: z.array(serverBatch) });
const ackAnswer = z.object({ alreadyAcknowledged: z.boolean() });
const outcomeAnswer = z.object({ applied: z.number().int(), rejected: z.number().int(), alreadyAnswered: z.number().int() });

export type ServerBatch = z.infer<typeof serverBatch>;
export type OutcomeAnswer = z.infer<typeof outcomeAnswer>;

/** One record's answer from the MMS (the procedure sink knows it per record). */
export type RecordOutcome = { recordId: string; outcome: 'applied' } | { recordId: string; outcome: 'rejected'; message: string };

/**
 * The MMS's answer for a batch, as POST /agent/batches/{id}/outcome takes it: the whole
 * file taken or refused (file drop), or each record's (procedure sink).
 */
export type BatchOutcome = { outcome: 'applied' } | { outcome: 'rejected'; message: string } | { records: RecordOutcome[] };

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

export type SyncBody = SyncInput;

export interface SyncAnswer {
  clients: number;
  matters: number;
  invoices: number;
  closed: number;
  reclassifiedToPending: number;
}

function describeCause(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  if (cause instanceof Error) return 'code' in cause && typeof cause.code === 'string' ? cause.code : cause.message;
  return String(cause);
}

/** The agent's side of the HTTP protocol of SPEC §9. The token never reaches a log or an error. */
export class ServerClient {
  constructor(
    private readonly server: string,
    private readonly token: string,
  ) {}

  private async request(method: 'GET' | 'POST', path: string, body?: unknown, timeoutMs = 60_000): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(`${this.server}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new ServerError(`cannot reach the paybridge server at ${this.server}: ${describeCause(error)}`, null);
    }
    if (response.ok) return response;
    const text = await response.text().catch(() => '');
    let code: string | null = null;
    let message = text.slice(0, 500);
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null && 'error' in parsed && typeof parsed.error === 'object' && parsed.error !== null) {
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
    throw new ServerError(`${method} ${path} answered ${response.status}${code ? ` ${code}` : ''}: ${message}`, response.status, code);
  }

  async sync(body: SyncBody): Promise<SyncAnswer> {
    const response = await this.request('POST', '/agent/sync', body, 300_000);
    return (await response.json()) as SyncAnswer;
  }

  /** The server's time now (GET /agent/clock), as it stamps deliveries. */
  async clock(): Promise<string> {
    const response = await this.request('GET', '/agent/clock');
    const parsed = z.object({ now: z.iso.datetime() }).safeParse(await response.json());
    if (!parsed.success) throw new ServerError("the server's clock answer is not what this agent understands", response.status);
    return parsed.data.now;
  }

  async batches(): Promise<ServerBatch[]> {
    const response = await this.request('GET', '/agent/batches');
    const parsed = batchList.safeParse(await response.json());
    if (!parsed.success) throw new ServerError(`the server's batch list is not what this agent understands: ${z.prettifyError(parsed.error)}`, response.status);
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
    const response = await this.request('POST', `/agent/batches/${batch.id}/ack`, { sha256: batch.sha256, ...(expectAnswer ? { expectAnswer: true } : {}) });
    const parsed = ackAnswer.safeParse(await response.json());
    if (!parsed.success) throw new ServerError(`batch ${batch.seq}: the server's answer to the acknowledgement is not understood`, response.status);
    return parsed.data;
  }

  /** The MMS's answer for an acknowledged batch. Idempotent on the server: the same answer again changes nothing. */
  async reportOutcome(batch: BatchRef, outcome: BatchOutcome): Promise<OutcomeAnswer> {
    const response = await this.request('POST', `/agent/batches/${batch.id}/outcome`, outcome);
    const parsed = outcomeAnswer.safeParse(await response.json());
    if (!parsed.success) throw new ServerError(`batch ${batch.seq}: the server's answer to the MMS's outcome is not understood`, response.status);
    return parsed.data;
  }
}
