import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signatureHeader } from '../../src/processor/webhook-signature.ts';
import { deliverWebhooks } from '../../src/usecases/webhook-endpoints/deliver-webhooks.ts';
import { startE2e, type E2e } from './support/server.ts';

describe('webhooks and the audit log in Settings', () => {
  let e: E2e;
  const bodies: string[] = [];
  const receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      bodies.push(body);
      response.statusCode = 204;
      response.end();
    });
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    e = await startE2e('E2EH');
  });
  afterAll(async () => {
    await e?.close();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  it('an admin adds an endpoint, sends it a test event and sees the delivery, then opens the audit log', async () => {
    const page = await e.pageAs('admin', '/settings');
    await page.getByRole('tab', { name: 'Webhooks' }).click();
    const form = page.getByRole('form', { name: 'New webhook endpoint' });
    await form.getByRole('textbox', { name: 'Label' }).fill('Firm ERP');
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/paybridge`;
    await form.getByRole('textbox', { name: 'URL' }).fill(url);
    await form.getByRole('textbox', { name: 'Events' }).click();
    await page.getByRole('option', { name: 'payment.taken' }).click();
    await page.keyboard.press('Escape');
    await form.getByRole('button', { name: 'Add endpoint' }).click();
    const secret = await page.getByTestId('new-webhook-secret').textContent();
    expect(secret).toMatch(/^whsec_/);
    await page.getByRole('dialog', { name: 'Signing secret' }).getByRole('button', { name: 'Done' }).click();

    const endpoints = page.getByRole('table', { name: 'Webhook endpoints' });
    await endpoints.getByText(url).waitFor();
    await endpoints
      .getByRole('row')
      .filter({ hasText: 'Firm ERP' })
      .getByRole('button', { name: 'Deliveries' })
      .click();
    const dialog = page.getByRole('dialog', { name: 'Firm ERP' });
    await dialog.getByText('Nothing sent yet.').waitFor();
    await dialog.getByRole('button', { name: 'Send test event' }).click();
    await dialog.getByText(/Test event queued/).waitFor();
    // The scheduler's job, run here: the server under test starts no scheduler.
    expect(await deliverWebhooks(e.t.conn.db, { sign: signatureHeader })).toMatchObject({ delivered: 1 });
    const log = dialog.getByRole('table', { name: 'Delivery log' });
    const row = log.getByRole('row').filter({ hasText: 'webhook.test' });
    await row.getByText('204').waitFor();
    await row.getByText('delivered').waitFor();
    expect(JSON.parse(bodies[0]!)).toMatchObject({ type: 'webhook.test' });
    await page.keyboard.press('Escape');

    await page.getByRole('tab', { name: 'Audit log' }).click();
    const audit = page.getByRole('table', { name: 'Audit log' });
    await audit.getByText('webhook_endpoint_created').waitFor();
    await audit.getByText('webhook_test_sent').waitFor();
    await page.getByRole('textbox', { name: 'Action' }).click();
    await page.getByRole('option', { name: 'webhook_test_sent' }).click();
    await audit.getByText('webhook_endpoint_created').waitFor({ state: 'detached' });
    await audit.getByText('webhook_test_sent').waitFor();
    await page.getByRole('button', { name: 'Export to Excel' }).waitFor();
    await page.context().close();
  });
});
