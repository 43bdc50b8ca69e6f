import { createHash } from 'node:crypto';
import type { SyncInput } from '../usecases/sync/sync-mms.ts';

/** A batch as GET /agent/batches lists it. */
export interface ServerBatch {
  id: string;
  seq: number;
  fileName: string;
  fileFormat: string;
  sha256: string;
  lineCount: number;
  totalCents: number;
}

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

  async batches(): Promise<ServerBatch[]> {
    const response = await this.request('GET', '/agent/batches');
    const parsed = (await response.json()) as { items: ServerBatch[] };
    return parsed.items;
  }

  /**
   * The file's bytes, checked three ways: the listed sha256, the x-sha256 header and a hash
   * of the bytes received must all agree, or nothing is delivered.
   */
  async download(batch: ServerBatch): Promise<Buffer> {
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

  async acknowledge(batch: ServerBatch): Promise<{ alreadyAcknowledged: boolean }> {
    const response = await this.request('POST', `/agent/batches/${batch.id}/ack`, { sha256: batch.sha256 });
    return (await response.json()) as { alreadyAcknowledged: boolean };
  }
}
