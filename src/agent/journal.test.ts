import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setDiskFaultHook } from './crash.ts';
import { Journal } from './journal.ts';

const batch = {
  id: '6f1c2a34-0000-4000-8000-000000000001',
  seq: 1,
  fileName: 'PB_X_000001.csv',
  sha256: 'a'.repeat(64),
};

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
    const lines = (await readFile(join(dir, 'journal.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { step: string });
    expect(lines.map((l) => l.step)).toEqual(['downloaded', 'written']);
  });

  it('cuts off the part of an entry a full disk left, so the next entry and the next start read whole lines', async () => {
    const journal = await Journal.open(dir);
    await journal.append('downloaded', batch);
    // Found by the whole-loop simulation (src/sim): ENOSPC half-way through an append left half a
    // line; the next append joined it, and the restarted agent refused its journal as damaged.
    setDiskFaultHook(() => Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }));
    try {
      await expect(journal.append('written', batch)).rejects.toThrow('ENOSPC');
    } finally {
      setDiskFaultHook(null);
    }
    await journal.append('written', batch);
    const restarted = await Journal.open(dir);
    expect([...restarted.stepsOf(batch.id, batch.sha256)]).toEqual(['downloaded', 'written']);
    const steps = (await readFile(join(dir, 'journal.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { step: string }).step);
    expect(steps).toEqual(['downloaded', 'written']);
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

  it("keeps which batches await the MMS's answer, oldest first, until it is answered", async () => {
    const journal = await Journal.open(dir);
    const second = { ...batch, id: '6f1c2a34-0000-4000-8000-000000000002', seq: 2, fileName: 'PB_X_000002.csv' };
    const third = { ...batch, id: '6f1c2a34-0000-4000-8000-000000000003', seq: 3, fileName: 'PB_X_000003.csv' };
    await journal.append('renamed', second);
    await journal.append('acked', second, undefined, { expectAnswer: true });
    await journal.append('renamed', batch);
    await journal.append('acked', batch, undefined, { expectAnswer: true });
    await journal.append('renamed', third);
    await journal.append('acked', third); // no answer promised: never waited for
    expect(journal.awaitingAnswer()).toEqual([batch, second]);
    expect([journal.expectsAnswer(batch.id, batch.sha256), journal.expectsAnswer(third.id, third.sha256)]).toEqual([
      true,
      false,
    ]);
    await journal.append('answered', batch, 'applied');
    expect(journal.awaitingAnswer()).toEqual([second]);
    const restarted = await Journal.open(dir);
    expect(restarted.awaitingAnswer()).toEqual([second]);
    expect([...restarted.stepsOf(batch.id, batch.sha256)]).toEqual(['renamed', 'acked', 'answered']);
  });

  it("keeps the records the MMS refused with the procedure sink's commit", async () => {
    const journal = await Journal.open(dir);
    expect(journal.refusedOf(batch.id, batch.sha256)).toBeNull();
    const refused = [{ recordId: 'r-2', message: 'receipt r-2 line 1: client C9 matter M9 does not exist' }];
    await journal.append('downloaded', batch);
    await journal.append('committed', batch, '1 applied', { refused });
    const restarted = await Journal.open(dir);
    expect(restarted.refusedOf(batch.id, batch.sha256)).toEqual(refused);
    expect(restarted.refusedOf(batch.id, 'b'.repeat(64))).toBeNull();
  });

  it('loads a journal written before the MMS answered: no batch awaits an answer, and an old commit refused nothing', async () => {
    // The lines of an agent from before SPEC §5.1, byte for byte as it wrote them.
    const old = [
      {
        at: '2026-03-01T10:00:00.000Z',
        step: 'downloaded',
        batchId: batch.id,
        seq: 1,
        fileName: batch.fileName,
        sha256: batch.sha256,
      },
      {
        at: '2026-03-01T10:00:00.100Z',
        step: 'committed',
        batchId: batch.id,
        seq: 1,
        fileName: batch.fileName,
        sha256: batch.sha256,
        detail: '2 applied, 0 already applied',
      },
      {
        at: '2026-03-01T10:00:00.200Z',
        step: 'acked',
        batchId: batch.id,
        seq: 1,
        fileName: batch.fileName,
        sha256: batch.sha256,
      },
    ];
    await writeFile(join(dir, 'journal.jsonl'), old.map((entry) => `${JSON.stringify(entry)}\n`).join(''));
    const journal = await Journal.open(dir);
    expect([...journal.stepsOf(batch.id, batch.sha256)]).toEqual(['downloaded', 'committed', 'acked']);
    expect(journal.awaitingAnswer()).toEqual([]);
    expect(journal.refusedOf(batch.id, batch.sha256)).toEqual([]);
  });
});
