import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarDateIn } from '../../src/domain/dates.ts';
import { EXPORT_PAGE_SIZE } from '../../src/usecases/postings/export-records.ts';
import { call, createTestFirm, startTestApp, type TestApp, type TestFirm } from '../support/app.ts';
import { paymentBody, syncBasicMms, takePayment } from '../support/fixtures.ts';
import { dataRows, headerOf, readWorkbook } from '../support/xlsx.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const CURRENCY = '"$"#,##0.00;-"$"#,##0.00';
const RECORD_HEADER = [
  'Date',
  'Posting date',
  'Payer',
  'Invoice(s)',
  'Client',
  'Matter',
  'Amount',
  'Surcharge',
  'Method',
  'Account',
  'Origin',
  'Status',
  'Reverses',
  'Reasons',
  'Memo',
  'Batch seq',
  'Record id',
  'Reversal of',
];
const col = (name: string) => RECORD_HEADER.indexOf(name);

describe('Export to Excel', () => {
  let t: TestApp;
  let firm: TestFirm;
  let other: TestFirm;
  let bulk: TestFirm;
  beforeAll(async () => {
    t = await startTestApp();
    firm = await createTestFirm(t, 'EXPA');
    other = await createTestFirm(t, 'EXPB');
    bulk = await createTestFirm(t, 'EXPC');
    await syncBasicMms(t, firm);
    await syncBasicMms(t, other);
    await takePayment(t, firm, { amountCents: 12345, surchargeCents: 345, invoiceNumbers: ['INV-101'] });
    await takePayment(t, firm, { payerName: '=HYPERLINK("x")', invoiceNumbers: [] });
    await takePayment(t, firm, {
      payerName: 'Zebulon Quayle',
      invoiceNumbers: ['NOPE-1'],
      processedAt: '2025-06-15T10:00:00Z',
    });
    await takePayment(t, firm, {
      payerName: '@evil',
      invoiceNumbers: ['INV-102'],
      account: 'operating',
      amountCents: 5000,
    });
    await call(
      t,
      firm.accountant,
      'POST',
      '/payments',
      paymentBody({ origin: 'enter_payment', payerName: 'Keyed In' }),
    );
    await takePayment(t, other, { payerName: 'Other Firm Payer', invoiceNumbers: ['INV-100'] });
    await takePayment(t, other, { payerName: 'Other Firm Payer', invoiceNumbers: [] });
  });
  afterAll(async () => t.close());

  async function exportOf(token: string, path: string) {
    const res = await call(t, token, 'GET', path);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    return { res, sheet: await readWorkbook(res) };
  }

  it('downloads the view as a real workbook: header, rows of the view, typed cells', async () => {
    const { res, sheet } = await exportOf(firm.viewer, '/postings/export.xlsx?view=pending_incomplete');
    expect(res.headers['content-type']).toBe(XLSX);
    // A new firm's days are New York's.
    const today = calendarDateIn(new Date(), 'America/New_York');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="postings-pending_incomplete-${today}.xlsx"`);
    expect(headerOf(sheet)).toEqual(RECORD_HEADER);

    const counts = (await call(t, firm.viewer, 'GET', '/postings/counts')).json();
    const rows = dataRows(sheet);
    expect(rows).toHaveLength(counts.pending_incomplete);

    const clean = rows.find((r) => r[col('Amount')] === 120);
    expect(clean, 'the $123.45 payment less its $3.45 surcharge').toBeDefined();
    expect(clean![col('Surcharge')]).toBe(3.45);
    expect(clean![col('Date')]).toBeInstanceOf(Date);
    expect(clean![col('Posting date')]).toBeInstanceOf(Date);
    expect(clean![col('Invoice(s)')]).toBe('INV-101');
    expect(clean![col('Client')]).toBe('C1');
    expect(clean![col('Method')]).toBe('visa ending 4242');
    expect(clean![col('Status')]).toBe('pending');
    const excelRow = rows.indexOf(clean!) + 2;
    expect(sheet.getRow(excelRow).getCell(col('Amount') + 1).numFmt).toBe(CURRENCY);
    expect(typeof sheet.getRow(excelRow).getCell(col('Amount') + 1).value).toBe('number');
  });

  it('writes every text cell safe from formula injection and reasons in words', async () => {
    const { sheet } = await exportOf(firm.viewer, '/postings/export.xlsx?view=all');
    const payers = dataRows(sheet).map((r) => r[col('Payer')]);
    expect(payers).toContain(`'=HYPERLINK("x")`);
    expect(payers).toContain(`'@evil`);
    expect(payers.every((p) => typeof p === 'string' && !/^[=+\-@]/.test(p))).toBe(true);
    const noInvoice = dataRows(sheet).find((r) => r[col('Payer')] === `'=HYPERLINK("x")`)!;
    expect(noInvoice[col('Reasons')]).toBe('No invoice number was given');
  });

  it('applies the filters and matches the counts under the same filters', async () => {
    for (const query of [
      'q=zebulon',
      'from=2025-06-15&to=2025-06-15',
      'minCents=4000&maxCents=5000',
      'account=trust',
      'origin=connect',
      'q=%25',
    ]) {
      const { sheet } = await exportOf(firm.viewer, `/postings/export.xlsx?view=all&${query}`);
      const counts = (await call(t, firm.viewer, 'GET', `/postings/counts?${query}`)).json();
      expect(dataRows(sheet).length, query).toBe(counts.all);
    }
    const { sheet } = await exportOf(firm.viewer, '/postings/export.xlsx?view=all&q=zebulon');
    expect(dataRows(sheet).map((r) => r[col('Payer')])).toEqual(['Zebulon Quayle']);
  });

  it("never shows another firm's rows", async () => {
    const { sheet } = await exportOf(firm.viewer, '/postings/export.xlsx?view=all');
    const ids = dataRows(sheet).map((r) => r[col('Record id')]);
    expect(dataRows(sheet).some((r) => r[col('Payer')] === 'Other Firm Payer')).toBe(false);
    const own = await t.conn.db.selectFrom('posting_records').select('id').where('firm_id', '=', firm.id).execute();
    expect(new Set(ids)).toEqual(new Set(own.map((r) => r.id)));
    const theirs = await exportOf(other.viewer, '/postings/export.xlsx?view=all');
    expect(dataRows(theirs.sheet).every((r) => r[col('Payer')] === 'Other Firm Payer')).toBe(true);
  });

  it('pages through a view larger than one page with every row exactly once', async () => {
    // Two pages and part of a third, whatever the page size; many rows share a time, so
    // the keyset's tie-break on id is exercised too.
    const rows = 2 * EXPORT_PAGE_SIZE + 150;
    await sql`
      insert into payments (firm_id, processor_id, processed_at, amount_cents, method, account, payer_name, origin)
      select ${bulk.id}, 'bulk_' || g, timestamptz '2026-01-01 00:00:00+00' + (g % 50) * interval '1 hour', 1000 + g, 'card', 'operating', 'Bulk Payer ' || g, 'connect'
      from generate_series(1, ${rows}) g
    `.execute(t.conn.db);
    await sql`
      insert into posting_records (firm_id, payment_id, status, reasons, amount_cents, account, processed_at, payer_name, origin, method, search_text)
      select p.firm_id, p.id, 'incomplete', '{no_invoice_number}', p.amount_cents, p.account, p.processed_at, p.payer_name, p.origin, p.method, lower(p.payer_name)
      from payments p where p.firm_id = ${bulk.id}
    `.execute(t.conn.db);
    const { sheet } = await exportOf(bulk.viewer, '/postings/export.xlsx?view=incomplete');
    const ids = dataRows(sheet).map((r) => r[col('Record id')]);
    expect(ids).toHaveLength(rows);
    expect(new Set(ids).size).toBe(rows);
    const amounts = dataRows(sheet).map((r) => r[col('Amount')]);
    expect(amounts.reduce((sum: number, a) => sum + Math.round(Number(a) * 100), 0)).toBe(
      rows * 1000 + (rows * (rows + 1)) / 2,
    );
  });

  it('follows the sort the screen shows, in the order the list gives, on both lists', async () => {
    for (const sort of ['-amount', 'payer', 'status']) {
      const { sheet } = await exportOf(firm.viewer, `/postings/export.xlsx?view=all&sort=${sort}`);
      const listed = (await call(t, firm.viewer, 'GET', `/postings?view=all&sort=${sort}&limit=500`)).json().items;
      expect(
        dataRows(sheet).map((r) => r[col('Record id')]),
        sort,
      ).toEqual(listed.map((r: { id: string }) => r.id));
    }
    const amounts = dataRows((await exportOf(firm.viewer, '/postings/export.xlsx?view=all&sort=-amount')).sheet).map(
      (r) => Number(r[col('Amount')]),
    );
    expect(amounts).toEqual([...amounts].sort((a, b) => b - a));

    for (const sort of ['-payer']) {
      const { sheet } = await exportOf(firm.viewer, `/payments/export.xlsx?sort=${sort}`);
      const payer = headerOf(sheet).indexOf('Payer');
      const listed = (await call(t, firm.viewer, 'GET', `/payments?sort=${sort}&limit=500`)).json().items;
      expect(
        dataRows(sheet).map((r) => r[payer]),
        sort,
      ).toEqual(
        listed.map((p: { payerName: string }) => (/^[=+\-@]/.test(p.payerName) ? `'${p.payerName}` : p.payerName)),
      );
    }
    expect((await call(t, firm.viewer, 'GET', '/postings/export.xlsx?sort=fee')).statusCode).toBe(400);
  });

  it('answers a bad filter with 400 JSON, not a broken download', async () => {
    const res = await call(t, firm.viewer, 'GET', '/postings/export.xlsx?from=2026-02-01&to=2026-01-01');
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect((await call(t, firm.viewer, 'GET', '/postings/export.xlsx?view=nope')).statusCode).toBe(400);
  });

  it('is for signed-in users only', async () => {
    expect((await call(t, null, 'GET', '/postings/export.xlsx')).statusCode).toBe(401);
    expect((await call(t, firm.agent, 'GET', '/postings/export.xlsx')).statusCode).toBe(403);
    expect((await call(t, null, 'GET', '/payments/export.xlsx')).statusCode).toBe(401);
  });

  it('exports the Payment Manager with its filters, every origin included', async () => {
    const { res, sheet } = await exportOf(firm.viewer, '/payments/export.xlsx');
    expect(res.headers['content-type']).toBe(XLSX);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="payments-\d{4}-\d{2}-\d{2}\.xlsx"$/);
    const header = headerOf(sheet);
    expect(header.slice(0, 3)).toEqual(['Date', 'Payer', 'Payer email']);
    const rows = dataRows(sheet);
    const listed = (await call(t, firm.viewer, 'GET', '/payments?limit=500')).json().items;
    expect(rows).toHaveLength(listed.length);
    const payer = header.indexOf('Payer');
    const amount = header.indexOf('Amount');
    expect(rows.map((r) => r[payer])).toContain('Keyed In');
    expect(rows.map((r) => r[payer])).toContain(`'=HYPERLINK("x")`);
    expect(rows.map((r) => r[payer])).not.toContain('Other Firm Payer');
    const gross = rows.find((r) => r[amount] === 123.45);
    expect(gross).toBeDefined();
    expect(sheet.getRow(rows.indexOf(gross!) + 2).getCell(amount + 1).numFmt).toBe(CURRENCY);

    const keyed = await exportOf(firm.viewer, '/payments/export.xlsx?origin=enter_payment');
    expect(dataRows(keyed.sheet).map((r) => r[payer])).toEqual(['Keyed In']);
    const byStatus = await exportOf(firm.viewer, '/payments/export.xlsx?status=voided');
    expect(dataRows(byStatus.sheet)).toHaveLength(0);
  });
});
