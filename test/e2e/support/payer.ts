import type { Locator, Page } from 'playwright-core';
import { saveShot } from './browser.ts';
import type { E2e } from './server.ts';

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** A card expiry two years ahead, as the payer types it. */
export const EXPIRY = `12/${String((new Date().getUTCFullYear() + 2) % 100).padStart(2, '0')}`;

/** A public payment page as a payer sees it: no sign-in, found by roles and labels. */
export class PayerPage {
  /** Every /api/v1 path the page asked for, to prove what it did not ask (/me). */
  readonly apiPaths: string[] = [];

  constructor(readonly page: Page) {
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith('/api/v1/')) this.apiPaths.push(url.pathname);
    });
  }

  /** Opens `path` in a fresh browser context that has never signed in. */
  static async open(e: E2e, path: string, viewport = DESKTOP): Promise<PayerPage> {
    const context = await e.browser.newContext({ baseURL: e.baseUrl, viewport, locale: 'en-US', timezoneId: 'UTC' });
    context.setDefaultTimeout(10_000);
    const payer = new PayerPage(await context.newPage());
    await payer.page.goto(path);
    return payer;
  }

  heading(name: string | RegExp): Locator {
    return this.page.getByRole('heading', { level: 1, name });
  }

  async lookUp(clientNumber: string, by: { invoiceNumber: string } | { matterNumber: string }): Promise<void> {
    await this.page.getByRole('textbox', { name: 'Client number' }).fill(clientNumber);
    if ('matterNumber' in by) {
      // A trust page asks for the matter only; an operating page offers the choice.
      const choice = this.page.getByText('By matter number');
      if (await choice.count()) await choice.click();
      await this.page.getByRole('textbox', { name: 'Matter number' }).fill(by.matterNumber);
    } else {
      await this.page.getByRole('textbox', { name: 'Invoice number' }).fill(by.invoiceNumber);
    }
    await this.page.getByRole('button', { name: /^Find (invoices|matter)$/ }).click();
  }

  invoice(invoiceNumber: string): Locator {
    return this.page.getByRole('checkbox', { name: `Invoice ${invoiceNumber}` });
  }

  amount(invoiceNumber: string): Locator {
    return this.page.getByRole('textbox', { name: `Amount for ${invoiceNumber}` });
  }

  /** A row of an amounts table, e.g. "Surcharge (3%)", named by its label and amount. */
  total(label: string, amount: string, within: Locator | Page = this.page): Locator {
    return within.getByRole('table', { name: 'Amounts' }).getByRole('row', { name: `${label} ${amount}`, exact: true });
  }

  async fillPayer(name: string, email?: string): Promise<void> {
    await this.page.getByRole('textbox', { name: 'Your name' }).fill(name);
    if (email) await this.page.getByRole('textbox', { name: 'Email (optional)' }).fill(email);
  }

  async fillCard(number: string, cvc = '123'): Promise<void> {
    await this.page.getByRole('textbox', { name: 'Card number' }).fill(number);
    await this.page.getByRole('textbox', { name: 'Expiry (MM/YY)' }).fill(EXPIRY);
    await this.page.getByRole('textbox', { name: 'Security code' }).fill(cvc);
  }

  async fillBank(routingNumber: string, accountNumber: string): Promise<void> {
    await this.page.getByText('eCheck (bank account)').click();
    await this.page.getByRole('textbox', { name: 'Routing number' }).fill(routingNumber);
    await this.page.getByRole('textbox', { name: 'Account number' }).fill(accountNumber);
  }

  payButton(amount?: string): Locator {
    return this.page.getByRole('button', { name: amount ? `Pay ${amount}` : /^Pay/, exact: amount ? true : undefined });
  }

  receipt(): Locator {
    return this.page.getByRole('region', { name: 'Receipt' });
  }

  /** A receipt fact ("Paid with", "Confirmation number", …) and its value. */
  async fact(label: string): Promise<string> {
    const row = this.page
      .getByRole('table', { name: 'Payment' })
      .getByRole('row')
      .filter({ has: this.page.getByRole('rowheader', { name: label, exact: true }) });
    return ((await row.getByRole('cell').textContent()) ?? '').trim();
  }

  alert(): Locator {
    return this.page.getByRole('alert');
  }

  /** The page is as wide as the screen: nothing to scroll sideways on a phone. */
  async overflowsSideways(): Promise<boolean> {
    return this.page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  }

  /** With PAYBRIDGE_SHOTS=<folder>, saves a full-page screenshot for a person to look at. */
  shot(name: string): Promise<void> {
    return saveShot(this.page, name, true);
  }

  close(): Promise<void> {
    return this.page.context().close();
  }
}
