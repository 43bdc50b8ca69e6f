import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailer } from './mailer.ts';

const message = {
  to: 'pat@client.example',
  subject: 'Your payment to Hartwell & Finch LLP',
  text: 'Thank you: $1,250.00 by visa ending 4242.',
  html: '<p>Thank you: <b>$1,250.00</b> by visa ending 4242.</p>',
};

describe('mail', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pb-mail-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('without SMTP_URL writes each message as an .eml file, owner-only, with text and HTML parts, and lists it', async () => {
    const mailer = createMailer({ smtpUrl: undefined, mailFrom: 'paybridge <no-reply@pb.test>', dataDir: dir });
    const sent = await mailer.send(message);
    expect(sent.via).toMatch(/\.eml$/);
    const path = join(dir, 'outbox', sent.via);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'outbox'))).mode & 0o777).toBe(0o700);
    const raw = await readFile(path, 'utf8');
    expect(raw).toMatch(/^To: pat@client\.example$/m);
    expect(raw).toMatch(/^From: paybridge <no-reply@pb\.test>$/m);
    expect(raw).toContain('Content-Type: text/plain');
    expect(raw).toContain('Content-Type: text/html');
    expect(await mailer.outbox()).toEqual([
      { file: sent.via, writtenAt: expect.any(String), to: 'pat@client.example', subject: message.subject },
    ]);
  });

  it('with SMTP_URL sends over SMTP to a real peer, which receives the whole message', async () => {
    const received: string[] = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, _session, done) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          received.push(Buffer.concat(chunks).toString('utf8'));
          done();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.server.address() as AddressInfo;
      const mailer = createMailer({
        smtpUrl: `smtp://127.0.0.1:${port}?ignoreTLS=true`,
        mailFrom: 'paybridge <no-reply@pb.test>',
        dataDir: dir,
      });
      expect((await mailer.send(message)).via).toBe('smtp');
      expect(received).toHaveLength(1);
      expect(received[0]).toMatch(/^Subject: Your payment to Hartwell & Finch LLP$/m);
      expect(received[0]).toContain('by visa ending 4242');
      expect(await mailer.outbox()).toEqual([]);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
