import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestFirm, startTestApp, type TestApp, type TestFirm } from '../support/app.ts';
import { testEngine } from '../support/db.ts';
import { syncBasicMms, takePayment } from '../support/fixtures.ts';

/**
 * A record edited by a transaction that Post waits for goes out as it was edited. Post
 * locks the pending records and reads their lines; a locking read that waits for a row
 * sees that row's new version once the other transaction commits, but the lines it joined
 * are those of its own snapshot, from before the edit. The file would then have put the
 * payment on the invoice the accountant had just taken it off.
 */
describe('Post of a record edited while Post waits for it', () => {
  let t: TestApp;
  let firm: TestFirm;

  beforeAll(async () => {
    t = await startTestApp();
    firm = await createTestFirm(t, 'EDITPOST');
    await syncBasicMms(t, firm);
  });
  afterAll(async () => t.close());

  const post = (body: object) => call(t, firm.accountant, 'POST', '/postings/post', body);

  for (const how of ['all', 'selected'] as const) {
    it(`puts the edited line in the batch and its file (Post ${how === 'all' ? 'All' : 'Selected'})`, async () => {
      const taken = await takePayment(t, firm, { amountCents: 1234, invoiceNumbers: ['INV-101'], clientNumber: 'C1' });
      const recordId = taken.postingRecord.id;
      let posting: ReturnType<typeof post> | null = null;
      // Another transaction moves the record's line to INV-102, as an edit does, and stays
      // open until Post waits for it (on PostgreSQL; PGlite runs one transaction at a time).
      await t.conn.db.transaction().execute(async (tx) => {
        await sql`update posting_records set version = version + 1, updated_at = now() where id = ${recordId}`.execute(
          tx,
        );
        await sql`update allocations set invoice_number = 'INV-102' where record_id = ${recordId}`.execute(tx);
        posting = post(how === 'all' ? { all: true } : { ids: [recordId] });
        if (testEngine() === 'postgres') {
          for (let i = 0; i < 200; i++) {
            const waiting = await sql<{ n: number }>`select count(*)::int as n from pg_locks
              where not granted and locktype = 'transactionid' and transactionid = pg_current_xact_id()::xid`.execute(
              tx,
            );
            if (waiting.rows[0]!.n > 0) break;
            await new Promise((resolve) => setTimeout(resolve, 25));
          }
        }
      });
      const res = await posting!;
      expect(res.statusCode, res.body).toBe(200);
      const batchId = res.json<{ batch: { id: string } }>().batch.id;
      const file = await call(t, firm.agent, 'GET', `/agent/batches/${batchId}/file`);
      expect(file.statusCode, file.body).toBe(200);
      const line = file.body.split(/\r?\n/).find((l) => l.includes(recordId) || l.includes('12.34'));
      expect(line, file.body).toBeDefined();
      expect(line).toContain('INV-102');
      expect(line).not.toContain('INV-101');
    });
  }
});
