import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Connection, Db } from '../../src/db/connect.ts';
import {
  attemptOf,
  inTransaction,
  MAX_ATTEMPTS,
  RETRYABLE_SQLSTATES,
  StillConflicting,
  watchConflicts,
  type ConflictMet,
} from '../../src/db/transaction.ts';
import { DomainError } from '../../src/domain/errors.ts';
import { ERROR_STATUS } from '../../src/server/errors.ts';
import { createTestDb, testEngine } from '../support/db.ts';

// Real deadlocks and serialization failures need two sessions at once: PGlite has one, so
// those cases are registered on PostgreSQL only (not skipped on PGlite: simply not there).
const onPostgres = testEngine() === 'postgres' ? it : null;

/** SPEC §7: a retryable conflict is retried with a fresh transaction, never answered 500. */
describe(`the transaction boundary on ${testEngine()}`, () => {
  let conn: Connection;
  let db: Db;
  let conflicts: ConflictMet[] = [];
  let unwatch: () => void = () => undefined;

  beforeAll(async () => {
    conn = await createTestDb();
    db = conn.db;
    await sql`create table scratch (n serial primary key, label text not null, run int not null)`.execute(db);
    await sql`create table counters (id int primary key, value int not null)`.execute(db);
    unwatch = watchConflicts(db, (conflict) => conflicts.push(conflict));
  });
  afterEach(() => {
    conflicts = [];
  });
  afterAll(async () => {
    unwatch();
    await conn.close();
  });

  /** What the database does on a conflict, raised on purpose: the transaction is aborted. */
  const raise = (tx: Db, sqlstate: string) =>
    sql.raw(`do $$ begin raise exception 'simulated conflict' using errcode = '${sqlstate}'; end $$`).execute(tx);
  const note = (tx: Db, label: string) =>
    sql`insert into scratch (label, run) values (${label}, ${attemptOf(tx)})`.execute(tx);
  const notes = async (label: string) =>
    (await sql<{ run: number }>`select run from scratch where label = ${label} order by n`.execute(db)).rows.map(
      (r) => r.run,
    );
  const txid = async (tx: Db) => (await sql<{ id: string }>`select txid_current()::text as id`.execute(tx)).rows[0]!.id;

  for (const sqlstate of RETRYABLE_SQLSTATES) {
    it(`runs the work again in a fresh transaction after ${sqlstate}, keeping only what the last run wrote`, async () => {
      const label = `retry-${sqlstate}`;
      const transactions: string[] = [];
      const result = await inTransaction(db, async (tx) => {
        transactions.push(await txid(tx));
        await note(tx, label);
        if (attemptOf(tx) === 1) await raise(tx, sqlstate);
        return attemptOf(tx);
      });
      expect(result).toBe(2);
      expect(new Set(transactions).size).toBe(2);
      expect(await notes(label)).toEqual([2]);
      expect(conflicts).toEqual([{ code: sqlstate, attempt: 1, retried: true }]);
    });
  }

  it("inside a caller's transaction runs the work once: the error goes up to the boundary, which runs the whole unit again", async () => {
    const runs = { outer: 0, inner: 0 };
    await inTransaction(db, async (tx) => {
      runs.outer += 1;
      await note(tx, 'outer');
      await inTransaction(tx, async (same) => {
        runs.inner += 1;
        expect(same).toBe(tx);
        if (attemptOf(same) === 1) await raise(same, 'PB001');
        await note(same, 'inner');
      });
    });
    // Had the nested call retried on its own, it would have run in the aborted transaction
    // (25P02, not retryable) and the unit would have failed.
    expect(runs).toEqual({ outer: 2, inner: 2 });
    expect([await notes('outer'), await notes('inner')]).toEqual([[2], [2]]);
    expect(conflicts).toEqual([{ code: 'PB001', attempt: 1, retried: true }]);
  });

  it('does not retry a unique violation, a lock timeout or a refusal: each is answered at once', async () => {
    await sql`insert into counters (id, value) values (99, 0)`.execute(db);
    const failures: [string, (tx: Db) => Promise<unknown>][] = [
      ['23505', (tx) => sql`insert into counters (id, value) values (99, 1)`.execute(tx)],
      ['55P03', (tx) => raise(tx, '55P03')],
      ['invalid_state', () => Promise.reject(new DomainError('invalid_state', 'refused'))],
    ];
    for (const [code, fail] of failures) {
      let runs = 0;
      const attempt = inTransaction(db, async (tx) => {
        runs += 1;
        await note(tx, `once-${code}`);
        await fail(tx);
      });
      await expect(attempt).rejects.toMatchObject({ code });
      expect(runs, code).toBe(1);
      expect(await notes(`once-${code}`)).toEqual([]);
    }
    expect(conflicts).toEqual([]);
  });

  it(`answers 503 with a retryable code once ${MAX_ATTEMPTS} runs have all met a conflict, and keeps nothing`, async () => {
    let runs = 0;
    const attempt = inTransaction(db, async (tx) => {
      runs += 1;
      await note(tx, 'exhausted');
      await raise(tx, '40P01');
    });
    const error = await attempt.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StillConflicting);
    expect(error).toMatchObject({ code: 'busy_try_again', details: { retryable: true }, sqlstate: '40P01' });
    expect(ERROR_STATUS[(error as StillConflicting).code]).toBe(503);
    expect(runs).toBe(MAX_ATTEMPTS);
    expect(await notes('exhausted')).toEqual([]);
    expect(conflicts.map((c) => [c.attempt, c.retried])).toEqual(
      Array.from({ length: MAX_ATTEMPTS }, (_, i) => [i + 1, i + 1 < MAX_ATTEMPTS]),
    );
  });

  /** Resolves once `parties` callers are waiting on it. */
  function barrier(parties: number): () => Promise<void> {
    let waiting = 0;
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    return () => {
      waiting += 1;
      if (waiting === parties) open();
      return opened;
    };
  }

  onPostgres?.('retries the loser of a real deadlock, and both units finish', async () => {
    await sql`insert into counters (id, value) values (1, 0), (2, 0)`.execute(db);
    const bothHoldOne = barrier(2);
    // Each unit locks one row, waits until the other holds its own, then asks for that one.
    const unit = (first: number, second: number) =>
      inTransaction(db, async (tx) => {
        await sql`set local deadlock_timeout = '50ms'`.execute(tx);
        await sql`update counters set value = value + 1 where id = ${first}`.execute(tx);
        if (attemptOf(tx) === 1) await bothHoldOne();
        await sql`update counters set value = value + 1 where id = ${second}`.execute(tx);
      });
    await Promise.all([unit(1, 2), unit(2, 1)]);
    expect(conflicts).toEqual([{ code: '40P01', attempt: 1, retried: true }]);
    const values = await sql<{
      id: number;
      value: number;
    }>`select id, value from counters where id in (1, 2) order by id`.execute(db);
    expect(values.rows).toEqual([
      { id: 1, value: 2 },
      { id: 2, value: 2 },
    ]);
  });

  onPostgres?.(
    "retries a real serialization failure, so neither of two read-then-write units loses the other's update",
    async () => {
      await sql`insert into counters (id, value) values (3, 0)`.execute(db);
      const bothRead = barrier(2);
      const increment = () =>
        inTransaction(db, async (tx) => {
          await sql`set transaction isolation level repeatable read`.execute(tx);
          const read = await sql<{ value: number }>`select value from counters where id = 3`.execute(tx);
          if (attemptOf(tx) === 1) await bothRead();
          await sql`update counters set value = ${read.rows[0]!.value + 1} where id = 3`.execute(tx);
        });
      await Promise.all([increment(), increment()]);
      expect(conflicts).toEqual([{ code: '40001', attempt: 1, retried: true }]);
      expect((await sql<{ value: number }>`select value from counters where id = 3`.execute(db)).rows[0]!.value).toBe(
        2,
      );
    },
  );
});
