/** Configuration from environment variables; each is listed with its default in README.md. */
export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  dataDir: string;
  logLevel: string;
  demo: boolean;
  sessionHours: number;
  secureCookies: boolean;
  trustProxy: boolean;
  bodyLimitBytes: number;
  loginAttemptsPerMinute: number;
  /** Failed sign-ins one account may have in 15 minutes, from any address, before it waits. */
  accountSignInFailures: number;
  /** Where people open the web app: invite and password reset links in mail start with it. */
  publicUrl: string;
  autoPostCheckSeconds: number;
  payRequestsPerMinute: number;
  /** smtp://user:pass@host:587 (or smtps://); unset: mail is written to DATA_DIR/outbox/ instead. */
  smtpUrl: string | undefined;
  mailFrom: string;
  /** The bearer token GET /metrics asks for; unset: no metrics route. */
  metricsToken: string | undefined;
}

export class ConfigError extends Error {
  readonly code = 'invalid_config';
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, not "${raw}"`);
  }
  return Number(raw);
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be 1 or 0, not "${raw}"`);
}

function smtpUrl(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!/^smtps?:\/\/[^\s]+$/.test(raw)) throw new ConfigError('SMTP_URL must be an smtp:// or smtps:// URL');
  return raw;
}

function metricsToken(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (raw.length < 16) throw new ConfigError('METRICS_TOKEN must be at least 16 characters');
  return raw;
}

function publicUrl(raw: string | undefined, port: number): string {
  if (raw === undefined || raw === '') return `http://localhost:${port}`;
  if (!/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(raw))
    throw new ConfigError('PUBLIC_URL must be an http:// or https:// URL such as https://paybridge.example.com');
  return raw.replace(/\/+$/, '');
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: integer(env, 'PORT', 8080, 0, 65535),
    host: env.HOST || '127.0.0.1',
    databaseUrl: env.DATABASE_URL || undefined,
    databasePoolSize: integer(env, 'DATABASE_POOL_SIZE', 10, 1, 1000),
    dataDir: env.DATA_DIR || './data',
    logLevel: env.LOG_LEVEL || 'info',
    demo: flag(env, 'PAYBRIDGE_DEMO', true),
    sessionHours: integer(env, 'SESSION_HOURS', 12, 1, 24 * 30),
    secureCookies: flag(env, 'SECURE_COOKIES', false),
    trustProxy: flag(env, 'TRUST_PROXY', false),
    bodyLimitBytes: integer(env, 'BODY_LIMIT_BYTES', 5 * 1024 * 1024, 1024, 512 * 1024 * 1024),
    loginAttemptsPerMinute: integer(env, 'LOGIN_ATTEMPTS_PER_MINUTE', 10, 1, 10_000),
    accountSignInFailures: integer(env, 'ACCOUNT_SIGN_IN_FAILURES', 10, 1, 10_000),
    publicUrl: publicUrl(env.PUBLIC_URL, integer(env, 'PORT', 8080, 0, 65535)),
    autoPostCheckSeconds: integer(env, 'AUTO_POST_CHECK_SECONDS', 60, 1, 3600),
    payRequestsPerMinute: integer(env, 'PAY_REQUESTS_PER_MINUTE', 30, 1, 100_000),
    smtpUrl: smtpUrl(env.SMTP_URL),
    mailFrom: env.MAIL_FROM || 'paybridge <no-reply@paybridge.invalid>',
    metricsToken: metricsToken(env.METRICS_TOKEN),
  };
}
