import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import { connect, type Db } from '../db/connect.ts';
import { hasNoFirm } from '../db/firms.ts';
import { migrate } from '../db/migrate.ts';
import { SandboxProcessor } from '../processor/sandbox/sandbox-processor.ts';
import { buildApp, metricsOf } from '../server/app.ts';
import { startScheduler } from '../server/scheduler.ts';

export interface FirstRunContext {
  db: Db;
  config: Config;
  logger: FastifyBaseLogger | undefined;
}

export interface StartOptions {
  logger?: FastifyBaseLogger;
  /**
   * Called once the database is migrated, when it holds no firm yet and config.demo is
   * on: the place where the demo seed plugs in. The server listens only after it returns.
   */
  onFirstRun?: (context: FirstRunContext) => Promise<void>;
}

export interface RunningServer {
  url: string;
  app: FastifyInstance;
  db: Db;
  /** Stops taking requests, lets the open ones finish, then closes the database. Safe to call twice. */
  close(): Promise<void>;
}

/** A URL a person can open: a wildcard address is reachable on localhost. */
function urlFor(host: string, port: number): string {
  const shown = ['0.0.0.0', '::', '127.0.0.1'].includes(host) ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${port}`;
}

/** Connects, migrates, seeds a first run when asked, and listens on config.host:config.port. */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const { logger, onFirstRun } = options;
  const conn = await connect(config);
  const processor = new SandboxProcessor(conn.db);
  let app: FastifyInstance | undefined;
  try {
    const applied = await migrate(conn.db);
    if (applied.length > 0) logger?.info({ migrations: applied }, 'database migrated');
    if (config.demo && onFirstRun && (await hasNoFirm(conn.db))) {
      await onFirstRun({ db: conn.db, config, logger });
    }
    app = await buildApp({ db: conn.db, listen: conn.listen, config, processor, ...(logger ? { logger } : {}) });
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await app?.close();
    await conn.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const running = app;
  const scheduler = startScheduler({
    db: conn.db,
    everySeconds: config.autoPostCheckSeconds,
    logger,
    processor,
    metrics: metricsOf(running),
    // The sandbox posts its events to this server's own webhook route, signed, as a processor would.
    sandboxWebhook: async ({ path, headers, body }) => {
      const res = await running.inject({ method: 'POST', url: path, headers, payload: body });
      return { statusCode: res.statusCode, body: res.body };
    },
  });
  let closing: Promise<void> | undefined;
  return {
    url: urlFor(config.host, port),
    app: running,
    db: conn.db,
    close() {
      closing ??= (async () => {
        try {
          await scheduler.stop();
          await running.close();
        } finally {
          // PGlite writes its data directory on close; skipping this leaves it inconsistent.
          await conn.close();
        }
      })();
      return closing;
    },
  };
}
