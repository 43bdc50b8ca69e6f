import { InvalidArgumentError, Option, type Command } from 'commander';
import { loadConfig } from '../config.ts';
import type { Db } from '../db/connect.ts';
import { DEFAULT_TIME_ZONE, timeZoneName } from '../domain/dates.ts';
import { DomainError, notFound } from '../domain/errors.ts';
import { ROLES, type Role } from '../domain/actor.ts';
import { createLogger } from './logger.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Scripts read stdout, so it carries this JSON and nothing else. */
function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Opens the server's own database (DATABASE_URL or DATA_DIR), brought up to date first. */
async function withDatabase<T>(work: (db: Db) => Promise<T>): Promise<T> {
  // Imported here, not at the top: every `paybridge` command registers these, and the
  // database drivers take a second to load that `paybridge agent` should not pay.
  const [{ connect }, { migrate }] = await Promise.all([import('../db/connect.ts'), import('../db/migrate.ts')]);
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const conn = await connect(config);
  try {
    const applied = await migrate(conn.db);
    if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
    return await work(conn.db);
  } finally {
    // With PGlite the data directory is only consistent once it is closed.
    await conn.close();
  }
}

const useCases = () => import('../usecases/auth/firms-and-users.ts');
const backups = () => import('./backup.ts');
const firms = () => import('../db/firms.ts');

async function firmByCode(db: Db, code: string) {
  const firm = await (await firms()).findFirmByCode(db, code);
  if (!firm) throw notFound('firm', code);
  return firm;
}

/** A usage error (exit 2) that names the zone, before any database is opened. */
function parseTimeZone(value: string): string {
  const zone = timeZoneName(value);
  if (!zone) throw new InvalidArgumentError(`"${value}" is not an IANA time zone such as America/Los_Angeles.`);
  return zone;
}

export function registerAdminCommands(program: Command): void {
  const admin = program.command('admin').description('set up firms, users and tokens; prints JSON on stdout');

  admin
    .command('create-firm')
    .description('create a firm (tenant)')
    .requiredOption('--code <code>', 'short firm code: A–Z, 0–9 and _, up to 20')
    .requiredOption('--name <name>', 'the firm name')
    .option(
      '--time-zone <zone>',
      "IANA time zone of the firm's calendar dates, e.g. America/Los_Angeles",
      parseTimeZone,
      DEFAULT_TIME_ZONE,
    )
    .action(async (options: { code: string; name: string; timeZone: string }) => {
      const { createFirm } = await useCases();
      printJson(await withDatabase((db) => createFirm(db, options)));
    });

  admin
    .command('create-user')
    .description('create a user who signs in with email and password')
    .requiredOption('--firm <code>', 'the firm code')
    .requiredOption('--email <email>', 'the email the user signs in with')
    .addOption(new Option('--role <role>', 'what the user may do').choices(ROLES).makeOptionMandatory())
    .requiredOption('--password <password>', 'at least 12 characters, not a common password')
    .option('--name <name>', 'display name (default: the email)')
    .action(async (options: { firm: string; email: string; role: Role; password: string; name?: string }) => {
      const { firm, ...rest } = options;
      const { createUser } = await useCases();
      printJson(await withDatabase((db) => createUser(db, { firmCode: firm, ...rest })));
    });

  admin
    .command('create-token')
    .description('create a bearer token; the secret is printed once and stored only as a hash')
    .requiredOption('--firm <code>', 'the firm code')
    .addOption(
      new Option('--kind <kind>', 'agent for the Connect service, user for a script')
        .choices(['agent', 'user'])
        .makeOptionMandatory(),
    )
    .option('--email <email>', 'for a user token: the user it acts as')
    .option('--label <label>', 'a note to tell tokens apart')
    .action(async (options: { firm: string; kind: 'agent' | 'user'; email?: string; label?: string }) => {
      const { firm, ...rest } = options;
      const { createToken } = await useCases();
      const created = await withDatabase((db) => createToken(db, { firmCode: firm, ...rest }));
      printJson({ token: created.token, id: created.id, kind: created.kind });
    });

  admin
    .command('revoke-token')
    .description('revoke a bearer token by its id')
    .requiredOption('--firm <code>', 'the firm code')
    .requiredOption('--id <id>', 'the token id that create-token printed')
    .action(async (options: { firm: string; id: string }) => {
      const { revokeToken } = await useCases();
      await withDatabase(async (db) => {
        const firm = await firmByCode(db, options.firm);
        // A malformed id is as unknown as a missing one, and must not reach a uuid cast.
        const revoked = UUID.test(options.id) && (await revokeToken(db, firm.id, options.id));
        if (!revoked)
          throw new DomainError(
            'not_found',
            `token ${options.id} was not found in firm ${firm.code}, or is already revoked`,
          );
      });
      printJson({ id: options.id, revoked: true });
    });

  admin
    .command('backup')
    .description('back the embedded database (PGlite in DATA_DIR) up into a file, with the server stopped')
    .requiredOption('--to <file>', 'the backup file to write (a new file; readable by its owner only)')
    .action(async (options: { to: string }) => {
      const { backupDataDir, embeddedDataDir } = await backups();
      const done = await backupDataDir(embeddedDataDir(loadConfig()), options.to);
      printJson({ file: done.file, createdAt: done.createdAt, migration: done.migrations.at(-1), bytes: done.bytes });
    });

  admin
    .command('restore')
    .description('restore the embedded database (PGlite in DATA_DIR) from a backup file, with the server stopped')
    .requiredOption('--from <file>', 'a file that `paybridge admin backup` wrote')
    .option('--force', 'replace the database DATA_DIR already holds', false)
    .action(async (options: { from: string; force: boolean }) => {
      const { restoreDataDir, embeddedDataDir } = await backups();
      const done = await restoreDataDir(embeddedDataDir(loadConfig()), options.from, { force: options.force });
      printJson({
        restored: done.file,
        createdAt: done.createdAt,
        migration: done.migrations.at(-1),
        replaced: done.replaced,
      });
    });

  admin
    .command('list-firms')
    .description('list every firm')
    .action(async () => {
      const { listFirms } = await firms();
      printJson(await withDatabase(listFirms));
    });
}
