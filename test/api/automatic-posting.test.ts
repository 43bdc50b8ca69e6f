import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAutomaticPosting } from '../../src/usecases/postings/run-automatic-posting.ts';
import { createTestFirm, startTestApp, type TestApp, type TestFirm } from '../support/app.ts';
import { syncBasicMms, takePayment } from '../support/fixtures.ts';

describe('automatic posting', () => {
  let t: TestApp;
  let on: TestFirm;
  let off: TestFirm;
  beforeAll(async () => {
    t = await startTestApp();
    on = await createTestFirm(t, 'AUTOON');
    off = await createTestFirm(t, 'AUTOOFF');
    for (const firm of [on, off]) {
      await syncBasicMms(t, firm);
      await takePayment(t, firm, { amountCents: 1000 });
    }
    await t.conn.db
      .updateTable('firms')
      .set({ auto_post: true, auto_post_minutes: 30 })
      .where('id', '=', on.id)
      .execute();
  });
  afterAll(async () => t.close());

  const batches = async (firmId: string) =>
    t.conn.db
      .selectFrom('batches')
      .select(['seq', 'created_by'])
      .where('firm_id', '=', firmId)
      .orderBy('seq')
      .execute();

  it('batches pending records of firms with the setting on, once per interval, by the system', async () => {
    const t0 = new Date('2026-11-27T09:00:00Z');
    const first = await runAutomaticPosting(t.conn.db, t0);
    expect(first).toHaveLength(1);
    expect(first[0]!.batch?.recordCount).toBe(1);
    expect(await batches(on.id)).toEqual([{ seq: 1, created_by: 'system' }]);
    expect(await batches(off.id)).toEqual([]);

    await takePayment(t, on, { amountCents: 2000 });
    expect(await runAutomaticPosting(t.conn.db, new Date(t0.getTime() + 29 * 60_000))).toEqual([]);
    const later = await runAutomaticPosting(t.conn.db, new Date(t0.getTime() + 30 * 60_000));
    expect(later[0]!.batch?.seq).toBe(2);
  });

  it('makes no empty batch when nothing is pending, and concurrent ticks post once', async () => {
    const t1 = new Date('2026-11-27T12:00:00Z');
    await takePayment(t, on, { amountCents: 3000 });
    const ticks = await Promise.all([
      runAutomaticPosting(t.conn.db, t1),
      runAutomaticPosting(t.conn.db, t1),
      runAutomaticPosting(t.conn.db, t1),
    ]);
    expect(ticks.flat().filter((r) => r.batch)).toHaveLength(1);
    const t2 = new Date('2026-11-27T13:00:00Z');
    const idle = await runAutomaticPosting(t.conn.db, t2);
    expect(idle).toEqual([{ firmId: on.id, batch: null }]);
    expect((await batches(on.id)).map((b) => b.seq)).toEqual([1, 2, 3]);
  });
});
