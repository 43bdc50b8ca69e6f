import { pino, type Logger } from 'pino';
import { ConfigError } from '../config.ts';

/**
 * Secrets that may reach a log line. Fastify's default serializers log no headers, but
 * a handler or a plugin that logs a request, a body or a use-case result must still not
 * leak a bearer token, session cookie or password (SPEC §7).
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'password',
  'token',
  'sessionToken',
  'csrfToken',
  '*.password',
  '*.token',
  '*.sessionToken',
  '*.csrfToken',
  // Card and bank details reach only the sandbox tokenizer, which logs nothing of them;
  // these catch a handler or plugin that would log its body anyway.
  'cardNumber',
  'cvc',
  'accountNumber',
  'routingNumber',
  'webhookSecret',
  '*.cardNumber',
  '*.cvc',
  '*.accountNumber',
  '*.routingNumber',
  '*.webhookSecret',
];

/**
 * A payment link or quick link's token is the payer's whole authority to pay: it stays
 * out of the logs, where the request line would otherwise carry it (`/pay/link/pl_…`).
 */
export function redactUrl(url: string): string {
  return url.replace(/(\/pay\/(?:link|quick)\/)[^/?#]+/g, '$1[redacted]');
}

interface LoggedRequest {
  method: string;
  url: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

/** Fastify's own request serializer, with the URL's tokens redacted; anything else logged as `req` as it is. */
function serializeRequest(req: LoggedRequest) {
  if (typeof req.url !== 'string') return req;
  return {
    method: req.method,
    url: redactUrl(req.url),
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

/**
 * JSON lines on stderr, so that stdout carries only what a command prints for scripts
 * (the server URL, or the admin commands' JSON).
 */
export function createLogger(level: string, destination: number | NodeJS.WritableStream = 2): Logger {
  const levels = [...Object.keys(pino.levels.values), 'silent'];
  if (!levels.includes(level)) throw new ConfigError(`LOG_LEVEL must be one of ${levels.join(', ')}, not "${level}"`);
  const stream = typeof destination === 'number' ? pino.destination({ fd: destination, sync: true }) : destination;
  return pino(
    { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, serializers: { req: serializeRequest } },
    stream,
  );
}
