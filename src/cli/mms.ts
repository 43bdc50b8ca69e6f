import type { Command } from 'commander';
import { openMmsDb } from '../agent/mms-db.ts';
import { creditUpload } from '../mms/credit-upload.ts';

export function registerMmsCommands(program: Command): void {
  const mms = program.command('mms').description('the demo MMS (tests and the npm start demo); prints JSON on stdout');

  mms
    .command('credit-upload')
    .description(
      'import delivered paybridge-csv files into the demo MMS ledger, moving each to archive/ (or rejected/ with a .error)',
    )
    .requiredOption('--folder <folder>', 'the drop folder the agent delivers to')
    .requiredOption(
      '--database <target>',
      'the demo MMS: a postgres:// URL, or the folder of an embedded PGlite MMS (stop `npm start` first: one process at a time)',
    )
    .action(async (options: { folder: string; database: string }) => {
      const db = await openMmsDb(options.database);
      try {
        const summary = await creditUpload(db, options.folder);
        process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
        // A refused file needs a person: say so in the exit code too.
        if (summary.rejected.length > 0) process.exitCode = 1;
      } finally {
        await db.close();
      }
    });
}
