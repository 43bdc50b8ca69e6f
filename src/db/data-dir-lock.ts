import { chmodSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';

/** Another live process has the data directory open. */
export class DataDirInUseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataDirInUseError';
  }
}

/** The file that says which process has the embedded database open. */
export const LOCK_FILE = 'paybridge.pid';

/**
 * Embedded PGlite is one process's database: a second process opening the same directory
 * would start, write, and lose its writes (an `admin create-token` while the server runs
 * printed a token that never existed). The first opener writes its pid here, with
 * exclusive create; another process finds it alive and is refused, naming it. A file left
 * by a process that died (kill -9, power loss) is taken over.
 *
 * The directory is made private (0700): the database holds password hashes and the
 * firm's ledger, and PGlite writes its files with the process's default mode.
 */
export function lockDataDir(dir: string, pid = process.pid): () => void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(readFileSync(path, 'utf8'), 10);
      if (Number.isSafeInteger(holder) && holder !== pid && isAlive(holder))
        throw new DataDirInUseError(
          `the database in ${dir} is open in another paybridge process (pid ${holder}): stop it first ` +
            '(embedded PGlite has one process at a time; with the server running, use its API or set DATABASE_URL to PostgreSQL)',
        );
      unlinkSync(path); // left by a process that is gone (or by this one): take it over
      continue;
    }
    writeSync(fd, `${pid}\n`);
    closeSync(fd);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      process.off('exit', release);
      try {
        if (Number.parseInt(readFileSync(path, 'utf8'), 10) === pid) unlinkSync(path);
      } catch {
        // already gone
      }
    };
    process.on('exit', release);
    return release;
  }
  throw new DataDirInUseError(`could not take ${path}: another process keeps making it`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
