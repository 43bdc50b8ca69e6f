import { Command, CommanderError } from 'commander';
import { ConfigError, loadConfig } from '../config.ts';
import { AppError } from '../errors.ts';
import { registerAdminCommands } from './admin.ts';
import { createLogger } from './logger.ts';
import { DEMO_PASSWORD, DEMO_USERS, seedDemo } from '../usecases/demo/seed-demo.ts';
import { startServer } from './start.ts';

// A stuck request or connection must not keep a stopped server alive for long.
const FORCED_EXIT_MS = 10_000;

async function start(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const server = await startServer(config, {
    logger,
    onFirstRun: async ({ db }) => {
      logger.info('first run: creating the demo firm (PAYBRIDGE_DEMO=0 turns this off)');
      await seedDemo(db);
    },
  });
  process.stdout.write(`paybridge is running at ${server.url}\n`);
  const demoUser = config.demo
    ? await server.db.selectFrom('users').select('id').where('email', '=', DEMO_USERS.accountant).executeTakeFirst()
    : undefined;
  if (demoUser) {
    process.stdout.write(
      `Demo firm "Hartwell & Finch LLP": sign in as ${DEMO_USERS.accountant} (or ${DEMO_USERS.admin}, ${DEMO_USERS.viewer}) with password ${DEMO_PASSWORD}\n`,
    );
  }

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'stopping');
    setTimeout(() => process.exit(1), FORCED_EXIT_MS).unref();
    server.close().then(
      () => logger.info('stopped'),
      (error: unknown) => {
        logger.error({ err: error }, 'error while stopping');
        process.exitCode = 1;
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** What a person needs to read; driver errors such as pg's AggregateError may have no message. */
function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
    return error.message || code || error.name;
  }
  return String(error);
}

const program = new Command('paybridge')
  .description('payment posting for law firms')
  .showHelpAfterError()
  // Usage errors exit 2 (below) so a script can tell them from a refused request (1).
  .exitOverride();

program
  .command('start')
  .description('run the server: HTTP API and web UI on HOST:PORT, stopped by SIGINT or SIGTERM')
  .action(start);

registerAdminCommands(program);

program
  .command('bench')
  .description('the performance benchmark: generates its own data in a database of its own and prints one markdown table (BENCH_SCALE scales the sizes)')
  .action(async () => {
    // Loaded only when asked for: the bench pulls in autocannon and its generators.
    const { benchCommand } = await import('../bench/run-bench.ts');
    await benchCommand();
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Commander has already printed the message or the help.
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else {
    process.stderr.write(`paybridge: ${describe(error)}\n`);
    process.exitCode = 1;
    if (!(error instanceof AppError || error instanceof ConfigError) && error instanceof Error && process.env.LOG_LEVEL === 'debug') {
      process.stderr.write(`${error.stack}\n`);
    }
  }
}
