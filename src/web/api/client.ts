import type { ErrorBody } from '../../contract/errors.ts';

/**
 * The UI's only way to the server: JSON over fetch on the same origin, so the session
 * cookie goes along. Every change carries the CSRF token the sign-in answer gave.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
export type Query = Record<string, string | number | undefined | null>;

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/** What a refusal may hold: the contract's body, read defensively (a proxy's error page has none of it). */
type ReceivedError = { error?: Partial<ErrorBody['error']> };

async function failure(response: Response): Promise<ApiError> {
  let body: ReceivedError = {};
  try {
    body = (await response.json()) as ReceivedError;
  } catch {
    // not JSON (a proxy's error page): the status says enough
  }
  const code = body.error?.code ?? `http_${response.status}`;
  return new ApiError(response.status, code, body.error?.message ?? response.statusText, body.error?.details);
}

async function send(
  method: Method,
  path: string,
  body?: unknown,
  extra: Record<string, string> = {},
): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json', ...extra };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const response = await fetch(`/api/v1${path}`, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw await failure(response);
  return response;
}

/** `idempotencyKey`: the same key sent again (a retried click) is answered once, from the first answer. */
export async function api<T>(method: Method, path: string, body?: unknown, idempotencyKey?: string): Promise<T> {
  const response = await send(method, path, body, idempotencyKey ? { 'idempotency-key': idempotencyKey } : {});
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** Fetches a file (Excel export, batch file) and hands it to the browser as a download. */
export async function download(path: string, fallbackName: string): Promise<string> {
  const response = await send('GET', path);
  const disposition = response.headers.get('content-disposition') ?? '';
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked later: some browsers read the blob after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}
