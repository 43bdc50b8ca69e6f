import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueDigests } from '../../src/db/mail-queue.ts';
import { addDays, calendarDateIn } from '../../src/domain/dates.ts';
import { createMailer, type Mailer } from '../../src/mail/mailer.ts';
import { SandboxProcessor } from '../../src/processor/sandbox/sandbox-processor.ts';
import { emailLink } from '../../src/usecases/notifications/email-link.ts';
import { noticeSilentAgents } from '../../src/usecases/notifications/notice-silent-agents.ts';
import { sendQueuedMail } from '../../src/usecases/notifications/send-queued-mail.ts';
import { runDueSchedules } from '../../src/usecases/payment-schedules/run-due-schedules.ts';
import { SYSTEM_ACTOR } from '../../src/domain/actor.ts';
import { call, createTestFirm, startTestApp, type TestApp, type TestFirm } from '../support/app.ts';
import { acknowledgeInOrder, paymentBody, syncBasicMms } from '../support/fixtures.ts';
import { CARDS, cardToken } from '../support/processor.ts';
import { startSmtpPeer, type ReceivedMail, type SmtpPeer } from '../support/smtp.ts';

/**
 * Issue 15, email: every message is received by a real SMTP peer (smtp-server) and read
 * back: recipient, subject, both parts, the firm's name, and no card number.
 */
describe('email notifications', () => {
  let peer: SmtpPeer;
  let t: TestApp;
  let firm: TestFirm;
  let mailer: Mailer;
  let dir: string;
  const processor = () => new SandboxProcessor(t.conn.db);
  const today = calendarDateIn(new Date(), 'America/New_York');

  beforeAll(async () => {
    peer = await startSmtpPeer();
    dir = await mkdtemp(join(tmpdir(), 'pb-notify-'));
    t = await startTestApp({ payRequestsPerMinute: 100_000, smtpUrl: peer.url, dataDir: dir });
    mailer = createMailer({ smtpUrl: peer.url, mailFrom: 'paybridge <no-reply@pb.test>', dataDir: dir });
    firm = await createTestFirm(t, 'SMAIL');
    await syncBasicMms(t, firm);
  });
  afterAll(async () => {
    await t.close();
    await peer.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** The scheduler's mail job, run now (or at `at`). */
  const deliver = (at = new Date()) => sendQueuedMail(t.conn.db, mailer, at);
  const to = (address: string) => peer.received.filter((m) => m.to.includes(address));
  const only = (address: string): ReceivedMail => {
    const got = to(address);
    expect(
      got.map((m) => m.subject),
      address,
    ).toHaveLength(1);
    return got[0]!;
  };
  const queueOf = async (address: string) =>
    t.conn.db.selectFrom('mail_queue').selectAll().where('recipient', '=', address).execute();

  function expectClean(mail: ReceivedMail) {
    expect(mail.text).toContain('SMAIL LLP');
    expect(mail.html).toContain('SMAIL LLP');
    // No card number, in any spacing, in any part of the message.
    for (const number of Object.values(CARDS)) {
      expect(mail.raw.replace(/\s/g, '')).not.toContain(number.replace(/\s/g, ''));
    }
  }

  it('sends the payer a receipt for every origin, after the payment, with brand and last 4 only', async () => {
    const accountant = firm.accountant;
    // Connect (Make A Payment) and Enter Payment, by the firm's staff.
    const connect = await call(t, accountant, 'POST', '/connect-payments', {
      token: (await cardToken(t)).token,
      payerName: 'Connect <Payer> & Co',
      payerEmail: 'connect@payer.test',
      allocations: [{ invoiceNumber: 'INV-100', amountCents: 1_000 }],
    });
    expect(connect.statusCode, connect.body).toBe(201);
    const enter = await call(t, accountant, 'POST', '/enter-payment', {
      token: (await cardToken(t, CARDS.amex)).token,
      amountCents: 2_000,
      account: 'trust',
      payerName: 'Walk-in Client',
      payerEmail: 'enter@payer.test',
    });
    expect(enter.statusCode, enter.body).toBe(201);
    // A payment page, paid by the public.
    const page = await call(t, firm.admin, 'POST', '/payment-pages', {
      name: 'Pay us',
      slug: 'smail-pay',
      account: 'operating',
      createPostingRecord: true,
    });
    expect(page.statusCode, page.body).toBe(201);
    const paid = await call(t, null, 'POST', '/pay/smail-pay/payments', {
      clientNumber: 'C1',
      invoiceNumber: 'INV-101',
      token: (await cardToken(t)).token,
      payerName: 'Page Payer',
      payerEmail: 'page@payer.test',
      allocations: [{ invoiceNumber: 'INV-101', amountCents: 3_000 }],
    });
    expect(paid.statusCode, paid.body).toBe(201);
    // A payment link, its payer's email given by the firm; a quick link, by the payer.
    const link = await call(t, accountant, 'POST', '/payment-links', {
      payerName: 'Link Payer',
      payerEmail: 'link@payer.test',
      allocations: [{ invoiceNumber: 'INV-100', amountCents: 4_000 }],
    });
    expect(link.statusCode, link.body).toBe(201);
    const linkPaid = await call(t, null, 'POST', `/pay/link/${link.json().token}`, {
      token: (await cardToken(t)).token,
      payerName: 'Link Payer',
    });
    expect(linkPaid.statusCode, linkPaid.body).toBe(201);
    const quick = await call(t, accountant, 'POST', '/quick-links', { amountCents: 5_000, description: 'Retainer' });
    const quickPaid = await call(t, null, 'POST', `/pay/quick/${quick.json().token}`, {
      token: (await cardToken(t)).token,
      payerName: 'Quick Payer',
      payerEmail: 'quick@payer.test',
    });
    expect(quickPaid.statusCode, quickPaid.body).toBe(201);
    // A scheduled charge, run by the scheduler's job.
    const schedule = await call(t, accountant, 'POST', '/payment-schedules', {
      token: (await cardToken(t)).token,
      amountCents: 6_000,
      account: 'operating',
      description: 'Monthly fee',
      payerName: 'Recurring Client',
      payerEmail: 'schedule@payer.test',
      interval: 'monthly',
      startOn: today,
    });
    expect(schedule.statusCode, schedule.body).toBe(201);
    const runs = await runDueSchedules(t.conn.db, processor(), new Date(`${today}T17:00:00Z`));
    expect(runs.find((r) => r.scheduleId === schedule.json().id)?.status).toBe('paid');
    // The processor's (or a script's) POST /payments; and one with no payer email.
    const api = await call(t, accountant, 'POST', '/payments', paymentBody({ payerEmail: 'api@payer.test' }));
    expect(api.statusCode, api.body).toBe(201);
    const silent = await call(t, accountant, 'POST', '/payments', paymentBody({ payerEmail: undefined }));
    expect(silent.statusCode, silent.body).toBe(201);

    // Nothing went out inside any payment: the receipts wait in the queue until the job runs.
    expect(peer.received).toHaveLength(0);
    expect(await deliver()).toMatchObject({ sent: 7, retried: 0, failed: 0 });
    expect(await deliver()).toMatchObject({ sent: 0 });

    const cases: [string, string, RegExp][] = [
      ['connect@payer.test', '$10.00', /Visa ending 4242/],
      ['enter@payer.test', '$20.00', /Amex ending 0005/],
      ['page@payer.test', '$30.00', /Visa ending 4242/],
      ['link@payer.test', '$40.00', /Visa ending 4242/],
      ['quick@payer.test', '$50.00', /Visa ending 4242/],
      ['schedule@payer.test', '$60.00', /Visa ending 4242/],
      ['api@payer.test', '$250.00', /Visa ending 4242/],
    ];
    for (const [address, amount, card] of cases) {
      const mail = only(address);
      expect(mail.subject).toBe(`Your payment to SMAIL LLP: ${amount}`);
      expect(mail.text).toMatch(card);
      expect(mail.html).toMatch(card);
      expect(mail.text).toContain(amount);
      expectClean(mail);
    }
    // The payer's name is escaped in the HTML part and plain in the text part.
    const escaped = only('connect@payer.test');
    expect(escaped.text).toContain('Dear Connect <Payer> & Co,');
    expect(escaped.html).toContain('Dear Connect &lt;Payer&gt; &amp; Co,');
    expect(escaped.html).not.toContain('<Payer>');
    // 7 receipts, one per payment with a payer email: the one without has none.
    expect(await t.conn.db.selectFrom('mail_queue').select('id').where('kind', '=', 'receipt').execute()).toHaveLength(
      7,
    );
  });

  it('keeps the payment when the SMTP server refuses, and sends the receipt on a later try', async () => {
    peer.refuse = true;
    try {
      const res = await call(t, firm.accountant, 'POST', '/payments', paymentBody({ payerEmail: 'retry@payer.test' }));
      expect(res.statusCode, res.body).toBe(201);
      const run = await deliver();
      expect(run).toMatchObject({ sent: 0, retried: 1, failed: 0 });
      expect(run.errors[0]!.error).toMatch(/550/);
      const [queued] = await queueOf('retry@payer.test');
      expect(queued).toMatchObject({ status: 'queued', attempts: 1 });
      expect(queued!.last_error).toMatch(/mailbox unavailable/);
      // The payment stands, whatever the mail did.
      const payment = await t.conn.db
        .selectFrom('payments')
        .select('status')
        .where('id', '=', res.json().payment.id)
        .executeTakeFirst();
      expect(payment).toEqual({ status: 'approved' });
      // Not due again before its pause ends.
      expect(await deliver()).toMatchObject({ sent: 0, retried: 0 });
    } finally {
      peer.refuse = false;
    }
    expect(await deliver(new Date(Date.now() + 2 * 60_000))).toMatchObject({ sent: 1 });
    expect(only('retry@payer.test').subject).toBe('Your payment to SMAIL LLP: $250.00');
    expect((await queueOf('retry@payer.test'))[0]).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
  });

  it('sends a payment link and a quick link by email with the payer URL, and refuses one that cannot be paid', async () => {
    const link = (
      await call(t, firm.accountant, 'POST', '/payment-links', {
        payerName: 'Emailed <Payer>',
        payerEmail: 'emailed@payer.test',
        allocations: [{ invoiceNumber: 'INV-102', amountCents: 7_000 }],
      })
    ).json<{ id: string; token: string }>();
    const sent = await call(t, firm.accountant, 'POST', `/payment-links/${link.id}/email`, { token: link.token });
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.json().to).toBe('emailed@payer.test');
    const quick = (
      await call(t, firm.accountant, 'POST', '/quick-links', { amountCents: 8_000, description: 'Fees <Q3> & costs' })
    ).json<{ id: string; token: string }>();
    const quickSent = await call(t, firm.accountant, 'POST', `/quick-links/${quick.id}/email`, {
      token: quick.token,
      to: 'quick-email@payer.test',
    });
    expect(quickSent.statusCode, quickSent.body).toBe(200);
    // A viewer may not send; a wrong token is refused; no address at all is refused.
    expect(
      (await call(t, firm.viewer, 'POST', `/quick-links/${quick.id}/email`, { token: quick.token })).statusCode,
    ).toBe(403);
    const wrong = await call(t, firm.accountant, 'POST', `/quick-links/${quick.id}/email`, { token: link.token });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.details).toEqual({ field: 'token' });
    const nowhere = await call(t, firm.accountant, 'POST', `/quick-links/${quick.id}/email`, { token: quick.token });
    expect(nowhere.json().error).toMatchObject({ code: 'bad_request', details: { field: 'to' } });

    expect(await deliver()).toMatchObject({ sent: 2 });
    const mail = only('emailed@payer.test');
    expect(mail.subject).toBe('SMAIL LLP: payment request for $70.00');
    expect(mail.text).toMatch(new RegExp(`Pay now: http://localhost(:\\d+)?/pay/link/${link.token}`));
    expect(mail.html).toContain(`/pay/link/${link.token}"`);
    expect(mail.html).toContain('Dear Emailed &lt;Payer&gt;,');
    expectClean(mail);
    const quickMail = only('quick-email@payer.test');
    expect(quickMail.text).toContain(`/pay/quick/${quick.token}`);
    expect(quickMail.text).toContain('For: Fees <Q3> & costs');
    expect(quickMail.html).toContain('Fees &lt;Q3&gt; &amp; costs');
    // Once sent, the token is kept nowhere in the database.
    const rows = await t.conn.db.selectFrom('mail_queue').select('message').where('kind', '=', 'link').execute();
    expect(rows.every((r) => r.message === null)).toBe(true);

    // Paid, cancelled and expired links answer with the codes paying them would.
    const paidLink = await call(t, null, 'POST', `/pay/link/${link.token}`, {
      token: (await cardToken(t)).token,
      payerName: 'Emailed Payer',
    });
    expect(paidLink.statusCode, paidLink.body).toBe(201);
    const again = await call(t, firm.accountant, 'POST', `/payment-links/${link.id}/email`, { token: link.token });
    expect(again.json().error.code).toBe('link_paid');
    expect((await call(t, firm.accountant, 'POST', `/quick-links/${quick.id}/cancel`, {})).statusCode).toBe(200);
    const cancelled = await call(t, firm.accountant, 'POST', `/quick-links/${quick.id}/email`, {
      token: quick.token,
      to: 'x@payer.test',
    });
    expect(cancelled.json().error.code).toBe('link_cancelled');
    const later = (
      await call(t, firm.accountant, 'POST', '/quick-links', { amountCents: 100, description: 'Old', expiresInDays: 1 })
    ).json<{ id: string; token: string }>();
    await expect(
      emailLink(
        t.conn.db,
        firm.id,
        SYSTEM_ACTOR,
        'quick',
        later.id,
        { token: later.token, to: 'late@payer.test' },
        'http://localhost',
        new Date(Date.now() + 2 * 86_400_000),
      ),
    ).rejects.toMatchObject({ code: 'link_expired' });
  });

  it('tells staff who opted in of each event, or once a day in a digest, and no one else', async () => {
    expect((await call(t, firm.viewer, 'GET', '/me/notifications')).json()).toEqual({ mode: 'none' });
    const set = async (token: string, mode: string) => {
      const res = await call(t, token, 'PATCH', '/me/notifications', { mode });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ mode });
    };
    await set(firm.accountant, 'each');
    await set(firm.admin, 'digest');
    expect((await call(t, firm.admin, 'GET', '/me/notifications')).json()).toEqual({ mode: 'digest' });
    expect((await call(t, firm.viewer, 'PATCH', '/me/notifications', { mode: 'weekly' })).statusCode).toBe(400);
    const before = peer.received.length;

    // A new incomplete record: a payment naming an invoice the MMS does not have.
    const incomplete = await call(t, firm.accountant, 'POST', '/payments', {
      ...paymentBody({ payerEmail: undefined, payerName: 'Nobody Known' }),
      invoiceNumbers: ['NO-SUCH'],
    });
    expect(incomplete.json().postingRecord.status).toBe('incomplete');
    // A posting failure: the MMS refuses a posted record.
    const pending = await call(t, firm.accountant, 'POST', '/payments', {
      ...paymentBody({ payerEmail: undefined, payerName: 'Refused Payer' }),
      invoiceNumbers: ['INV-103'],
      clientNumber: 'C2',
    });
    expect(pending.json().postingRecord.status, pending.body).toBe('pending');
    const recordId = pending.json().postingRecord.id as string;
    const post = await call(t, firm.accountant, 'POST', '/postings/post', { ids: [recordId] });
    const batchId = post.json().batch.id as string;
    await acknowledgeInOrder(t, firm, batchId, true);
    const answer = await call(t, firm.agent, 'POST', `/agent/batches/${batchId}/outcome`, {
      records: [{ recordId, outcome: 'rejected', message: 'Invoice <INV-103> is closed' }],
    });
    expect(answer.statusCode, answer.body).toBe(200);
    // A failed scheduled charge.
    const declining = await call(t, firm.accountant, 'POST', '/payment-schedules', {
      token: (await cardToken(t, CARDS.insufficientFunds)).token,
      amountCents: 9_000,
      account: 'operating',
      description: 'Monthly fee',
      payerName: 'Short Funds',
      interval: 'monthly',
      startOn: today,
    });
    const [declined] = (await runDueSchedules(t.conn.db, processor(), new Date(`${today}T17:00:00Z`))).filter(
      (r) => r.scheduleId === declining.json().id,
    );
    expect(declined!.status).toBe('declined');
    // An agent silent while a batch waits: noticed once however often it is looked at.
    const waiting = await call(t, firm.accountant, 'POST', '/payments', {
      ...paymentBody({ payerEmail: undefined, payerName: 'Waiting Payer' }),
      invoiceNumbers: ['INV-104'],
      clientNumber: 'C2',
    });
    expect(
      (await call(t, firm.accountant, 'POST', '/postings/post', { ids: [waiting.json().postingRecord.id] })).statusCode,
    ).toBe(200);
    const hourLater = new Date(Date.now() + 3_600_000);
    expect(await noticeSilentAgents(t.conn.db, hourLater)).toContain(firm.id);
    expect(await noticeSilentAgents(t.conn.db, new Date(hourLater.getTime() + 60_000))).toContain(firm.id);

    await deliver();
    const fresh = peer.received.slice(before);
    expect(fresh.filter((m) => m.to.includes(firm.emails.viewer))).toEqual([]);
    expect(fresh.filter((m) => m.to.includes(firm.emails.admin))).toEqual([]);
    const staff = fresh.filter((m) => m.to.includes(firm.emails.accountant));
    const subjects = staff.map((m) => m.subject).sort();
    expect(subjects).toEqual([
      'Error-Connect Agent Silent — SMAIL LLP',
      'Error-Failed Auto-Pay — SMAIL LLP',
      'Error-Incomplete Posting Record — SMAIL LLP',
      'Error-Posting Failure — SMAIL LLP',
    ]);
    const failure = staff.find((m) => m.subject.startsWith('Error-Posting Failure'))!;
    expect(failure.text).toContain('Invoice <INV-103> is closed');
    expect(failure.html).toContain('Invoice &lt;INV-103&gt; is closed');
    expect(staff.find((m) => m.subject.startsWith('Error-Failed Auto-Pay'))!.text).toContain('Short Funds ($90.00)');
    for (const mail of staff) expectClean(mail);

    // The digest of the day, for the admin: queued and sent once, with two instances racing.
    const tomorrow = new Date(`${addDays(today, 1)}T17:00:00Z`);
    const queued = await Promise.all([queueDigests(t.conn.db, tomorrow), queueDigests(t.conn.db, tomorrow)]);
    expect(queued.reduce((a, b) => a + b, 0)).toBe(1);
    const runs = await Promise.all([deliver(tomorrow), deliver(tomorrow)]);
    expect(runs.reduce((n, r) => n + r.sent, 0)).toBe(1);
    expect(await queueDigests(t.conn.db, tomorrow)).toBe(0);
    await deliver(tomorrow);
    const digest = only(firm.emails.admin);
    expect(digest.subject).toMatch(new RegExp(`^SMAIL LLP: daily digest for ${today}, \\d+ events$`));
    for (const title of [
      'Error-Posting Failure',
      'Error-Incomplete Posting Record',
      'Error-Failed Auto-Pay',
      'Error-Connect Agent Silent',
    ]) {
      expect(digest.text).toContain(title);
      expect(digest.html).toContain(title);
    }
    expect(digest.html).toContain('Invoice &lt;INV-103&gt; is closed');
    expectClean(digest);

    // Back to none: no more mail for that user.
    await set(firm.accountant, 'none');
    const after = peer.received.length;
    await call(t, firm.accountant, 'POST', '/payments', {
      ...paymentBody({ payerEmail: undefined }),
      invoiceNumbers: ['NO-SUCH-2'],
    });
    await deliver();
    expect(peer.received.length).toBe(after);
  });

  it('tells staff once of a batch the agent quarantined, and shows it on the batch until and after delivery', async () => {
    expect((await call(t, firm.accountant, 'PATCH', '/me/notifications', { mode: 'each' })).statusCode).toBe(200);
    const held = await call(t, firm.accountant, 'POST', '/payments', {
      ...paymentBody({ payerEmail: undefined, payerName: 'Held Payer' }),
      invoiceNumbers: ['INV-101'],
    });
    expect(held.json().postingRecord.status, held.body).toBe('pending');
    const post = await call(t, firm.accountant, 'POST', '/postings/post', { ids: [held.json().postingRecord.id] });
    const batch = post.json().batch as { id: string; seq: number };
    const reason = `/mms/inbox/PB_SMAIL_${String(batch.seq).padStart(6, '0')}.csv already exists with other bytes`;
    const before = peer.received.length;

    const report = (body: unknown, token = firm.agent) =>
      call(t, token, 'POST', `/agent/batches/${batch.id}/quarantine`, body);
    const first = await report({ reason });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ id: batch.id, seq: batch.seq, alreadyReported: false });
    // The agent tells again on every halted round (after its own restart, say): nothing new.
    const again = await report({ reason: 'another wording' });
    expect(again.json()).toEqual({ ...first.json(), alreadyReported: true });
    // Only an agent reports it, only of its own firm's batch, and only with a reason.
    expect((await report({ reason }, firm.accountant)).statusCode).toBe(403);
    const other = await createTestFirm(t, 'SMAILQ');
    expect((await report({ reason }, other.agent)).statusCode).toBe(404);
    expect((await report({ reason: '  ' })).json().error.code).toBe('invalid_request');

    const shown = (await call(t, firm.viewer, 'GET', `/batches/${batch.id}`)).json();
    expect(shown).toMatchObject({
      status: 'queued',
      quarantinedAt: first.json().quarantinedAt,
      quarantineReason: reason,
    });

    await deliver();
    const told = peer.received.slice(before).filter((m) => m.to.includes(firm.emails.accountant));
    expect(told.map((m) => m.subject)).toEqual(['Error-Posting Failure — SMAIL LLP']);
    expect(told[0]!.text).toContain(`quarantined batch ${batch.seq}`);
    expect(told[0]!.text).toContain(reason);
    expectClean(told[0]!);
    const audit = (await call(t, firm.admin, 'GET', '/audit-events?action=batch_quarantined')).json();
    expect(audit.items.map((e: { batchId: string }) => e.batchId)).toContain(batch.id);

    // The operator resolved it and the agent delivered the batch: the quarantine stays in its
    // history, and a late report of it is refused rather than taken.
    await acknowledgeInOrder(t, firm, batch.id);
    const delivered = (await call(t, firm.viewer, 'GET', `/batches/${batch.id}`)).json();
    expect(delivered).toMatchObject({ status: 'delivered', quarantineReason: reason });
    const late = await report({ reason });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('batch_delivered');
    await call(t, firm.accountant, 'PATCH', '/me/notifications', { mode: 'none' });
  });

  it("lists the firm's mail for admins only, and never another firm's", async () => {
    const res = await call(t, firm.admin, 'GET', '/settings/outbox?limit=200');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{
      delivery: string;
      files: unknown[];
      queue: { recipient: string; status: string; subject: string | null }[];
    }>();
    expect(body.delivery).toBe('smtp');
    expect(body.files).toEqual([]);
    expect(body.queue.find((m) => m.recipient === 'page@payer.test')).toMatchObject({
      status: 'sent',
      subject: 'Your payment to SMAIL LLP: $30.00',
    });
    expect((await call(t, firm.accountant, 'GET', '/settings/outbox')).statusCode).toBe(403);
    const other = await createTestFirm(t, 'SMAIL2');
    expect((await call(t, other.admin, 'GET', '/settings/outbox')).json().queue).toEqual([]);
  });
});
