import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatUsd } from '../../src/domain/money.ts';
import { REASON_TEXT } from '../../src/domain/types.ts';
import { TEST_PASSWORD } from '../support/app.ts';
import { PAYERS, seedEveryState } from './fixtures.ts';
import { ManagePostingsPage } from './support/pages.ts';
import { apiCall, startE2e, type E2e } from './support/server.ts';

// One browser and one firm for the file; the tests run in order and build on each other.
describe('Manage Postings in the browser', () => {
  let e: E2e;
  let seeded: Awaited<ReturnType<typeof seedEveryState>>;
  let page: Page;
  let postings: ManagePostingsPage;

  beforeAll(async () => {
    e = await startE2e('E2EP');
    seeded = await seedEveryState(e);
  });
  afterAll(async () => e?.close());

  it('signs in through the form and lands on Manage Postings, Pending/Incomplete view', async () => {
    const context = await e.browser.newContext({ viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
    await page.goto(e.baseUrl);
    await page.getByLabel('Email').fill(e.firm.emails.accountant);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'The email or password is wrong.' }).waitFor();

    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    postings = new ManagePostingsPage(page);
    await postings.heading().waitFor();
    expect(await postings.tab('Pending/Incomplete').getAttribute('aria-selected')).toBe('true');
    expect(new URL(page.url()).pathname).toBe('/postings');
    const banner = page.getByRole('banner');
    expect(await banner.textContent()).toContain('E2EP LLP');
    expect(await banner.textContent()).toContain(e.firm.emails.accountant);
    await banner.getByText('accountant', { exact: true }).waitFor();
  });

  it('shows the right rows, counts and reasons in each view', async () => {
    const expected: Record<string, string[]> = {
      'Pending/Incomplete': [
        'Alma Pending',
        'Bruno Pending',
        'Cora Pending',
        'Ida Incomplete',
        'Iris Incomplete',
        'Page Payer',
      ],
      Pending: ['Alma Pending', 'Bruno Pending', 'Cora Pending', 'Page Payer'],
      Incomplete: ['Ida Incomplete', 'Iris Incomplete'],
      Posted: ['Paula Posted'],
      Removed: ['Remy Removed'],
      Queued: ['Quinn Queued'],
      'All (Read Only)': PAYERS,
    };
    for (const [view, payers] of Object.entries(expected)) {
      await postings.openView(view);
      const shown = await postings.rowsText();
      for (const payer of PAYERS) expect(shown.includes(payer), `${view}: ${payer}`).toBe(payers.includes(payer));
      expect(await postings.count(view), view).toBe(payers.length);
    }
    await postings.openView('Incomplete');
    await postings.row('Ida Incomplete').getByText(REASON_TEXT.invalid_invoice_number).waitFor();
    await postings.row('Iris Incomplete').getByText(REASON_TEXT.multiple_invoice_numbers).waitFor();
    await postings.openView('Queued');
    await page
      .getByRole('note')
      .filter({ hasText: 'Each batch waits here until the Connect agent delivers it' })
      .waitFor();
    await postings
      .row('Quinn Queued')
      .getByText(/^Batch #2$/)
      .waitFor();
    // How long it has waited, ticking: the seconds count up without a reload.
    const waited = postings.row('Quinn Queued').getByText(/^Waiting \d+ s$/);
    const seconds = async () => Number(/(\d+) s$/.exec((await waited.textContent()) ?? '')?.[1]);
    const first = await seconds();
    await expect.poll(seconds, { timeout: 5_000 }).toBeGreaterThan(first);
    await postings.openView('Pending');
    await postings.row('Page Payer').getByRole('img', { name: 'Created via a payment page' }).waitFor();
    expect(await postings.row('Alma Pending').getByRole('img', { name: 'Created via a payment page' }).count()).toBe(0);
    await postings.row('Cora Pending').getByText('$123.45').waitFor();
  });

  it('Post Selected queues the chosen pending record in a batch of its own', async () => {
    await postings.openView('Pending');
    expect(await postings.action('Post Selected').isDisabled()).toBe(true);
    await postings.select('Alma Pending');
    await postings.action('Post Selected').click();
    await postings.result().filter({ hasText: 'Batch #3 made: 1 record, 1 line, $250.00' }).waitFor();
    await postings.row('Alma Pending').waitFor({ state: 'detached' });
    await postings.openView('Queued');
    expect(await postings.shows('Alma Pending')).toBe(true);
    expect(await postings.count('Queued')).toBe(2);
  });

  it('Remove Posts takes a note, and Move to Pending brings the record back', async () => {
    await postings.openView('Pending/Incomplete');
    await postings.select('Bruno Pending');
    await postings.action('Remove Posts').click();
    const dialog = page.getByRole('dialog', { name: 'Remove Posts' });
    await dialog.getByLabel('Note (optional)').fill('Entered by hand');
    await dialog.getByRole('button', { name: 'Remove 1 record' }).click();
    await postings.result().filter({ hasText: 'Removed 1 record.' }).waitFor();

    await postings.openView('Removed');
    await postings.row('Bruno Pending').getByText('Note: Entered by hand').waitFor();
    expect(await postings.action('Move to Pending').isDisabled()).toBe(true);
    await postings.select('Bruno Pending');
    await postings.action('Move to Pending').click();
    await postings.result().filter({ hasText: 'Moved 1 record back: 1 pending, 0 incomplete.' }).waitFor();
    await postings.row('Bruno Pending').waitFor({ state: 'detached' });
    await postings.openView('Pending');
    expect(await postings.shows('Bruno Pending')).toBe(true);
  });

  it('reallocates an incomplete record to a real invoice through the drawer, which makes it pending', async () => {
    await postings.openView('Incomplete');
    const drawer = await postings.edit('Ida Incomplete');
    await drawer.getByText(REASON_TEXT.invalid_invoice_number).first().waitFor();
    await drawer.getByRole('button', { name: 'Remove line NOPE-1' }).click();
    await drawer.getByText('Left to allocate: $250.00').waitFor();
    expect(await drawer.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
    await drawer.getByLabel('Search invoices').fill('INV-102');
    await drawer.getByRole('button', { name: 'Add invoice INV-102' }).click();
    await drawer.getByText('Left to allocate: $0.00').waitFor();
    expect(await drawer.getByLabel('Amount for INV-102').inputValue()).toBe('250.00');
    // The history lists the record's creation.
    await drawer.getByText('created: incomplete').waitFor();
    await drawer.getByRole('button', { name: 'Save' }).click();
    await drawer.waitFor({ state: 'detached' });
    await page.getByText('It is now pending.').waitFor();
    expect(await postings.shows('Ida Incomplete')).toBe(false);
    await postings.openView('Pending');
    await postings.row('Ida Incomplete').getByText('INV-102').waitFor();
  });

  it("offers the payer's typed invoices as a suggested match, taken in one click", async () => {
    await postings.openView('Incomplete');
    const drawer = await postings.edit('Iris Incomplete');
    const offer = drawer.getByRole('region', { name: 'Suggested match' });
    await offer.getByText('High confidence').waitFor();
    await offer.getByRole('button', { name: 'Use suggested match' }).click();
    await drawer.getByText('Left to allocate: $0.00').waitFor();
    expect(await drawer.getByLabel('Amount for INV-100').inputValue()).toBe('250.00');
    await offer.getByRole('button', { name: 'Apply oldest first' }).waitFor();
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });
  });

  it('explains a stale edit and reloads the record with the other change', async () => {
    await postings.openView('Pending');
    const drawer = await postings.edit('Cora Pending');
    const record = await apiCall(e, 'GET', `/postings/${seeded.cora.postingRecord.id}`);
    await apiCall(e, 'PATCH', `/postings/${record.id}`, {
      version: record.version,
      allocations: [{ invoiceNumber: 'INV-102', amountCents: 12345 }],
      memo: 'changed elsewhere',
    });
    // The change reaches the open drawer, which keeps the form as it was and says so.
    await drawer.getByRole('status').filter({ hasText: 'This record has changed since you opened it' }).waitFor();
    await drawer.getByLabel('Memo (A/R message)').fill('my change');
    await drawer.getByRole('button', { name: 'Save' }).click();
    const refused = drawer.getByRole('alert').filter({ hasText: 'Someone else changed this record first' });
    await refused.waitFor();
    // In words: no record id, no version numbers.
    expect(await refused.textContent()).toContain('while you were editing, so nothing was saved');
    expect(await refused.textContent()).not.toMatch(/version|[0-9a-f]{8}-/);
    await drawer
      .getByLabel('Memo (A/R message)')
      .and(page.locator('textarea'))
      .filter({ hasText: 'changed elsewhere' })
      .waitFor();
    expect(await drawer.getByLabel('Memo (A/R message)').inputValue()).toBe('changed elsewhere');
    // Saving again, on the reloaded version, goes through.
    await drawer.getByLabel('Memo (A/R message)').fill('my change, again');
    await drawer.getByRole('button', { name: 'Save' }).click();
    await drawer.waitFor({ state: 'detached' });
    const after = await apiCall(e, 'GET', `/postings/${record.id}`);
    expect(after.memo).toBe('my change, again');
  });

  it('Edit Posting Record offers Remove; a record whose payment was refunded cannot be moved back, and says why', async () => {
    await postings.openView('Pending');
    const drawer = await postings.edit('Cora Pending');
    await drawer.getByRole('button', { name: 'Remove', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove Posts' });
    await dialog.getByLabel('Note (optional)').fill('Paid twice');
    await dialog.getByRole('button', { name: 'Remove 1 record' }).click();
    await drawer.waitFor({ state: 'detached' });
    await postings.openView('Removed');
    await postings.row('Cora Pending').getByText('Note: Paid twice').waitFor();

    await apiCall(e, 'POST', `/payments/${seeded.remy.payment.id}/reverse`, { kind: 'refund' });
    await postings.row('Remy Removed').getByText(REASON_TEXT.payment_reversed).waitFor();
    await postings.select('Remy Removed');
    expect(await postings.action('Move to Pending').isDisabled()).toBe(true);
    await page.getByText("This record's payment was voided, refunded or charged back, so it stays removed.").waitFor();
    await page.getByRole('checkbox', { name: /^Select Remy Removed / }).uncheck();
    // Cora's came back as it went: pending again, for Post All below.
    await postings.select('Cora Pending');
    await postings.action('Move to Pending').click();
    await postings.result().filter({ hasText: 'Moved 1 record back: 1 pending, 0 incomplete.' }).waitFor();
  });

  it('Post All confirms the count and total of every pending record, then posts them in one batch', async () => {
    const counts = await apiCall(e, 'GET', '/postings/counts');
    expect(counts.pending).toBe(4); // Bruno, Cora, Page Payer, Ida
    await postings.openView('Pending');
    await postings.action('Post All').click();
    const dialog = page.getByRole('dialog', { name: 'Post All' });
    await dialog
      .getByText(
        `Post all 4 pending records, ${formatUsd(counts.pendingTotalCents)} in total, on every page, in one batch?`,
      )
      .waitFor();
    await dialog.getByRole('button', { name: 'Post 4 records' }).click();
    await postings
      .result()
      .filter({ hasText: /^Batch #4 made: 4 records/ })
      .waitFor();
    await page.getByText('No records in Pending.').waitFor();
    expect(await postings.count('Pending')).toBe(0);
    expect(await postings.action('Post All').isDisabled()).toBe(true);
  });

  it('Export to Excel downloads an .xlsx of the view that ExcelJS opens', async () => {
    await postings.openView('Queued');
    const queued = await postings.count('Queued');
    const [download] = await Promise.all([page.waitForEvent('download'), postings.action('Export to Excel').click()]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const path = await download.path();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.actualRowCount - 1).toBe(queued);
    const text = JSON.stringify(sheet.getSheetValues());
    for (const payer of ['Quinn Queued', 'Alma Pending', 'Cora Pending']) expect(text).toContain(payer);
  });
});
