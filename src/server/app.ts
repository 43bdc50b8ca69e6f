import { registerSecurityHeaders } from './security-headers.ts';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { ZodType } from 'zod';
import type { Config } from '../config.ts';
import { fastPathOf } from '../contract/fast-path.ts';
import type { Db, Listen } from '../db/connect.ts';
import { watchConflicts } from '../db/transaction.ts';
import type { Processor } from '../processor/processor.ts';
import { SandboxProcessor } from '../processor/sandbox/sandbox-processor.ts';
import { createMailer, type Mailer } from '../mail/mailer.ts';
import { createMetrics, registerHealth, type Metrics } from './health.ts';
import { registerAgentContact } from './agent-contact.ts';
import { authenticate, type Access } from './auth.ts';
import { ERROR_STATUS, errorHandler, frameworkErrorHandler } from './errors.ts';
import { registerIdempotency } from './idempotency.ts';
import { databaseRateLimitStore } from './rate-limit-store.ts';
import { LiveBus } from './live.ts';
import { EVENT_STREAM_DEFAULTS, type EventStreamOptions } from './routes/events.ts';
import { apiRoutes } from './routes/index.ts';
import { webRoutes } from './routes/web.ts';

export interface AppDeps {
  db: Db;
  /** LISTEN on the same database (the Connection's): how this instance hears of every instance's changes. */
  listen: Listen;
  config: Config;
  logger?: FastifyBaseLogger | false;
  /** The card processor; the sandbox processor on the app's own database by default. */
  processor?: Processor;
  /** Where mail goes: SMTP, or the outbox folder (config), by default. */
  mailer?: Mailer;
  /** The built web UI; tests point it elsewhere. */
  webDist?: string;
  /** The event stream's timings; tests shorten them. */
  events?: Partial<EventStreamOptions>;
  /**
   * "Now" for the routes whose rules are about today's date (a payment schedule's start
   * and cancellation): the real time by default; the simulation gives its own clock.
   */
  clock?: () => Date;
}

/** A registered route as the access walk in test/security sees it. */
export interface RouteEntry {
  method: string;
  url: string;
  access: Access | undefined;
  bodyLimit: number | undefined;
  /** The route's request schemas (zod), so a test can find every field a client sends. */
  input: { body?: unknown; querystring?: unknown; params?: unknown };
}

const routeTables = new WeakMap<FastifyInstance, RouteEntry[]>();
const buses = new WeakMap<FastifyInstance, LiveBus>();

/** Every route the app registered, with its declared access, so a test can walk them all. */
export function listRoutes(app: FastifyInstance): readonly RouteEntry[] {
  return routeTables.get(app) ?? [];
}

/** The app's wake-up bus, for tests that look at what it holds. */
export function liveBusOf(app: FastifyInstance): LiveBus {
  const bus = buses.get(app);
  if (!bus) throw new Error('this app was not made by buildApp');
  return bus;
}

const metricsOfApp = new WeakMap<FastifyInstance, Metrics>();

/** The app's Prometheus metrics, for the scheduler beside it to count its job runs in. */
export function metricsOf(app: FastifyInstance): Metrics | undefined {
  return metricsOfApp.get(app);
}

export async function buildApp({
  db,
  listen,
  config,
  logger = false,
  processor = new SandboxProcessor(db),
  mailer = createMailer(config),
  webDist,
  events,
  clock = () => new Date(),
}: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    ...(logger ? { loggerInstance: logger } : { logger: false }),
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    // Ids and cursors are short; a longer query string is a mistake or an attack.
    routerOptions: { maxParamLength: 200 },
    frameworkErrors: frameworkErrorHandler,
    // The demo (on by default) logs each request at debug: at info they would bury the
    // start-up summary a newcomer reads on the terminal. LOG_LEVEL=debug shows them.
    ...(config.demo ? { logController: new LogController({ disableRequestLogging: true }) } : {}),
  }).withTypeProvider<ZodTypeProvider>();
  if (config.demo) {
    app.addHook('onRequest', async (request) => request.log.debug({ req: request }, 'incoming request'));
    app.addHook('onResponse', async (request, reply) =>
      request.log.debug({ res: reply, responseTime: reply.elapsedTime }, 'request completed'),
    );
  }

  // A schema with a fast path (src/contract/fast-path.ts) is asked only when the fast path is unsure.
  app.setValidatorCompiler<ZodType>((route) => {
    const bySchema = validatorCompiler(route);
    const fast = fastPathOf(route.schema);
    if (fast === undefined) return bySchema;
    return (data) => {
      const value = fast(data);
      return value === undefined ? bySchema(data) : { value };
    };
  });
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(ERROR_STATUS.not_found)
      .send({ error: { code: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` } }),
  );

  await app.register(cookie);
  // Only routes that set config.rateLimit are limited (sign-in, public payment pages),
  // counted in the database so that several instances hold each limit in total.
  await app.register(rateLimit, { global: false, store: databaseRateLimitStore(db) });
  await app.register(swagger, {
    openapi: {
      info: { title: 'paybridge API', version: '1' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'pb_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });

  const routes: RouteEntry[] = [];
  routeTables.set(app, routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      const { body, querystring, params } = route.schema ?? {};
      routes.push({
        method,
        url: route.url,
        access: route.config?.access,
        bodyLimit: route.bodyLimit,
        input: { body, querystring, params },
      });
    }
  });

  registerSecurityHeaders(app);
  const metrics = createMetrics(db);
  metricsOfApp.set(app, metrics);
  registerHealth(app, db, metrics, config.metricsToken);
  app.decorateRequest('principal', null);
  app.addHook('onRequest', authenticate(db));
  registerAgentContact(app, db);
  registerIdempotency(app, db);
  // A conflict retried in a fresh transaction is routine under load; one that outlasted
  // its retries was answered 503.
  const unwatch = watchConflicts(db, (conflict) =>
    conflict.retried
      ? app.log.debug({ conflict }, 'transaction conflict, retried')
      : app.log.warn({ conflict }, 'transaction conflict outlasted its retries'),
  );
  app.addHook('onClose', async () => {
    unwatch();
  });

  const live = await LiveBus.start(listen, app.log);
  buses.set(app, live);
  // Before the server stops taking connections and waits for the open ones: held
  // long-polls answer and event streams end, so none of them holds the shutdown.
  app.addHook('preClose', async () => {
    live.endRequests();
  });
  app.addHook('onClose', async () => {
    await live.close();
  });

  await app.register(webRoutes(webDist));
  await app.register(
    apiRoutes({ db, config, processor, mailer, live, events: { ...EVENT_STREAM_DEFAULTS, ...events }, clock }),
    {
      prefix: '/api/v1',
    },
  );
  app.get('/api/v1/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());
  return app;
}
