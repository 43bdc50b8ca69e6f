import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../src/db/connect.ts';
import { LIVE_CHANNEL, livePayload, parseLivePayload, publish } from '../../src/db/notify.ts';
import { inTransaction } from '../../src/db/transaction.ts';
import { createTestDb, testEngine } from '../support/db.ts';
import { until } from '../support/live.ts';

describe(`the wake-up bus's NOTIFY on ${testEngine()}`, () => {
  let conn: Connection;
  let stop: () => Promise<void>;
  const heard: string[] = [];
  const firm = randomUUID();

  beforeAll(async () => {
    conn = await createTestDb();
    stop = await conn.listen(LIVE_CHANNEL, { onNotification: (payload) => heard.push(payload) });
  });
  afterAll(async () => {
    await stop?.();
    await conn?.close();
  });

  it('delivers what a transaction published once it commits, never before, and nothing of one rolled back', async () => {
    heard.length = 0;
    await expect(
      inTransaction(conn.db, async (tx) => {
        await publish(tx, firm, ['postings.changed']);
        throw new Error('the unit of work failed');
      }),
    ).rejects.toThrow('the unit of work failed');
    let heardBeforeCommit: string[] = ['not looked'];
    await inTransaction(conn.db, async (tx) => {
      await publish(tx, firm, ['batches.changed', 'batches.changed', 'connect.changed']);
      await new Promise((r) => setTimeout(r, 100));
      heardBeforeCommit = [...heard];
    });
    expect(heardBeforeCommit).toEqual([]);
    await until(() => heard.length >= 2, 2_000, 'the committed news');
    await new Promise((r) => setTimeout(r, 100));
    // The same message twice in one transaction is delivered once.
    expect(heard.map(parseLivePayload)).toEqual([
      { firmId: firm, topic: 'batches.changed' },
      { firmId: firm, topic: 'connect.changed' },
    ]);
  });

  it('refuses to publish outside a transaction, where the news could go out without the change', async () => {
    await expect(publish(conn.db, firm, ['postings.changed'])).rejects.toThrow(/inside the transaction/);
  });

  it('a LISTEN is not part of a transaction open at the time, which may roll back', async () => {
    // On PGlite one session serves everything: the LISTEN waits its turn behind an open
    // transaction instead of joining it, so that transaction's rollback cannot undo it.
    const probe: string[] = [];
    let listening: Promise<() => Promise<void>> | undefined;
    await expect(
      inTransaction(conn.db, async (tx) => {
        listening = conn.listen('paybridge_probe', { onNotification: (payload) => probe.push(payload) });
        await sql`select 1`.execute(tx);
        await new Promise((r) => setTimeout(r, 50));
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    const stopProbe = await listening!;
    await inTransaction(conn.db, (tx) => sql`select pg_notify('paybridge_probe', 'after the rollback')`.execute(tx));
    await until(() => probe.length === 1, 2_000, 'news on a LISTEN made during a transaction that rolled back');
    await stopProbe();
  });

  it('reads back only its own messages; anything else on the channel is ignored', async () => {
    expect(parseLivePayload(livePayload(firm, 'postings.changed'))).toEqual({
      firmId: firm,
      topic: 'postings.changed',
    });
    for (const junk of [
      '',
      'hello',
      '{}',
      'null',
      '[1]',
      JSON.stringify({ firm: 'x', topic: 'postings.changed' }),
      JSON.stringify({ firm, topic: 'payments.changed' }),
    ]) {
      expect(parseLivePayload(junk), junk).toBeNull();
    }
    heard.length = 0;
    await sql`select pg_notify(${LIVE_CHANNEL}, 'by hand')`.execute(conn.db);
    await until(() => heard.length === 1);
    expect(parseLivePayload(heard[0]!)).toBeNull();
  });
});
