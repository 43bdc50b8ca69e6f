import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPostgres, type Connection } from '../../src/db/connect.ts';
import { migrate } from '../../src/db/migrate.ts';
import { isDatabaseUnavailable } from '../../src/db/unavailable.ts';
import { loadConfig } from '../../src/config.ts';
import { buildApp } from '../../src/server/app.ts';
import { createFirm, createToken, createUser } from '../../src/usecases/auth/firms-and-users.ts';
import { adminQuery, databaseUrl, dropDatabase, uniqueName } from '../support/engines.ts';
import { TEST_PASSWORD } from '../support/app.ts';

/**
 * Issue 17 and SPEC §7: while PostgreSQL is away (restarting, or its connections ended)
 * a request is answered 503 with Retry-After, never 500, and the server recovers by
 * itself. These run on real PostgreSQL whichever engine the suite runs on: it is
 * PostgreSQL's restart they are about.
 */
describe('the database going away', () => {
  const config = { ...loadConfig({}), demo: false };

  it('answers 503 database_unavailable with Retry-After when PostgreSQL cannot be reached at all', async () => {
    // Nothing listens on port 1.
    const conn = connectPostgres('postgres://postgres@127.0.0.1:1/nowhere', 2);
    const app = await buildApp({ db: conn.db, listen: async () => async () => {}, config });
    try {
      const res = await app.inject({
        method: 'GET',
        url: '/api/v1/me',
        headers: { authorization: 'Bearer pb_user_0000000000000000000000000000000000000000000' },
      });
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.json().error.code).toBe('database_unavailable');
      expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(503);
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await app.close();
      await conn.close();
    }
  });

  describe('when its connections are ended under load', () => {
    const name = uniqueName('pb_gone');
    let conn: Connection;
    let token: string;
    beforeAll(async () => {
      await adminQuery(`create database ${name}`);
      conn = connectPostgres(databaseUrl(name), 4);
      await migrate(conn.db);
      await createFirm(conn.db, { code: 'GONE', name: 'Gone LLP' });
      await createUser(conn.db, { firmCode: 'GONE', email: 'v@gone.test', role: 'viewer', password: TEST_PASSWORD });
      token = (await createToken(conn.db, { firmCode: 'GONE', kind: 'user', email: 'v@gone.test' })).token;
    });
    afterAll(async () => {
      await conn.close();
      await dropDatabase(name);
    });

    it('answers each request 200 or 503, never 500, and is answering 200 again within seconds', async () => {
      const app = await buildApp({ db: conn.db, listen: conn.listen, config });
      try {
        const ask = () =>
          app.inject({ method: 'GET', url: '/api/v1/postings/counts', headers: { authorization: `Bearer ${token}` } });
        expect((await ask()).statusCode).toBe(200);
        const statuses: number[] = [];
        for (let round = 0; round < 3; round += 1) {
          // What a restart does to the server's connections: every one of them ends.
          await adminQuery(
            `select pg_terminate_backend(pid) from pg_stat_activity where datname = '${name}' and pid <> pg_backend_pid()`,
          );
          statuses.push(...(await Promise.all([ask(), ask(), ask(), ask(), ask(), ask()])).map((r) => r.statusCode));
        }
        expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
        let recovered = false;
        for (let tries = 0; tries < 50 && !recovered; tries += 1) {
          recovered = (await ask()).statusCode === 200;
          if (!recovered) await new Promise((resolve) => setTimeout(resolve, 100));
        }
        expect(recovered).toBe(true);
      } finally {
        await app.close();
      }
    });
  });

  it('tells an unreachable or ended database from a refused statement', () => {
    expect(
      isDatabaseUnavailable(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })),
    ).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })]))).toBe(
      true,
    );
    expect(
      isDatabaseUnavailable(
        Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      ),
    ).toBe(true);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error('syntax error'), { code: '42601' }))).toBe(false);
  });
});
