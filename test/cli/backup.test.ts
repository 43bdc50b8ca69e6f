import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBackup, restoreDataDir } from '../../src/cli/backup.ts';
import { lockDataDir } from '../../src/db/data-dir-lock.ts';
import { listFirms } from '../../src/db/firms.ts';
import { createFirm } from '../../src/usecases/auth/firms-and-users.ts';
import { testEngine } from '../support/db.ts';
import { createCliDatabase, runCli, type CliDatabase } from './harness.ts';

// Issue 17: backups of the embedded database. Each spawn costs a tsx start and a PGlite
// open, so one test walks backup, change, refusal and restore through the real command.
describe(`paybridge admin backup and restore on ${testEngine()}`, () => {
  let database: CliDatabase;
  let dir: string;
  beforeAll(async () => {
    database = await createCliDatabase({ migrated: true });
    dir = await mkdtemp(join(tmpdir(), 'pb-backup-'));
  }, 60_000);
  afterAll(async () => {
    await database?.remove();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const firmCodes = async () => {
    const conn = await database.open();
    try {
      return (await listFirms(conn.db)).map((f) => f.code);
    } finally {
      await conn.close(); // one process at a time in a PGlite directory
    }
  };

  if (testEngine() === 'postgres') {
    it('points to pg_dump and PITR when DATABASE_URL is set', async () => {
      const result = await runCli(['admin', 'backup', '--to', join(dir, 'x.backup')], database.env);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('with DATABASE_URL set, back PostgreSQL up with its own tools: pg_dump');
      expect(result.stderr).toContain('(PITR)');
      const restore = await runCli(['admin', 'restore', '--from', join(dir, 'x.backup')], database.env);
      expect(restore.stderr).toMatch(/pg_dump/);
    }, 60_000);
    return;
  }

  it(
    'backs up, and restores the old data over what changed since, only with --force',
    { timeout: 240_000 },
    async () => {
      const conn = await database.open();
      await createFirm(conn.db, { code: 'BEFORE', name: 'Before LLP' });
      await conn.close();

      const file = join(dir, 'paybridge.backup');
      const backup = await runCli(['admin', 'backup', '--to', file], database.env);
      expect(backup.code, backup.stderr).toBe(0);
      expect(JSON.parse(backup.stdout)).toEqual({
        file,
        createdAt: expect.any(String),
        migration: expect.stringMatching(/^\d{4}_\w+\.sql$/),
        bytes: expect.any(Number),
      });
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      // A second backup to the same name would overwrite the first: refused.
      const again = await runCli(['admin', 'backup', '--to', file], database.env);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('already exists: give the backup a new file name');

      const later = await database.open();
      await createFirm(later.db, { code: 'AFTER', name: 'After LLP' });
      await later.close();

      const refused = await runCli(['admin', 'restore', '--from', file], database.env);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/already holds a database: restore will not overwrite it; pass --force/);
      expect(await firmCodes()).toEqual(['AFTER', 'BEFORE']);

      // With the server running (it holds the lock), neither runs.
      const release = lockDataDir(database.config.dataDir);
      try {
        const busy = await runCli(['admin', 'restore', '--from', file, '--force'], database.env);
        expect(busy.code).toBe(1);
        expect(busy.stderr).toContain(`open in another paybridge process (pid ${process.pid}): stop the server first`);
      } finally {
        release();
      }

      const restored = await runCli(['admin', 'restore', '--from', file, '--force'], database.env);
      expect(restored.code, restored.stderr).toBe(0);
      expect(JSON.parse(restored.stdout)).toMatchObject({ restored: file, replaced: true });
      expect(await firmCodes()).toEqual(['BEFORE']);
      // Nothing is left beside it: no staging copy, no replaced database.
      expect((await readdir(database.config.dataDir)).filter((name) => name.startsWith('db'))).toEqual(['db']);
      expect((await stat(join(database.config.dataDir, 'db'))).mode & 0o777).toBe(0o700);

      // Into an empty DATA_DIR, as on a new machine, no --force is needed.
      const fresh = join(dir, 'fresh');
      await restoreDataDir(fresh, file, { force: false });
      expect((await readdir(fresh)).sort()).toEqual(['db']);
    },
  );

  it('refuses a file that is not a paybridge backup, is cut short, or comes from a newer paybridge', async () => {
    const good = await readFile(join(dir, 'paybridge.backup'));
    const write = async (name: string, content: Buffer | string) => {
      await writeFile(join(dir, name), content);
      return join(dir, name);
    };
    await expect(readBackup(await write('notes.txt', 'hello\n'))).rejects.toThrow(/is not a paybridge backup/);
    await expect(readBackup(await write('short.backup', good.subarray(0, good.length - 100)))).rejects.toThrow(
      /is damaged or cut short/,
    );
    const newline = good.indexOf(0x0a);
    const header = JSON.parse(good.subarray('PAYBRIDGE-BACKUP '.length, newline).toString()) as {
      migrations: string[];
    };
    header.migrations.push('9999_from_the_future.sql');
    const newer = Buffer.concat([Buffer.from(`PAYBRIDGE-BACKUP ${JSON.stringify(header)}`), good.subarray(newline)]);
    await expect(readBackup(await write('newer.backup', newer))).rejects.toThrow(
      /made by a newer paybridge \(its database has migration 9999_from_the_future.sql.*upgrade paybridge first/,
    );
    // A refused restore leaves the database as it was.
    await expect(restoreDataDir(database.config.dataDir, join(dir, 'newer.backup'), { force: true })).rejects.toThrow(
      /newer paybridge/,
    );
    expect(await firmCodes()).toEqual(['BEFORE']);
  });
});
