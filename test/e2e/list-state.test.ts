import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedEveryState } from './fixtures.ts';
import { ManagePostingsPage } from './support/pages.ts';
import { startE2e, type E2e } from './support/server.ts';

// Issue 16: the address holds a list's view, filters, search, order and page, so a reload,
// a pasted link, Back and Forward open the same list; a filter in error says so beside it.
describe('list state in the address', () => {
  let e: E2e;
  let page: Page;
  let postings: ManagePostingsPage;

  beforeAll(async () => {
    e = await startE2e('E2EL');
    await seedEveryState(e);
    page = await e.pageAs('accountant', '/postings');
    postings = new ManagePostingsPage(page);
  });
  afterAll(async () => e?.close());

  const payers = async () => {
    await postings.loaded();
    return postings
      .table()
      .getByRole('row')
      .evaluateAll((rows) =>
        rows.slice(1).map((row) => row.querySelector('td:nth-child(2)')?.textContent?.trim() ?? ''),
      );
  };
  const sortOf = (name: string) =>
    postings
      .table()
      .getByRole('columnheader', { name: new RegExp(`^${name}`) })
      .getAttribute('aria-sort');

  it('keeps a view, a filter and an order through a reload, a pasted link, Back and Forward', async () => {
    await postings.openView('All (Read Only)');
    await page.getByLabel('Min amount ($)').fill('100');
    await postings.table().getByRole('button', { name: 'Amount' }).click(); // largest first
    await page.waitForURL(/sort=-amount/);
    await postings.table().getByRole('button', { name: 'Amount' }).click(); // smallest first
    await page.waitForURL(/sort=amount/);
    const url = new URL(page.url());
    expect(Object.fromEntries(url.searchParams)).toEqual({ view: 'all', min: '100', sort: 'amount' });
    const shown = await payers();
    // Page Payer's $50.00 is under the minimum; Cora's $123.45 is the smallest left.
    expect(shown).toHaveLength(8);
    expect(shown[0]).toBe('Cora Pending');
    expect(await sortOf('Amount')).toBe('ascending');

    await page.reload();
    expect(await payers()).toEqual(shown);
    expect(await page.getByLabel('Min amount ($)').inputValue()).toBe('100');
    expect(await postings.tab('All (Read Only)').getAttribute('aria-selected')).toBe('true');

    const pasted = await page.context().newPage();
    await pasted.goto(url.toString());
    const other = new ManagePostingsPage(pasted);
    await other.loaded();
    expect(await other.table().getByRole('row').count()).toBe(shown.length + 1);
    expect(await other.tab('All (Read Only)').getAttribute('aria-selected')).toBe('true');
    await pasted.close();

    await page.goBack(); // largest first
    await page.waitForURL(/sort=-amount/);
    expect(await sortOf('Amount')).toBe('descending');
    expect((await payers()).at(-1)).toBe('Cora Pending');
    await page.goBack(); // by date again
    await page.waitForURL((u) => !u.searchParams.has('sort'));
    expect(await sortOf('Date')).toBe('descending');
    await page.goForward();
    await page.goForward();
    await page.waitForURL(/sort=amount/);
    expect(await payers()).toEqual(shown);
  });

  it('shows a crossed or unreadable range beside its field and keeps the list and counts', async () => {
    await page.getByLabel('Max amount ($)').fill('50');
    await page.getByText('More than the max amount').waitFor();
    await page.getByLabel('Max amount ($)').fill('abc');
    await page.getByText('Enter an amount like 1234.56').waitFor();
    await page.getByLabel('From', { exact: true }).fill('2026-03-02');
    await page.getByLabel('To', { exact: true }).fill('2026-03-01');
    await page.getByText('After the To date').waitFor();
    await postings.loaded();
    expect(await page.getByText(/Could not load/).count()).toBe(0);
    expect(await postings.count('All (Read Only)')).toBe(9);
  });

  it("clears the Payment Manager's filters, Payment status too, and sorts it by payer", async () => {
    await page.goto(`${e.baseUrl}/payments?status=approved&sort=payer`);
    const table = page.getByRole('table', { name: 'Payments' });
    await table.waitFor();
    expect(await table.getByRole('columnheader', { name: /^Payer/ }).getAttribute('aria-sort')).toBe('ascending');
    const status = page.getByRole('textbox', { name: 'Payment status' });
    expect(await status.inputValue()).toBe('approved');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.waitForURL((u) => !u.searchParams.has('status'));
    expect(await status.inputValue()).toBe('');
    expect(new URL(page.url()).searchParams.get('sort')).toBe('payer');
  });
});
