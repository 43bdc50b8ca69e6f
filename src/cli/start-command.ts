import { loadConfig } from '../config.ts';
import { userExists } from '../db/demo.ts';
import { prepareDemoAgent, startDemoLoop } from './demo-agent.ts';
import { payOutDemoDays } from './demo-payouts.ts';
import { createLogger } from './logger.ts';
import { DEMO_FIRM, DEMO_PASSWORD, DEMO_PAYER_PAGE, DEMO_USERS, seedDemo } from '../usecases/demo/seed-demo.ts';
import { startServer } from './start.ts';

// A stuck request or connection must not keep a stopped server alive for long.
const FORCED_EXIT_MS = 10_000;

/** `paybridge start`: the server, and with the demo on, the demo MMS and its in-process agent. */
export async function start(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const server = await startServer(config, {
    logger,
    onFirstRun: async ({ db }) => {
      logger.info('first run: creating the demo firm, its MMS and its agent (PAYBRIDGE_DEMO=0 turns this off)');
      const today = new Date();
      await seedDemo(db, today);
      await payOutDemoDays(db, today);
      await prepareDemoAgent(db, config.dataDir, today);
    },
  });
  process.stdout.write(`paybridge is running at ${server.url}\n`);
  // The agent talks to the server over HTTP like any agent, so it starts once the URL is known.
  const demoStarting = config.demo
    ? startDemoLoop(config, server.url, logger).catch((error: unknown) => {
        // The server is still useful without the demo agent: say why and carry on.
        logger.error({ err: error }, 'the demo agent could not start');
        return null;
      })
    : Promise.resolve(null);

  // Listening from here on: a signal while the demo agent starts still stops cleanly.
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'stopping');
    setTimeout(() => process.exit(1), FORCED_EXIT_MS).unref();
    // The demo agent goes first: it talks to the server, which must still answer.
    demoStarting
      .then((loop) => loop?.stop())
      .then(() => server.close())
      .then(
        () => logger.info('stopped'),
        (error: unknown) => {
          logger.error({ err: error }, 'error while stopping');
          process.exitCode = 1;
        },
      );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  const demoLoop = await demoStarting;
  if (config.demo && (await userExists(server.db, DEMO_USERS.accountant))) {
    process.stdout.write(demoSummary(server.url, demoLoop?.inbox ?? null));
  }
}

/**
 * What a newcomer needs, as plain lines on stdout (the JSON logs go to stderr): where to
 * sign in and as whom, a payer's page to try, and where the demo MMS receives batches.
 */
export function demoSummary(url: string, inbox: string | null): string {
  const lines = [
    '',
    `Demo firm "${DEMO_FIRM.name}"`,
    `  Sign in:    ${url}`,
    `  Logins:     ${DEMO_USERS.accountant}, ${DEMO_USERS.admin} or ${DEMO_USERS.viewer}`,
    `  Password:   ${DEMO_PASSWORD}`,
    `  Payer page: ${url}/pay/${DEMO_PAYER_PAGE.slug} (look up client ${DEMO_PAYER_PAGE.clientNumber}, invoice ${DEMO_PAYER_PAGE.invoiceNumber})`,
    ...(inbox ? [`  MMS inbox:  ${inbox} (the demo agent delivers each batch there, checking every 5 s)`] : []),
    '  Request logs are at debug level in the demo; LOG_LEVEL=debug shows them.',
    '',
  ];
  return `${lines.join('\n')}\n`;
}
