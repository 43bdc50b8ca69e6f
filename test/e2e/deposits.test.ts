import ExcelJS from 'exceljs';
import type { Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarDateIn } from '../../src/domain/dates.ts';
import { formatUsd } from '../../src/domain/money.ts';
import { settleSandboxPayouts } from '../../src/processor/sandbox/settle-payouts.ts';
import { syncBasicMms, takePayment } from '../support/fixtures.ts';
import { deliverEvents, webhookSecret } from '../support/processor.ts';
import { postAndDeliver } from './fixtures.ts';
import { saveShot } from './support/browser.ts';
import { DESKTOP, PHONE } from './support/payer.ts';
import { apiCall, startE2e, type E2e } from './support/server.ts';

interface Payout {
  id: string;
  depositAccountId: string;
  account: 'operating' | 'trust';
  depositAccountName: string;
  lineCount: number;
}

/** A downloaded workbook's rows below the header, each as its cell values from column 1. */
async function downloadedRows(download: Download): Promise<ExcelJS.CellValue[][]> {
  expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(await download.path());
  const sheet = workbook.worksheets[0]!;
  const rows: ExcelJS.CellValue[][] = [];
  sheet.eachRow((row, n) => {
    if (n > 1) rows.push(Array.from({ length: sheet.columnCount }, (_, i) => row.getCell(i + 1).value));
  });
  return rows;
}

/** Both sizes of a page for a person to look at (with PAYBRIDGE_SHOTS), ending at the desktop size. */
async function shots(page: Page, name: string) {
  await saveShot(page, `${name}-desktop`, true);
  await page.setViewportSize(PHONE);
  await saveShot(page, `${name}-phone`, true);
  await page.setViewportSize(DESKTOP);
}

// 14 October 2026 in New York (the firm's zone, UTC-4 then): three card payments, which the
// sandbox pays out on the 15th, one payout per deposit account; the trust payment's fee comes
// out of operating. Issue 14 (SPEC §5.3) in the browser.
const at = (hour: number) => `2026-10-14T${String(hour + 4).padStart(2, '0')}:00:00.000Z`;

describe('Deposits in the browser', () => {
  let e: E2e;
  let operating: Payout;
  let trust: Payout;
  let pete: Awaited<ReturnType<typeof takePayment>>;

  beforeAll(async () => {
    e = await startE2e('E2ED');
    await syncBasicMms(e.t, e.firm);
    await webhookSecret(e.t, e.firm);
    const dora = await takePayment(e.t, e.firm, {
      payerName: 'Dora Deposit',
      invoiceNumbers: ['INV-100'],
      amountCents: 10_000,
      processedAt: at(10),
    });
    pete = await takePayment(e.t, e.firm, {
      payerName: 'Pete Pending',
      invoiceNumbers: ['INV-101'],
      amountCents: 5_000,
      processedAt: at(11),
    });
    await takePayment(e.t, e.firm, {
      payerName: 'Tess Trust',
      amountCents: 50_000,
      account: 'trust',
      invoiceNumbers: [],
      clientNumber: 'C3',
      matterNumber: 'M9',
      processedAt: at(12),
    });
    await postAndDeliver(e, [dora.postingRecord.id]);
    // Settled as of the next morning; the payout.paid events go out on the real clock, as the webhook checks it.
    const made = await settleSandboxPayouts(e.t.conn.db, new Date('2026-10-15T14:00:00.000Z'));
    expect(made).toHaveLength(2);
    expect((await deliverEvents(e.t)).failed).toBe(0);
    const { items } = (await apiCall(e, 'GET', '/deposits?from=2026-10-01&to=2026-10-31')) as { items: Payout[] };
    operating = items.find((p) => p.account === 'operating')!;
    trust = items.find((p) => p.account === 'trust')!;
    expect(operating).toMatchObject({ lineCount: 5 });
  });
  afterAll(async () => e?.close());

  it('lists a month of payouts, opens one into its lines, and follows a line to its posting record', async () => {
    const page = await e.pageAs('viewer', '/postings');
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Deposits' }).click();
    await page.getByRole('heading', { name: 'Deposits' }).waitFor();
    // This month on the firm's calendar, when nothing has been paid out.
    const thisMonth = calendarDateIn(new Date(), 'America/New_York').slice(0, 7);
    const [year, month] = thisMonth.split('-').map(Number) as [number, number];
    const monthName = new Date(Date.UTC(year, month - 1, 1)).toLocaleString('en-US', {
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    });
    expect(await page.getByRole('textbox', { name: 'Month' }).inputValue()).toBe(monthName);
    await page.getByText(`No payout was paid in ${monthName}.`).waitFor();
    expect(await page.getByRole('button', { name: 'Next month' }).isDisabled()).toBe(true);

    // A pasted address opens its month; the arrow steps to the next, and the address follows.
    await page.goto(`${e.baseUrl}/deposits?month=2026-09`);
    await page.getByText('No payout was paid in September 2026.').waitFor();
    await page.getByRole('button', { name: 'Next month' }).click();
    const payouts = page.getByRole('table', { name: 'Payouts' });
    await payouts.waitFor();
    expect(new URL(page.url()).search).toBe('?month=2026-10');
    expect(await payouts.getByRole('row').count()).toBe(3);
    const operatingRow = payouts.getByRole('row').filter({ hasText: operating.depositAccountName });
    // Gross $150.00; fees 2.9% + 30¢ of $100, $50 and the trust payment's $500; net $130.25.
    for (const text of ['Oct 15, 2026', 'Oct 14, 2026', '$150.00', '-$19.75', '$130.25', '2 not applied'])
      await operatingRow.getByText(text, { exact: true }).waitFor();
    const trustRow = payouts.getByRole('row').filter({ hasText: trust.depositAccountName });
    expect(await trustRow.getByText('$500.00', { exact: true }).count()).toBe(2);
    // Amount headers sit over their figures, on the right.
    const net = payouts.getByRole('columnheader', { name: 'Net' });
    expect(await net.evaluate((th) => getComputedStyle(th).textAlign)).toBe('right');
    await shots(page, 'deposits-1-list');

    // The account filter: only trust.
    await page.getByRole('textbox', { name: 'Account' }).click();
    await page.getByRole('option', { name: trust.depositAccountName }).click();
    await payouts.getByRole('row').nth(2).waitFor({ state: 'detached' });
    expect(await payouts.getByRole('row').filter({ hasText: trust.depositAccountName }).count()).toBe(1);
    expect(new URL(page.url()).searchParams.get('account')).toBe(trust.depositAccountId);
    await page.getByLabel('Clear the account filter').click();
    await operatingRow.waitFor();

    await operatingRow.getByRole('link', { name: /^Open the payout of Oct 15, 2026 to / }).click();
    await page.getByRole('heading', { name: `Payout of Oct 15, 2026 to ${operating.depositAccountName}` }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/deposits/${operating.id}`);
    const detail = (await apiCall(e, 'GET', `/deposits/${operating.id}`)) as {
      lines: { kind: string; payment: { payerName: string }; mmsState: string; postingRecord: { batchSeq: number } }[];
    };
    const lines = page.getByRole('table', { name: 'Payout lines' });
    await lines.waitFor();
    expect(await lines.getByRole('row').count()).toBe(1 + 5);
    await page.getByText('2 lines are not yet applied in the MMS', { exact: false }).waitFor();

    // Pete's record is pending: not posted, and flagged in words.
    // Each payment has two lines: itself and its fee.
    const paymentRow = (payer: string) =>
      lines.getByRole('row').filter({ hasText: payer }).filter({ hasNotText: 'Processing fee' });
    const peteRow = paymentRow('Pete Pending');
    for (const text of ['Payment', '$50.00', 'Oct 14, 2026', 'pending', 'Not posted', 'Needs attention'])
      await peteRow.getByText(text, { exact: true }).waitFor();
    // Dora's went in batch #1, delivered: what the MMS did with it, as the API says.
    const doraLine = detail.lines.find((l) => l.payment.payerName === 'Dora Deposit')!;
    expect(doraLine.mmsState).not.toBe('not_posted');
    const doraRow = paymentRow('Dora Deposit');
    await doraRow.getByText(`posted · batch #${doraLine.postingRecord.batchSeq}`).waitFor();
    // Fees: no posting record, nothing the MMS should hold, no flag.
    const fees = lines.getByRole('row').filter({ hasText: 'Processing fee' });
    expect(await fees.count()).toBe(3);
    expect(await fees.getByText('Needs attention').count()).toBe(0);
    await fees.filter({ hasText: '-$14.80' }).waitFor();
    await shots(page, 'deposits-2-payout');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export to Excel' }).click(),
    ]);
    const rows = await downloadedRows(download);
    expect(rows.map((r) => [r[7], r[8], r[9]])).toEqual([
      ['Payment', 100, 'Dora Deposit'],
      ['Processing fee', -3.2, 'Dora Deposit'],
      ['Payment', 50, 'Pete Pending'],
      ['Processing fee', -1.75, 'Pete Pending'],
      ['Processing fee', -14.8, 'Tess Trust'],
    ]);
    // The same lines, in the same order, as the screen shows them.
    const shown = await lines
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 3).map((td) => td.textContent)));
    expect(shown).toEqual(rows.map((r) => [r[7], formatUsd(Math.round(Number(r[8]) * 100)), r[9]]));

    // The line's record, opened in Manage Postings by its address.
    const shortId = pete.postingRecord.id.slice(0, 8);
    await peteRow.getByRole('link', { name: `Open posting record ${shortId} of Pete Pending` }).click();
    const drawer = page.getByRole('dialog', { name: 'Posting record' });
    await drawer.getByText(`Record ${shortId}`).waitFor();
    await drawer.getByText('Pete Pending').first().waitFor();
    expect(new URL(page.url()).searchParams.get('record')).toBe(pete.postingRecord.id);
    await shots(page, 'deposits-3-record');
    await page.goBack();
    await lines.waitFor();
    expect(new URL(page.url()).pathname).toBe(`/deposits/${operating.id}`);
    await page.context().close();
  });

  it("exports the month to Excel and states it per account, with totals, on a page that prints without the app's chrome", async () => {
    const page = await e.pageAs('viewer', '/deposits?month=2026-10');
    await page.getByRole('table', { name: 'Payouts' }).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export month to Excel' }).click(),
    ]);
    const rows = await downloadedRows(download);
    expect(rows).toHaveLength(operating.lineCount + trust.lineCount);
    expect(rows.filter((r) => r[7] === 'Payment').map((r) => [r[8], r[9]])).toEqual(
      expect.arrayContaining([
        [100, 'Dora Deposit'],
        [50, 'Pete Pending'],
        [500, 'Tess Trust'],
      ]),
    );

    await page.getByRole('link', { name: 'Monthly statement' }).click();
    const statement = page.getByRole('table', { name: 'Deposits statement, October 2026' });
    await statement.waitFor();
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe('/deposits/statement?month=2026-10');
    await page.getByRole('main').getByText(`${e.firm.code} LLP`).waitFor();
    const cells = async (row: string) =>
      statement.getByRole('row').filter({ hasText: row }).locator('td').allInnerTexts();
    expect(await cells('Total')).toEqual(['2', '3', '$650.00', '$0.00', '$0.00', '-$19.75', '$630.25']);
    expect(await cells(trust.depositAccountName)).toEqual(expect.arrayContaining(['1', '$500.00', '$0.00', '$500.00']));
    await page.getByRole('button', { name: 'Print' }).waitFor();
    await shots(page, 'deposits-4-statement');

    // Printed: the statement alone, without the header, the navigation or the buttons.
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('navigation', { name: 'Screens' }).isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Print' }).isVisible()).toBe(false);
    expect(await statement.isVisible()).toBe(true);
    await saveShot(page, 'deposits-5-print', true);
    await page.context().close();
  });
});
