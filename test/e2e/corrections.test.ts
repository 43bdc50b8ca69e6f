import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncBasicMms, takePayment } from '../support/fixtures.ts';
import { postAndDeliver } from './fixtures.ts';
import { saveShot } from './support/browser.ts';
import { ManagePostingsPage } from './support/pages.ts';
import { apiCall, startE2e, type E2e } from './support/server.ts';

// Issue 13 (SPEC §3.7) in the browser: a posted record the MMS has is corrected from its
// drawer; the reversal and the replacement it makes are linked and posted in one batch.
describe('corrections in the browser', () => {
  let e: E2e;
  let carl: Awaited<ReturnType<typeof takePayment>>;

  beforeAll(async () => {
    e = await startE2e('E2EC');
    await syncBasicMms(e.t, e.firm);
    carl = await takePayment(e.t, e.firm, {
      payerName: 'Carl Correct',
      invoiceNumbers: ['INV-100'],
      amountCents: 10_000,
      processedAt: '2026-01-15T15:00:00.000Z',
    });
    // Delivered by an agent that reports no answer from the MMS: the MMS has it.
    await postAndDeliver(e, [carl.postingRecord.id]);
  });
  afterAll(async () => e?.close());

  it("corrects a posted record's allocation, shows the linked pair, and posts both in one batch", async () => {
    const page = await e.pageAs('accountant');
    const postings = new ManagePostingsPage(page);
    await postings.openView('Posted');
    await page.getByRole('button', { name: /^View posting record: Carl Correct / }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByRole('button', { name: 'Correct allocation' }).click();
    const editor = drawer.getByRole('region', { name: 'Correction' });
    await editor.getByRole('button', { name: 'Remove line INV-100' }).click();
    await editor.getByLabel('Search invoices').fill('INV-101');
    await editor.getByRole('button', { name: 'Add invoice INV-101' }).click();
    expect(await editor.getByLabel('Amount for INV-101').inputValue()).toBe('100.00');
    await saveShot(page, 'correction-1-editor');
    await editor.getByRole('button', { name: 'Make correction' }).click();

    // The drawer now shows the replacement, linked to the corrected record and to its reversal.
    const original = carl.postingRecord.id.slice(0, 8);
    await drawer.getByRole('button', { name: `Replaces record ${original}` }).waitFor();
    const pair = drawer.getByRole('list', { name: 'Corrections' });
    await pair.getByText(/^Reversal \w{8}$/).waitFor();
    await saveShot(page, 'correction-2-replacement');
    await drawer.getByRole('button', { name: 'Close' }).click();

    await postings.openView('Pending');
    await postings.row('Carl Correct').getByText('Correction (replacement)').waitFor();
    await postings.row('Carl Correct').getByText('Correction', { exact: true }).waitFor();
    // Selecting either half posts both.
    await page.getByRole('checkbox', { name: /^Select Carl Correct Correction \(replacement\) / }).check();
    await postings.action('Post Selected').click();
    await postings.result().filter({ hasText: 'Batch #' }).waitFor();
    await saveShot(page, 'correction-3-posted');

    const detail = await apiCall(e, 'GET', `/postings/${carl.postingRecord.id}`);
    const [correction] = detail.corrections;
    const reversal = await apiCall(e, 'GET', `/postings/${correction.reversalId}`);
    const replacement = await apiCall(e, 'GET', `/postings/${correction.replacementId}`);
    expect(reversal.status).toBe('queued');
    expect(replacement.status).toBe('queued');
    expect(reversal.batchId).toBe(replacement.batchId);
    expect(replacement.allocations).toMatchObject([{ invoiceNumber: 'INV-101', amountCents: 10_000 }]);
    await page.context().close();
  });
});
