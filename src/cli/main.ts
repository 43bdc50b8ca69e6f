import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config.ts';
import { DomainError } from '../domain/errors.ts';
import { registerAdminCommands } from './admin.ts';
import { registerAgentCommand } from './agent.ts';
import { registerMmsCommands } from './mms.ts';

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
  // Loaded when used: the server's modules take a second to import that `paybridge agent` should not pay.
  .action(async () => (await import('./start-command.ts')).start());

registerAdminCommands(program);
registerAgentCommand(program);
registerMmsCommands(program);

program
  .command('bench')
  .description(
    'the performance benchmark: generates its own data in a database of its own and prints one markdown table (BENCH_SCALE scales the sizes)',
  )
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
    if (
      !(error instanceof DomainError || error instanceof ConfigError) &&
      error instanceof Error &&
      process.env.LOG_LEVEL === 'debug'
    ) {
      process.stderr.write(`${error.stack}\n`);
    }
  }
}
