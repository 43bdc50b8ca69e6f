import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { sql } from 'kysely';
import { connectPGlite, openPGlite, type Db } from '../db/connect.ts';
import { DataDirInUseError, lockDataDir } from '../db/data-dir-lock.ts';
import { listMigrations } from '../db/migrate.ts';
import { exists } from '../agent/durable-fs.ts';

/**
 * `paybridge admin backup` and `restore`, for the embedded database (PGlite in DATA_DIR/db).
 *
 * Taken with the server stopped: the data directory's lock (db/data-dir-lock.ts) is held
 * from start to end, so no server can open the database meanwhile, and one that has it
 * open refuses the command. (A backup through the running server would need an
 * authenticated route that pauses every writer while PGlite copies its files; stopping
 * the server for a minute is simpler and plainly consistent.)
 *
 * A backup file is one line of JSON after a magic word, then PGlite's gzipped tarball of
 * the data directory (dumpDataDir). The line names the migrations the database had, and
 * the tarball's length and sha256, so a restore refuses a file that is not a paybridge
 * backup, is cut short, or comes from a newer paybridge.
 */

/** A refusal that tells the operator what to do; printed without a stack. */
export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

const MAGIC = 'PAYBRIDGE-BACKUP';
const FORMAT = 1;
/** The header line is read from at most this many bytes of the file. */
const HEADER_LIMIT = 64 * 1024;

export interface BackupHeader {
  format: number;
  engine: string;
  createdAt: string;
  /** Every migration the database had applied, in order. */
  migrations: string[];
  bytes: number;
  sha256: string;
}

const POSTGRES_ADVICE =
  'backup and restore are for the embedded database (PGlite in DATA_DIR); with DATABASE_URL set, back PostgreSQL up ' +
  'with its own tools: pg_dump (and pg_restore) for a copy, or continuous archiving (PITR) for every transaction; see README.md, Backups';

/** DATA_DIR; with DATABASE_URL set, a refusal that points to PostgreSQL's own tools. */
export function embeddedDataDir(config: { databaseUrl: string | undefined; dataDir: string }): string {
  if (config.databaseUrl) throw new BackupError(POSTGRES_ADVICE);
  return config.dataDir;
}

const dbDir = (dataDir: string) => join(dataDir, 'db');

/** Holds the data directory for `work`, or refuses, naming the process that has it. */
async function withDataDirLock<T>(dataDir: string, verb: string, work: () => Promise<T>): Promise<T> {
  let release: () => void;
  try {
    release = lockDataDir(dataDir);
  } catch (error) {
    if (!(error instanceof DataDirInUseError)) throw error;
    const pid = /\(pid (\d+)\)/.exec(error.message)?.[1];
    throw new BackupError(
      `cannot ${verb} while the database in ${dataDir} is open in another paybridge process${pid ? ` (pid ${pid})` : ''}: ` +
        `stop the server first, then run the ${verb} again (the embedded database has one process at a time)`,
    );
  }
  try {
    return await work();
  } finally {
    release();
  }
}

async function appliedMigrations(db: Db): Promise<string[]> {
  const found = await sql<{ exists: boolean }>`select to_regclass('schema_migrations') is not null as exists`.execute(
    db,
  );
  if (!found.rows[0]?.exists) return [];
  const rows = await sql<{ name: string }>`select name from schema_migrations order by name`.execute(db);
  return rows.rows.map((r) => r.name);
}

/** Writes a backup of DATA_DIR/db to `file` (mode 0600); refuses to overwrite a file. */
export async function backupDataDir(dataDir: string, file: string): Promise<BackupHeader & { file: string }> {
  const source = dbDir(dataDir);
  if (!(await isNonEmptyDir(source)))
    throw new BackupError(`there is no database in ${source} to back up (is DATA_DIR set as the server has it?)`);
  const target = resolve(file);
  if (await exists(target)) throw new BackupError(`${target} already exists: give the backup a new file name`);
  return withDataDirLock(dataDir, 'backup', async () => {
    const pglite = await openPGlite(source);
    const conn = connectPGlite(pglite);
    let tarball: Buffer;
    let migrations: string[];
    try {
      migrations = await appliedMigrations(conn.db);
      if (migrations.length === 0) throw new BackupError(`the database in ${source} is not a paybridge database`);
      // Everything written so far goes into the data files, so the copy needs no WAL replay.
      await sql`checkpoint`.execute(conn.db);
      tarball = Buffer.from(await (await pglite.dumpDataDir('gzip')).arrayBuffer());
    } finally {
      await conn.close();
    }
    const header: BackupHeader = {
      format: FORMAT,
      engine: 'pglite',
      createdAt: new Date().toISOString(),
      migrations,
      bytes: tarball.length,
      sha256: createHash('sha256').update(tarball).digest('hex'),
    };
    await writePrivateFile(target, Buffer.concat([Buffer.from(`${MAGIC} ${JSON.stringify(header)}\n`), tarball]));
    return { file: target, ...header };
  });
}

/** Reads and checks a backup file: its header, its length and checksum, and that this paybridge knows its migrations. */
export async function readBackup(file: string): Promise<{ header: BackupHeader; tarball: Buffer }> {
  let content: Buffer;
  try {
    content = await readFile(file);
  } catch (error) {
    throw new BackupError(`cannot read ${file}: ${(error as Error).message}`);
  }
  const newline = content.subarray(0, HEADER_LIMIT).indexOf(0x0a);
  const line = newline < 0 ? '' : content.subarray(0, newline).toString('utf8');
  if (!line.startsWith(`${MAGIC} `)) throw new BackupError(`${file} is not a paybridge backup`);
  let header: BackupHeader;
  try {
    header = JSON.parse(line.slice(MAGIC.length + 1)) as BackupHeader;
  } catch {
    throw new BackupError(`${file} is not a paybridge backup: its first line is damaged`);
  }
  if (header.format !== FORMAT || header.engine !== 'pglite' || !Array.isArray(header.migrations))
    throw new BackupError(
      `${file} is a paybridge backup in a format this version does not read (format ${header.format})`,
    );
  const tarball = content.subarray(newline + 1);
  if (tarball.length !== header.bytes || createHash('sha256').update(tarball).digest('hex') !== header.sha256)
    throw new BackupError(
      `${file} is damaged or cut short: it holds ${tarball.length} bytes of database where its header says ${header.bytes}, or their checksum differs`,
    );
  const known = new Set(listMigrations().map((m) => m.name));
  const unknown = header.migrations.filter((name) => !known.has(name));
  if (unknown.length > 0)
    throw new BackupError(
      `${file} was made by a newer paybridge (its database has migration ${unknown.join(', ')}, which this version does not know): upgrade paybridge first`,
    );
  return { header, tarball };
}

/**
 * Restores a backup into DATA_DIR/db: into a new directory beside it first, checked by
 * opening it, then renamed into place, so the database is the old one or the restored
 * one, never half of each. A database already there is replaced only with `force`.
 */
export async function restoreDataDir(
  dataDir: string,
  file: string,
  options: { force: boolean },
): Promise<{ file: string; migrations: string[]; createdAt: string; replaced: boolean }> {
  const { header, tarball } = await readBackup(file);
  const target = dbDir(dataDir);
  return withDataDirLock(dataDir, 'restore', async () => {
    const replacing = await isNonEmptyDir(target);
    if (replacing && !options.force)
      throw new BackupError(
        `${target} already holds a database: restore will not overwrite it; pass --force to replace it (back it up first)`,
      );
    const suffix = `${Date.now()}-${randomBytes(4).toString('hex')}`;
    const staging = join(dataDir, `db.restoring-${suffix}`);
    try {
      const pglite = await openPGlite(staging, new Blob([new Uint8Array(tarball)]));
      const conn = connectPGlite(pglite);
      try {
        const restored = await appliedMigrations(conn.db);
        if (restored.join() !== header.migrations.join())
          throw new BackupError(`${file} did not restore to the database its header describes`);
      } finally {
        await conn.close();
      }
      await makePrivate(staging);
      if (replacing) {
        const old = join(dataDir, `db.replaced-${suffix}`);
        await rename(target, old);
        try {
          await rename(staging, target);
        } catch (error) {
          await rename(old, target); // the old database back in its place
          throw error;
        }
        await rm(old, { recursive: true, force: true });
      } else {
        await rm(target, { recursive: true, force: true }); // an empty directory, if any
        await rename(staging, target);
      }
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
    return { file: resolve(file), migrations: header.migrations, createdAt: header.createdAt, replaced: replacing };
  });
}

async function writePrivateFile(path: string, content: Buffer): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const partial = `${path}.partial-${randomBytes(4).toString('hex')}`;
  const handle = await open(partial, 'wx', 0o600);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(partial, path);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

/** Directories 0700 and files 0600: the database holds password hashes and the firm's ledger. */
async function makePrivate(dir: string): Promise<void> {
  await chmod(dir, 0o700);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await makePrivate(path);
    else if (entry.isFile()) await chmod(path, 0o600);
  }
}

async function isNonEmptyDir(path: string): Promise<boolean> {
  try {
    return (await readdir(path)).length > 0;
  } catch {
    return false;
  }
}
