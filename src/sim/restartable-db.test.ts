import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../db/unavailable.ts';
import { RestartableDb } from './restartable-db.ts';

/** The simulation's database restart: a real close and reopen of PGlite on its data directory. */
describe('the restartable simulation database', () => {
  let dir: string;
  let database: RestartableDb;
  const lines: string[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'pb-restart-test-'));
    database = await RestartableDb.open(join(dir, 'db'));
    database.logTo = (line) => lines.push(line.trim());
    await sql`create table kept (n int primary key)`.execute(database.simDb);
  }, 120_000);
  afterAll(async () => {
    await database?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const count = async () =>
    (await sql<{ n: number }>`select count(*)::int as n from kept`.execute(database.simDb)).rows[0]!.n;

  it(
    'loses the open transaction, keeps what committed, refuses the server while down, then starts again',
    { timeout: 120_000 },
    async () => {
      await sql`insert into kept values (1)`.execute(database.serverDb);
      database.restartAfter(1, 2);
      const inFlight = database.serverDb.transaction().execute(async (tx) => {
        await sql`insert into kept values (2)`.execute(tx); // after begin, the statement that stops it
        await sql`insert into kept values (3)`.execute(tx); // never reached
      });
      await expect(inFlight).rejects.toSatisfy(isDatabaseUnavailable);
      expect(database.isDown).toBe(true);
      expect(database.restarts).toBe(1);
      for (let i = 0; i < 2; i += 1)
        await expect(sql`select 1`.execute(database.serverDb)).rejects.toMatchObject({ code: '57P03' });
      // The next statement of the server finds it started again.
      await sql`insert into kept values (4)`.execute(database.serverDb);
      expect(database.isDown).toBe(false);
      expect(
        (await sql<{ n: number }>`select n from kept order by n`.execute(database.simDb)).rows.map((r) => r.n),
      ).toEqual([1, 4]);
      expect(lines).toEqual([
        'database STOPPED (a transaction open on it is lost)',
        'database started again (first statement from the server)',
      ]);
    },
  );

  it("opens again at the simulation's own read, never refusing it", { timeout: 120_000 }, async () => {
    database.restartAfter(0, 50);
    await expect(sql`select 1`.execute(database.serverDb)).rejects.toMatchObject({ code: '57P01' });
    expect(database.isDown).toBe(true);
    expect(await count()).toBe(2);
    expect(database.isDown).toBe(false);
    await sql`select 1`.execute(database.serverDb);
  });
});
