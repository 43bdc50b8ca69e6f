import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCK_FILE, lockDataDir } from './data-dir-lock.ts';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('one process at a time in a PGlite data directory', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'pb-lock-'));
    dirs.push(dir);
    return join(dir, 'data');
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('makes the directory private and names the holder in its lock file until released', () => {
    const dir = tempDir();
    const release = lockDataDir(dir);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, LOCK_FILE)).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(`${process.pid}\n`);
    release();
    expect(() => statSync(join(dir, LOCK_FILE))).toThrow(/ENOENT/);
    // Released, it can be taken again.
    lockDataDir(dir)();
  });

  it('refuses a second process while the first is alive, naming it', () => {
    const dir = tempDir();
    const release = lockDataDir(dir);
    expect(() => lockDataDir(dir, process.pid + 1_000_000)).toThrow(
      new RegExp(`open in another paybridge process \\(pid ${process.pid}\\): stop it first`),
    );
    release();
  });

  it('takes over a lock left by a process that died', () => {
    const dir = tempDir();
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    lockDataDir(dir)();
    writeFileSync(join(dir, LOCK_FILE), `${dead}\n`);
    const release = lockDataDir(dir);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(`${process.pid}\n`);
    release();
  });

  it('an admin command refuses a directory the server has open, and changes nothing', async () => {
    const dataDir = join(tempDir(), '..');
    const release = lockDataDir(dataDir);
    const child = spawn(
      process.execPath,
      ['bin/paybridge.js', 'admin', 'create-firm', '--code', 'LOCKED', '--name', 'Locked LLP'],
      { cwd: REPO_ROOT, env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' } },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => child.on('close', resolve));
    release();
    expect(code).toBe(1);
    expect(stderr).toContain(`open in another paybridge process (pid ${process.pid})`);
    expect(() => statSync(join(dataDir, 'db'))).toThrow(/ENOENT/);
  }, 30_000);
});
