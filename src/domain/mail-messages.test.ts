import { describe, expect, it } from 'vitest';
import { digestMail, escapeHtml, mailRetryDelayMs, MAX_MAIL_ATTEMPTS, paidWith, receiptMail } from './mail-messages.ts';

describe('mail messages', () => {
  it('escapes what people typed in the HTML part and keeps the subject on one line', () => {
    expect(escapeHtml(`<a href="x">O'Neil & Co</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;O&#39;Neil &amp; Co&lt;/a&gt;');
    const mail = receiptMail({
      firmName: 'Hartwell\r\nBcc: evil@x.test <b>',
      payerName: '<script>alert(1)</script>',
      amountCents: 125_000,
      surchargeCents: 3_750,
      method: 'card',
      cardBrand: 'visa',
      last4: '4242',
      paidAt: 'Dec 2, 2026, 9:15 AM EST',
      reference: 'ch_1',
      invoiceNumbers: ['24-0117'],
    });
    expect(mail.subject).toBe('Your payment to Hartwell Bcc: evil@x.test <b>: $1,250.00');
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;');
    expect(mail.text).toContain('Of which surcharge: $37.50');
    expect(mail.text).toContain('Paid with: Visa ending 4242');
  });

  it('names the card by brand and last 4 only, and never more digits than 4', () => {
    expect(paidWith('card', 'amex', '0005')).toBe('Amex ending 0005');
    expect(paidWith('echeck', null, '6789')).toBe('eCheck ending 6789');
    expect(paidWith('card', null, '4242424242424242')).toBe('Card');
  });

  it('groups a digest by kind, counting its events', () => {
    const mail = digestMail('Firm', '2026-12-01', [
      {
        kind: 'schedule_failed',
        at: 'a',
        detail: {
          payerName: 'P',
          amountCents: 100,
          runOn: '2026-12-01',
          status: 'declined',
          reason: 'insufficient funds',
        },
      },
      {
        kind: 'incomplete_record',
        at: 'b',
        detail: { payerName: 'Q', amountCents: 200, account: 'trust', reasons: ['no_matter'] },
      },
    ]);
    expect(mail.subject).toBe('Firm: daily digest for 2026-12-01, 2 events');
    expect(mail.text).toContain('Error-Failed Auto-Pay (1)');
    expect(mail.text).toContain('Error-Incomplete Posting Record (1)');
    expect(mail.text).toContain('P ($1.00) due 2026-12-01 was declined: insufficient funds');
  });

  it('waits longer after each failed try, and gives up after the last', () => {
    expect(mailRetryDelayMs(1)).toBe(60_000);
    expect(mailRetryDelayMs(3)).toBe(240_000);
    expect(mailRetryDelayMs(MAX_MAIL_ATTEMPTS - 1)).toBe(256 * 60_000);
    expect(mailRetryDelayMs(MAX_MAIL_ATTEMPTS)).toBeNull();
  });
});
