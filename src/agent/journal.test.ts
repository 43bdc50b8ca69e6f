import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Journal } from './journal.ts';

const batch = { id: '6f1c2a34-0000-4000-8000-000000000001', seq: 1, fileName: 'PB_X_000001.csv', sha256: 'a'.repeat(64) };

describe('the delivery journal', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pb-journal-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('is read back by a restarted agent, one JSON line per step', async () => {
    const journal = await Journal.open(dir);
    await journal.append('downloaded', batch);
    await journal.append('written', batch);
    const restarted = await Journal.open(dir);
    expect([...restarted.stepsOf(batch.id, batch.sha256)]).toEqual(['downloaded', 'written']);
    expect(restarted.stepsOf(batch.id, 'b'.repeat(64)).size).toBe(0);
    const lines = (await readFile(join(dir, 'journal.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { step: string });
    expect(lines.map((l) => l.step)).toEqual(['downloaded', 'written']);
  });

  it('forgets the steps before a reset', async () => {
    const journal = await Journal.open(dir);
    await journal.append('downloaded', batch);
    await journal.append('written', batch);
    await journal.append('reset', batch);
    await journal.append('downloaded', batch);
    expect([...(await Journal.open(dir)).stepsOf(batch.id, batch.sha256)]).toEqual(['downloaded']);
  });

  it('cuts off a last line torn by a crash, so the next entry starts on its own line', async () => {
    const journal = await Journal.open(dir);
    await journal.append('renamed', batch);
    await appendFile(join(dir, 'journal.jsonl'), '{"at":"2026-');
    const restarted = await Journal.open(dir);
    expect([...restarted.stepsOf(batch.id, batch.sha256)]).toEqual(['renamed']);
    await restarted.append('acked', batch);
    expect([...(await Journal.open(dir)).stepsOf(batch.id, batch.sha256)]).toEqual(['renamed', 'acked']);
  });

  it('refuses to guess past a damaged line in the middle', async () => {
    await (await Journal.open(dir)).append('renamed', batch);
    await appendFile(join(dir, 'journal.jsonl'), 'garbage\n{"step":"acked"}\n');
    await expect(Journal.open(dir)).rejects.toThrow('journal.jsonl line 2 is not JSON');
  });
});
