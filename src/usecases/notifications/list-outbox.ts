import type { Db } from '../../db/connect.ts';
import { listQueuedMail } from '../../db/mail-queue.ts';
import type { Mailer } from '../../mail/mailer.ts';

/** How many of the outbox folder's newest files are looked through for the firm's own. */
const OUTBOX_SCAN = 1000;

/**
 * The firm's mail for Settings: its queue (what is waiting, sent or given up), and, when
 * no SMTP_URL is set, the outbox folder's files of its own mail, which are what would
 * have been sent. The folder is shared by every firm on the server, so a file is shown
 * only where the firm's queue says it wrote it.
 */
export async function listOutbox(db: Db, firmId: string, mailer: Mailer, smtp: boolean, limit: number) {
  const queue = await listQueuedMail(db, firmId, limit);
  let files: Awaited<ReturnType<Mailer['outbox']>> = [];
  if (!smtp) {
    const own = new Set(queue.flatMap((m) => (m.via && m.via !== 'smtp' ? [m.via] : [])));
    files = own.size === 0 ? [] : (await mailer.outbox(OUTBOX_SCAN)).filter((f) => own.has(f.file)).slice(0, limit);
  }
  return {
    delivery: smtp ? ('smtp' as const) : ('outbox' as const),
    files,
    queue: queue.map((m) => ({
      id: m.id,
      kind: m.kind,
      recipient: m.recipient,
      subject: m.subject,
      status: m.status,
      attempts: m.attempts,
      lastError: m.last_error,
      createdAt: m.created_at.toISOString(),
      sentAt: m.sent_at?.toISOString() ?? null,
    })),
  };
}
