import type { Locator, Page } from 'playwright-core';

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Manage Postings as a person sees it: tabs, the actions toolbar, the records table and the edit drawer. */
export class ManagePostingsPage {
  constructor(readonly page: Page) {}

  heading(): Locator {
    return this.page.getByRole('heading', { name: 'Manage Postings' });
  }

  /** A view's tab; its accessible name is the label followed by the live count. */
  tab(label: string): Locator {
    return this.page.getByRole('tab', { name: new RegExp(`^${escape(label)} (\\d+|…)$`) });
  }

  async count(label: string): Promise<number> {
    await this.loaded();
    const name = (await this.tab(label).textContent()) ?? '';
    return Number(/(\d+)$/.exec(name)?.[1] ?? NaN);
  }

  async openView(label: string): Promise<void> {
    await this.tab(label).click();
    await this.tab(label).and(this.page.locator('[aria-selected="true"]')).waitFor();
  }

  table(): Locator {
    return this.page.getByRole('table', { name: /records$/ });
  }

  row(payer: string): Locator {
    return this.table().getByRole('row').filter({ hasText: payer });
  }

  /** Waits for the rows of the view to be on screen (or its empty state). */
  async loaded(): Promise<void> {
    await this.page
      .getByRole('region', { name: / view$/ })
      .and(this.page.locator('[aria-busy="false"]'))
      .waitFor();
    await this.table()
      .or(this.page.getByText(/^No records in /))
      .waitFor();
  }

  /** Whether a row of this payer is shown, once the view has loaded. */
  async shows(payer: string): Promise<boolean> {
    await this.loaded();
    return (await this.row(payer).count()) > 0;
  }

  /** The text of every row of the view, read once it has loaded: cheaper than a lookup per payer. */
  async rowsText(): Promise<string> {
    await this.loaded();
    const rows = this.table().getByRole('row');
    return (await rows.count()) === 0 ? '' : (await rows.allTextContents()).join('\n');
  }

  select(payer: string): Promise<void> {
    return this.page.getByRole('checkbox', { name: new RegExp(`^Select ${escape(payer)} `) }).check();
  }

  action(name: string): Locator {
    return this.page.getByRole('toolbar', { name: 'Actions' }).getByRole('button', { name, exact: true });
  }

  result(): Locator {
    return this.page
      .getByRole('status')
      .filter({ hasText: /Batch #|Removed|Moved|Nothing was pending/ })
      .or(this.page.getByRole('alert'));
  }

  async edit(payer: string): Promise<Locator> {
    await this.page.getByRole('button', { name: new RegExp(`^Edit Posting Record: ${escape(payer)} `) }).click();
    const drawer = this.page.getByRole('dialog', { name: 'Edit Posting Record' });
    await drawer.getByRole('heading', { name: 'Reallocate Payment' }).waitFor();
    return drawer;
  }
}
