import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { watchFolder, type FolderWatch } from './folder-watch.ts';

describe('watchFolder (the click → file clock)', () => {
  let dir: string;
  let folder: FolderWatch;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pb-folder-watch-'));
    folder = watchFolder(dir);
  });
  afterEach(async () => {
    folder.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('stops when the file appears under its final name, not when its hidden partial is written', async () => {
    const arrival = folder.arrival('PB_1.csv', 5_000);
    await writeFile(join(dir, '.PB_1.csv.partial'), 'lines');
    await sleep(200);
    const renamedAt = performance.now();
    await rename(join(dir, '.PB_1.csv.partial'), join(dir, 'PB_1.csv'));
    const at = await arrival;
    expect(at).toBeGreaterThanOrEqual(renamedAt);
    expect(at - renamedAt).toBeLessThan(1_000);
  });

  it('remembers a file that arrived before it was asked for, with the time it arrived', async () => {
    const before = performance.now();
    await writeFile(join(dir, 'PB_2.csv'), 'lines');
    await sleep(300);
    const at = await folder.arrival('PB_2.csv', 5_000);
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThan(before + 250);
  });

  it('finds a file fs.watch never reported, by its stat poll', async () => {
    folder.close(); // no more events: only the poll can see it
    const arrival = folder.arrival('PB_3.csv', 5_000);
    await sleep(50);
    const writtenAt = performance.now();
    await writeFile(join(dir, 'PB_3.csv'), 'lines');
    const at = await arrival;
    expect(at).toBeGreaterThanOrEqual(writtenAt - 50); // a stat sent just before may be answered just after
    expect(at - writtenAt).toBeLessThan(500);
  });

  it('fails after its timeout when the file never comes', async () => {
    await expect(folder.arrival('PB_4.csv', 100)).rejects.toThrow(/PB_4\.csv did not arrive in .* within 100 ms/);
  });
});
