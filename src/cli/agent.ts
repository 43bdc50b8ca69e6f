import type { Command } from 'commander';
import { createAgent } from '../agent/agent.ts';
import { loadAgentConfig } from '../agent/config.ts';
import { createLogger } from './logger.ts';

// A sync or delivery stuck on a dead connection must not keep a stopped service alive for long.
const FORCED_EXIT_MS = 30_000;

async function runAgent(options: { config: string; once?: boolean; full?: boolean }): Promise<void> {
  const logger = createLogger(process.env.LOG_LEVEL || 'info');
  const config = await loadAgentConfig(options.config);
  const agent = await createAgent(config, { logger, fullSync: options.full === true });
  if (options.once) {
    try {
      await agent.syncOnce();
      const result = await agent.deliverOnce();
      logger.info(result, 'done: synced and delivered every waiting batch');
      process.stdout.write(`${JSON.stringify(result)}\n`);
    } catch (error) {
      // In the log too, at error level, for whoever reads the log rather than the console.
      logger.error({ err: error }, error instanceof Error ? error.message : String(error));
      throw error;
    } finally {
      await agent.stop();
    }
    return;
  }
  agent.start();
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      logger.info({ signal }, 'stopping: waiting for the sync or delivery under way');
      setTimeout(() => process.exit(1), FORCED_EXIT_MS).unref();
      agent.stop().then(resolve, (error: unknown) => {
        logger.error({ err: error }, 'error while stopping');
        process.exitCode = 1;
        resolve();
      });
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

export function registerAgentCommand(program: Command): void {
  program
    .command('agent')
    .description('the on-premises Connect service: syncs the MMS to paybridge and delivers batches to the MMS')
    .requiredOption('--config <file>', 'the agent config file (JSON; see README "The Connect agent")')
    .option('--once', 'sync once, deliver every waiting batch, and exit (0 on success)')
    .option(
      '--full',
      'make the first sync a full resync (every row; invoices the MMS no longer lists are voided), as is done once a day anyway; postgres source only',
    )
    .action(runAgent);
}
