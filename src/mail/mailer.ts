import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';

/**
 * Email (issue 15). With SMTP_URL set, mail goes out over SMTP through nodemailer; without
 * it, each message is written as an `.eml` file under DATA_DIR/outbox/, readable by its
 * owner only, so the demo shows what would have been sent. Both build the message with
 * nodemailer (plain-text and HTML parts), so an outbox file is exactly what SMTP would carry.
 */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface SentMail {
  messageId: string;
  /** Where it went: `smtp`, or the outbox file's name. */
  via: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<SentMail>;
  /** The outbox's messages, newest first (none when mail goes over SMTP). */
  outbox(limit?: number): Promise<OutboxEntry[]>;
}

export interface OutboxEntry {
  file: string;
  writtenAt: string;
  to: string;
  subject: string;
}

export interface MailConfig {
  smtpUrl: string | undefined;
  mailFrom: string;
  dataDir: string;
}

export function createMailer(config: MailConfig): Mailer {
  return config.smtpUrl
    ? smtpMailer(config.smtpUrl, config.mailFrom)
    : outboxMailer(join(config.dataDir, 'outbox'), config.mailFrom);
}

function smtpMailer(url: string, from: string): Mailer {
  const transport = nodemailer.createTransport(url);
  return {
    async send(message) {
      const info = await transport.sendMail({ from, ...message });
      return { messageId: info.messageId, via: 'smtp' };
    },
    async outbox() {
      return [];
    },
  };
}

const HEADER = (raw: string, name: string) =>
  new RegExp(`^${name}: (.*)$`, 'mi').exec(raw.slice(0, raw.indexOf('\n\n') >>> 0))?.[1]?.trim() ?? '';

function outboxMailer(dir: string, from: string): Mailer {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(message) {
      const info = await transport.sendMail({ from, ...message });
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const file = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}.eml`;
      await writeFile(join(dir, file), info.message, { mode: 0o600, flag: 'wx' });
      return { messageId: info.messageId, via: file };
    },
    async outbox(limit = 50) {
      let names: string[];
      try {
        names = (await readdir(dir)).filter((n) => n.endsWith('.eml'));
      } catch {
        return [];
      }
      const newest = names.sort().reverse().slice(0, limit);
      return Promise.all(
        newest.map(async (file) => {
          const path = join(dir, file);
          const raw = (await readFile(path, 'utf8')).slice(0, 8192);
          return {
            file,
            writtenAt: (await stat(path)).mtime.toISOString(),
            to: HEADER(raw, 'To'),
            subject: HEADER(raw, 'Subject'),
          };
        }),
      );
    },
  };
}
