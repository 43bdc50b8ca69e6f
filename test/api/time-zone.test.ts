import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarDateIn } from '../../src/domain/dates.ts';
import { parsePaybridgeCsv } from '../../src/domain/posting-file.ts';
import { postRecords } from '../../src/usecases/postings/post-records.ts';
import { call, createTestFirm, startTestApp, type TestApp, type TestFirm } from '../support/app.ts';
import { syncBasicMms, takePayment } from '../support/fixtures.ts';
import { dataRows, headerOf, readWorkbook } from '../support/xlsx.ts';

const LA = 'America/Los_Angeles';

/** SPEC §2: every calendar date paybridge derives is a date in the firm's time zone. */
describe("the firm's time zone", () => {
  let t: TestApp;
  let la: TestFirm;
  beforeAll(async () => {
    t = await startTestApp();
    la = await createTestFirm(t, 'TZLA');
    const zone = await call(t, la.admin, 'PATCH', '/settings', { timeZone: LA });
    expect(zone.statusCode, zone.body).toBe(200);
    await syncBasicMms(t, la);
  });
  afterAll(async () => t.close());

  async function batchFileDates(batchId: string): Promise<string[]> {
    const file = await call(t, la.viewer, 'GET', `/batches/${batchId}/file`);
    expect(file.statusCode).toBe(200);
    return parsePaybridgeCsv(file.body).lines.map((line) => line.postingDate);
  }

  const recordOf = async (id: string) =>
    (await call(t, la.viewer, 'GET', `/postings/${id}`)).json<{ status: string; postingDate: string }>();

  it('posts a 7:30 pm Pacific payment on 31 December in the old year: in its batch file and on its record', async () => {
    const { postingRecord } = await takePayment(t, la, {
      invoiceNumbers: ['INV-100'],
      processedAt: '2027-01-01T03:30:00Z',
    });
    expect(postingRecord).toMatchObject({ status: 'pending', postingDate: '2026-12-31' });

    const post = await call(t, la.accountant, 'POST', '/postings/post', { ids: [postingRecord.id] });
    expect(post.statusCode, post.body).toBe(200);
    const batchId = post.json().batch.id as string;
    expect(await batchFileDates(batchId)).toEqual(['2026-12-31']);
    expect(await recordOf(postingRecord.id)).toMatchObject({ status: 'queued', postingDate: '2026-12-31' });
    const queued = (await call(t, la.viewer, 'GET', '/postings?view=queued')).json().items as {
      id: string;
      postingDate: string;
    }[];
    expect(queued.find((r) => r.id === postingRecord.id)?.postingDate).toBe('2026-12-31');

    // The firm moving to UTC afterwards changes what is posted next, not the date this file gave.
    expect((await call(t, la.admin, 'PATCH', '/settings', { timeZone: 'UTC' })).statusCode).toBe(200);
    try {
      expect((await recordOf(postingRecord.id)).postingDate).toBe('2026-12-31');
      const next = await takePayment(t, la, { invoiceNumbers: ['INV-101'], processedAt: '2027-01-01T03:30:00Z' });
      expect(next.postingRecord).toMatchObject({ postingDate: '2027-01-01' });
    } finally {
      expect((await call(t, la.admin, 'PATCH', '/settings', { timeZone: LA })).statusCode).toBe(200);
    }
  });

  it('with "use posted date" on, dates a record by the day it is posted in the firm zone', async () => {
    expect((await call(t, la.admin, 'PATCH', '/settings', { usePostedDate: true })).statusCode).toBe(200);
    try {
      const before = calendarDateIn(new Date(), LA);
      const { postingRecord } = await takePayment(t, la, {
        invoiceNumbers: ['INV-102'],
        processedAt: '2026-06-01T18:00:00Z',
      });
      // Not yet posted: the date it would get if posted now, today in Los Angeles.
      expect([before, calendarDateIn(new Date(), LA)]).toContain(postingRecord.postingDate);

      // Posted at 9 pm on 1 January in Los Angeles, when UTC is already on the 2nd.
      const actor = { kind: 'user' as const, id: null, label: la.emails.accountant };
      const batch = await postRecords(
        t.conn.db,
        la.id,
        actor,
        { ids: [postingRecord.id] },
        new Date('2027-01-02T05:00:00Z'),
      );
      expect(await batchFileDates(batch!.id)).toEqual(['2027-01-01']);
      expect((await recordOf(postingRecord.id)).postingDate).toBe('2027-01-01');
    } finally {
      expect((await call(t, la.admin, 'PATCH', '/settings', { usePostedDate: false })).statusCode).toBe(200);
    }
  });

  it('filters postings and payments by days in the firm zone, across midnight and a 23-hour day', async () => {
    const payer = 'Midnight Payer';
    const times = [
      '2026-01-15T07:59:59Z', // 11:59:59 pm on 14 January in Los Angeles
      '2026-01-15T08:00:00Z', // midnight starting 15 January
      '2026-01-16T07:59:59Z', // 11:59:59 pm on 15 January
      '2026-01-16T08:00:00Z', // midnight starting 16 January
      '2026-03-08T07:59:59Z', // 11:59:59 pm PST on 7 March
      '2026-03-08T08:00:00Z', // midnight starting 8 March, the day the clocks spring forward
      '2026-03-09T06:59:59Z', // 11:59:59 pm PDT on 8 March
      '2026-03-09T07:00:00Z', // midnight starting 9 March
    ];
    for (const [i, processedAt] of times.entries()) {
      await takePayment(t, la, { payerName: payer, invoiceNumbers: [], amountCents: 100 + i, processedAt });
    }
    const inDays = async (path: string, from: string, to: string) => {
      const res = await call(
        t,
        la.viewer,
        'GET',
        `${path}?q=midnight&from=${from}&to=${to}&limit=100${path === '/postings' ? '&view=all' : ''}`,
      );
      expect(res.statusCode, res.body).toBe(200);
      return (res.json().items as { processedAt: string }[]).map((r) => r.processedAt).sort();
    };
    const iso = (s: string) => new Date(s).toISOString();
    for (const path of ['/postings', '/payments']) {
      expect(await inDays(path, '2026-01-15', '2026-01-15'), path).toEqual([iso(times[1]!), iso(times[2]!)]);
      expect(await inDays(path, '2026-03-08', '2026-03-08'), path).toEqual([iso(times[5]!), iso(times[6]!)]);
      expect(await inDays(path, '2026-01-15', '2026-03-08'), path).toEqual(
        [1, 2, 3, 4, 5, 6].map((i) => iso(times[i]!)),
      );
    }
    const counts = (
      await call(t, la.viewer, 'GET', '/postings/counts?q=midnight&from=2026-01-15&to=2026-01-15')
    ).json();
    expect(counts.all).toBe(2);
  });

  it("writes export dates as the firm's days and names the file by the firm's today", async () => {
    const res = await call(t, la.viewer, 'GET', '/payments/export.xlsx?q=midnight&from=2026-01-15&to=2026-01-15');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="payments-${calendarDateIn(new Date(), LA)}.xlsx"`,
    );
    const sheet = await readWorkbook(res);
    const date = headerOf(sheet).indexOf('Date');
    expect(dataRows(sheet).map((r) => r[date])).toEqual([
      new Date('2026-01-15T00:00:00Z'),
      new Date('2026-01-15T00:00:00Z'),
    ]);

    const records = await readWorkbook(
      await call(t, la.viewer, 'GET', '/postings/export.xlsx?view=all&q=midnight&from=2026-01-16&to=2026-01-16'),
    );
    const header = headerOf(records);
    expect(dataRows(records).map((r) => [r[header.indexOf('Date')], r[header.indexOf('Posting date')]])).toEqual([
      [new Date('2026-01-16T00:00:00Z'), new Date('2026-01-16T00:00:00Z')],
    ]);
  });
});
