import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestFirm, startTestApp, type TestApp, type TestFirm } from '../support/app.ts';
import { syncBasicMms, takePayment } from '../support/fixtures.ts';
import { firmSnapshot } from '../support/snapshot.ts';

/**
 * SPEC §9: a mutation with an `Idempotency-Key` answers the same key and body with the
 * first answer, and the same key with another body with 422. Keys belong to the caller.
 */
describe('Idempotency-Key on mutations', () => {
  let t: TestApp;
  let firm: TestFirm;

  beforeAll(async () => {
    t = await startTestApp();
    firm = await createTestFirm(t, 'IDEM');
    await syncBasicMms(t, firm);
  });
  afterAll(async () => t.close());

  const withKey = (key: string) => ({ headers: { 'idempotency-key': key } });
  const postAll = (token: string, key: string) => call(t, token, 'POST', '/postings/post', { all: true }, withKey(key));

  async function batchCount(): Promise<number> {
    const row = await t.conn.db
      .selectFrom('batches')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('firm_id', '=', firm.id)
      .executeTakeFirstOrThrow();
    return row.n;
  }

  it('answers the same key and body with the first answer: one batch, the second marked as a replay', async () => {
    await takePayment(t, firm, { invoiceNumbers: ['INV-100'], amountCents: 1000 });
    const key = randomUUID();
    const batchesBefore = await batchCount();
    const first = await postAll(firm.accountant, key);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().batch).not.toBeNull();
    expect(first.headers['idempotent-replay']).toBeUndefined();

    await takePayment(t, firm, { invoiceNumbers: ['INV-101'], amountCents: 1000 }); // would make a second batch if acted on
    const second = await postAll(firm.accountant, key);
    expect(second.statusCode).toBe(200);
    expect(second.headers['idempotent-replay']).toBe('true');
    expect(second.json()).toEqual(first.json());
    expect(second.body).toBe(first.body);
    expect(await batchCount()).toBe(batchesBefore + 1);
  });

  it('refuses the same key with another body with 422 and does nothing', async () => {
    const key = randomUUID();
    const { postingRecord } = await takePayment(t, firm, { invoiceNumbers: ['INV-102'], amountCents: 1000 });
    const first = await call(t, firm.accountant, 'POST', '/postings/remove', { ids: [postingRecord.id] }, withKey(key));
    expect(first.statusCode, first.body).toBe(200);
    const before = await firmSnapshot(t.conn.db, firm.id);
    const other = await call(
      t,
      firm.accountant,
      'POST',
      '/postings/remove',
      { ids: [postingRecord.id], note: 'other' },
      withKey(key),
    );
    expect(other.statusCode, other.body).toBe(422);
    expect(other.json().error.code).toBe('idempotency_key_reused');
    expect(other.json().error.message).toMatch(/Idempotency-Key/);
    const otherRoute = await call(
      t,
      firm.accountant,
      'POST',
      '/postings/move-to-pending',
      { ids: [postingRecord.id] },
      withKey(key),
    );
    expect(otherRoute.statusCode, otherRoute.body).toBe(422);
    expect(await firmSnapshot(t.conn.db, firm.id)).toEqual(before);
  });

  it("keeps keys per caller: another user's same key acts on its own, whatever its body", async () => {
    const key = randomUUID();
    await takePayment(t, firm, { invoiceNumbers: ['INV-103'], clientNumber: 'C2', amountCents: 1000 });
    const batchesBefore = await batchCount();
    const mine = await postAll(firm.accountant, key);
    expect(mine.json().batch).not.toBeNull();

    await takePayment(t, firm, { invoiceNumbers: ['INV-104'], clientNumber: 'C2', amountCents: 1000 });
    const theirs = await postAll(firm.admin, key);
    expect(theirs.statusCode, theirs.body).toBe(200);
    expect(theirs.headers['idempotent-replay']).toBeUndefined();
    expect(theirs.json().batch.id).not.toBe(mine.json().batch.id);
    expect(await batchCount()).toBe(batchesBefore + 2);

    // Another body under the key is no conflict for a caller who has not used it.
    const { postingRecord } = await takePayment(t, firm, { invoiceNumbers: ['INV-100'], amountCents: 500 });
    const agentSync = await call(
      t,
      firm.agent,
      'POST',
      '/agent/sync',
      { clients: [{ clientNumber: 'C8', name: 'Eighth' }] },
      withKey(key),
    );
    expect(agentSync.statusCode, agentSync.body).toBe(200);
    expect(agentSync.headers['idempotent-replay']).toBeUndefined();
    const mineAgain = await call(
      t,
      firm.accountant,
      'POST',
      '/postings/remove',
      { ids: [postingRecord.id] },
      withKey(key),
    );
    expect(mineAgain.statusCode).toBe(422);
  });

  it('replays a 4xx answer too', async () => {
    const key = randomUUID();
    const missing = randomUUID();
    const first = await call(t, firm.accountant, 'POST', '/postings/remove', { ids: [missing] }, withKey(key));
    expect(first.statusCode).toBe(404);
    // The id is in the details, the message in words (errors.ts notFound).
    expect(JSON.stringify(first.json().error.details)).toContain(missing);
    expect(first.json().error.message).not.toContain(missing);
    const second = await call(t, firm.accountant, 'POST', '/postings/remove', { ids: [missing] }, withKey(key));
    expect(second.statusCode).toBe(404);
    expect(second.headers['idempotent-replay']).toBe('true');
    expect(second.json()).toEqual(first.json());

    // A 409 for a queued record is remembered even after the record could have changed.
    const { postingRecord } = await takePayment(t, firm, { invoiceNumbers: ['INV-101'], amountCents: 700 });
    expect((await call(t, firm.accountant, 'POST', '/postings/post', { ids: [postingRecord.id] })).statusCode).toBe(
      200,
    );
    const conflictKey = randomUUID();
    const refused = await call(
      t,
      firm.accountant,
      'POST',
      '/postings/remove',
      { ids: [postingRecord.id] },
      withKey(conflictKey),
    );
    expect(refused.statusCode).toBe(409);
    const again = await call(
      t,
      firm.accountant,
      'POST',
      '/postings/remove',
      { ids: [postingRecord.id] },
      withKey(conflictKey),
    );
    expect(again.statusCode).toBe(409);
    expect(again.headers['idempotent-replay']).toBe('true');
    expect(again.json()).toEqual(refused.json());
  });

  it('lets exactly one of five concurrent requests with one key act', async () => {
    await takePayment(t, firm, { invoiceNumbers: ['INV-102'], amountCents: 900 });
    const key = randomUUID();
    const batchesBefore = await batchCount();
    const answers = await Promise.all(Array.from({ length: 5 }, () => postAll(firm.accountant, key)));
    expect(await batchCount()).toBe(batchesBefore + 1);
    const acted = answers.filter((r) => r.statusCode === 200 && r.headers['idempotent-replay'] === undefined);
    expect(acted).toHaveLength(1);
    const batch = acted[0]!.json().batch as { id: string };
    expect(batch).not.toBeNull();
    for (const other of answers.filter((r) => r !== acted[0])) {
      if (other.statusCode === 409) {
        expect(other.json().error.code).toBe('idempotency_in_progress');
      } else {
        expect(other.statusCode, other.body).toBe(200);
        expect(other.headers['idempotent-replay']).toBe('true');
        expect(other.json().batch.id).toBe(batch.id);
      }
    }
    // Once the first has answered, the key replays for everyone who retries.
    const retry = await postAll(firm.accountant, key);
    expect(retry.headers['idempotent-replay']).toBe('true');
    expect(retry.json().batch.id).toBe(batch.id);
  });

  it('refuses a malformed key with 400 before acting', async () => {
    const res = await postAll(firm.accountant, 'has spaces in it');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_idempotency_key');
  });
});
