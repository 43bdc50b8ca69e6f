import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REASON_TEXT } from '../../src/domain/types.ts';
import { syncBasicMms, takePayment } from '../support/fixtures.ts';
import { ManagePostingsPage } from './support/pages.ts';
import { apiCall, startE2e, type E2e } from './support/server.ts';

// Edit Posting Record for issue 10's rules: accepting a third-party payment, and trust
// money reallocated to a matter found by the search.
describe('Edit Posting Record: third-party payments and trust matters', () => {
  let e: E2e;
  let mismatch: Awaited<ReturnType<typeof takePayment>>;
  let trust: Awaited<ReturnType<typeof takePayment>>;

  beforeAll(async () => {
    e = await startE2e('E2EE');
    await syncBasicMms(e.t, e.firm);
    // Client C2 pays C1's invoice: a client mismatch. Trust money for a matter the MMS lacks.
    mismatch = await takePayment(e.t, e.firm, {
      payerName: 'Tess Thirdparty',
      invoiceNumbers: ['INV-100'],
      clientNumber: 'C2',
    });
    trust = await takePayment(e.t, e.firm, {
      payerName: 'Trudy Trust',
      account: 'trust',
      invoiceNumbers: [],
      clientNumber: 'C1',
      matterNumber: 'M7',
    });
    expect(mismatch.postingRecord).toMatchObject({ status: 'incomplete', reasons: ['client_mismatch'] });
    expect(trust.postingRecord).toMatchObject({ status: 'incomplete', reasons: ['unknown_matter'] });
  });
  afterAll(async () => e?.close());

  it('accepts a third-party payment with the box, which makes the record pending and says so in its history', async () => {
    const page = await e.pageAs('accountant');
    const postings = new ManagePostingsPage(page);
    await postings.openView('Incomplete');
    const drawer = await postings.edit('Tess Thirdparty');
    await drawer.getByText(REASON_TEXT.client_mismatch).first().waitFor();
    const box = drawer.getByRole('checkbox', { name: "A third party pays this client's invoice" });
    expect(await box.isChecked()).toBe(false);
    await box.check();
    await drawer.getByRole('button', { name: 'Save' }).click();
    await drawer.waitFor({ state: 'detached' });
    await page.getByText('It is now pending.').waitFor();

    await postings.openView('Pending');
    const again = await postings.edit('Tess Thirdparty');
    await again.getByText('Edited: incomplete → pending').waitFor();
    await again.getByText('Third-party payment accepted').waitFor();
    expect(await again.getByRole('checkbox', { name: "A third party pays this client's invoice" }).isChecked()).toBe(
      true,
    );
    const record = await apiCall(e, 'GET', `/postings/${mismatch.postingRecord.id}`);
    expect(record).toMatchObject({ status: 'pending', reasons: [], clientMismatchAccepted: true });
    await page.context().close();
  });

  it('reallocates trust money to a matter picked from the search, which makes the record pending', async () => {
    const page = await e.pageAs('accountant');
    const postings = new ManagePostingsPage(page);
    await postings.openView('Incomplete');
    const drawer = await postings.edit('Trudy Trust');
    await drawer.getByText(REASON_TEXT.unknown_matter).first().waitFor();
    await drawer.getByRole('button', { name: 'Remove line 1' }).click();
    await drawer.getByText('Left to allocate: $250.00').waitFor();
    await drawer.getByLabel('Search matters').fill('lease');
    await drawer.getByRole('button', { name: 'Add matter C1/M1' }).click();
    await drawer.getByText('Left to allocate: $0.00').waitFor();
    expect(await drawer.getByLabel('Client number, line 1').inputValue()).toBe('C1');
    expect(await drawer.getByLabel('Matter number, line 1').inputValue()).toBe('M1');
    await drawer.getByRole('table', { name: 'Allocations' }).getByText('Acme Holdings · Lease dispute').waitFor();
    await drawer.getByRole('button', { name: 'Save' }).click();
    await drawer.waitFor({ state: 'detached' });
    await page.getByText('It is now pending.').waitFor();

    const record = await apiCall(e, 'GET', `/postings/${trust.postingRecord.id}`);
    expect(record).toMatchObject({ status: 'pending', reasons: [] });
    expect(record.allocations).toEqual([
      { invoiceNumber: null, clientNumber: 'C1', matterNumber: 'M1', amountCents: 25000 },
    ]);
    await page.context().close();
  });
});
