import { mkdir } from 'node:fs/promises';
import type { Logger } from 'pino';
import { ServerClient, type SyncBody } from './client.ts';
import type { AgentConfig, FileDropConfig } from './config.ts';
import { deliverWaitingBatches, type DeliveryResult } from './deliver.ts';
import { identityOf } from './identity.ts';
import { Journal } from './journal.ts';
import { deliverLive, LONG_POLL_SECONDS } from './live-delivery.ts';
import { openMmsDb, type MmsDb } from './mms-db.ts';
import { Quarantine } from './quarantine.ts';
import { fileDropSink, type AnswerFolders } from './sinks/file-drop.ts';
import { procedureSink } from './sinks/procedure.ts';
import type { Sink } from './sinks/sink.ts';
import { syncFromLedes } from './sources/ledes.ts';
import { syncFromPostgres } from './sources/postgres.ts';
import { repeatEvery, type Repeating } from './repeat.ts';

export interface AgentDeps {
  logger: Logger;
  /** Opens the MMS database named in the config; the demo hands in its embedded one. */
  openMms?: (connectionString: string) => Promise<MmsDb>;
  /** `--full`: the first sync is a full resync whenever the last one was (postgres source only). */
  fullSync?: boolean;
  /** How the agent reaches the server: the global fetch by default; the simulation (src/sim) hands in its network. */
  fetch?: typeof fetch;
}

export interface Agent {
  /** One sync from the source (nothing when the config has none). */
  syncOnce(): Promise<void>;
  /** One delivery round: every waiting batch, oldest first, stopping at the first failure. */
  deliverOnce(): Promise<DeliveryResult>;
  /**
   * Syncs every syncSeconds, and delivers live (a long-poll always open; pollSeconds the
   * fallback) until stop(); failures are logged and retried.
   */
  start(): void;
  /** Ends the open long-poll, waits for a running sync or delivery to finish, then closes the MMS connections. Safe to call twice. */
  stop(): Promise<void>;
}

function answerFolders(sink: FileDropConfig): AnswerFolders | null {
  const { processedFolder, rejectedFolder } = sink;
  return processedFolder !== undefined && rejectedFolder !== undefined ? { processedFolder, rejectedFolder } : null;
}

async function makeStateDir(stateDir: string): Promise<void> {
  try {
    await mkdir(stateDir, { recursive: true });
  } catch (error) {
    throw new Error(
      `the state folder ${stateDir} cannot be created: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

export async function createAgent(
  config: AgentConfig,
  { logger, openMms = openMmsDb, fullSync = false, fetch: send = fetch }: AgentDeps,
): Promise<Agent> {
  if (fullSync && config.source?.type !== 'postgres') {
    throw new Error(
      `--full resyncs from a postgres source, and this config's source is ${config.source ? config.source.type : 'not set (no sync)'}`,
    );
  }
  await makeStateDir(config.stateDir);
  const journal = await Journal.open(config.stateDir);
  const client = new ServerClient(config.server, config.token, identityOf(config), send);
  const quarantine = new Quarantine(config.stateDir);
  const sink: Sink =
    config.sink.type === 'file-drop'
      ? fileDropSink(config.sink.folder, quarantine, answerFolders(config.sink))
      : procedureSink(await openMms(config.sink.connectionString));
  const sourceMms = config.source?.type === 'postgres' ? await openMms(config.source.connectionString) : null;
  /**
   * Each page of one sync carries the server time taken before the MMS was read, so the
   * server knows which delivered lines the balances already show (SPEC §3.4).
   */
  const poster = async () => {
    const readAfter = await client.clock();
    return async (body: SyncBody) => {
      const answer = await client.sync({ ...body, readAfter });
      logger.info(
        {
          sent: { clients: body.clients.length, matters: body.matters.length, invoices: body.invoices.length },
          changed: answer,
        },
        'sync page accepted',
      );
    };
  };
  const context = { client, journal, logger };
  const loops: Repeating[] = [];
  // Until a full resync asked for by --full has been made.
  let fullWanted = fullSync;
  let stopped: Promise<void> | undefined;

  try {
    await sink.check();
  } catch (error) {
    await sink.close();
    await sourceMms?.close();
    throw error;
  }

  const agent: Agent = {
    async syncOnce() {
      const source = config.source;
      if (!source) return;
      if (source.type === 'postgres' && sourceMms) {
        const summary = await syncFromPostgres(sourceMms, await poster(), config.stateDir, logger, undefined, {
          forceFull: fullWanted,
        });
        if (summary.full) fullWanted = false;
      }
      if (source.type === 'ledes') {
        const summary = await syncFromLedes(source.folder, await poster(), config.stateDir, logger);
        if (summary.files + summary.rejected.length > 0) logger.info(summary, 'LEDES folder synced');
      }
    },
    deliverOnce: () => deliverWaitingBatches(sink, quarantine, context),
    start() {
      logger.info(
        {
          server: config.server,
          stateDir: config.stateDir,
          source: config.source?.type ?? 'none',
          sink: config.sink.type,
          reportsMmsAnswers: sink.expectsAnswer,
          syncSeconds: config.syncSeconds,
          pollSeconds: config.pollSeconds,
          longPollSeconds: LONG_POLL_SECONDS,
        },
        'agent started',
      );
      if (config.source)
        loops.push(
          repeatEvery(
            config.syncSeconds,
            () => agent.syncOnce(),
            (error) => logger.error({ err: error }, `sync failed: ${message(error)}`),
          ),
        );
      loops.push(
        deliverLive({
          round: (wait) => deliverWaitingBatches(sink, quarantine, context, wait),
          awaitingAnswers: () => journal.awaitingAnswer().length > 0,
          pollMs: config.pollSeconds * 1000,
          onError: (error) => logger.error({ err: error }, `delivery failed: ${message(error)}`),
        }),
      );
    },
    stop() {
      stopped ??= (async () => {
        await Promise.all(loops.map((loop) => loop.stop()));
        await sink.close();
        await sourceMms?.close();
        logger.info('agent stopped');
      })();
      return stopped;
    },
  };
  return agent;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
