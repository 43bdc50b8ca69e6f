import { readContacts } from '../../db/agent-contacts.ts';
import { readWaiting } from '../../db/batches.ts';
import type { Db } from '../../db/connect.ts';
import { listFirms } from '../../db/firms.ts';
import { recordStaffEvent } from '../../db/mail-queue.ts';
import { connectWarning } from '../../domain/connect-status.ts';

/**
 * "Agent silent" for staff who opted in: judged exactly as Connect status warns (batches
 * waiting and no agent within its silence limit, domain connectWarning). One event per
 * silence: its key is the last contact it follows, so later runs (on any instance) of the
 * same silence change nothing, and the next silence after a contact is a new event.
 * Which firms it noticed.
 */
export async function noticeSilentAgents(db: Db, now = new Date()): Promise<string[]> {
  const noticed: string[] = [];
  for (const firm of await listFirms(db)) {
    const waiting = await readWaiting(db, firm.id);
    if (waiting.batches === 0) continue;
    const contacts = await readContacts(db, firm.id);
    const warning = connectWarning(
      { batches: waiting.batches, oldestSince: waiting.oldest },
      contacts.map((c) => ({ lastSeenAt: c.last_seen_at, pollSeconds: c.poll_seconds })),
      now,
    );
    if (warning === null) continue;
    const seen = contacts.flatMap((c) => (c.last_seen_at ? [c.last_seen_at.getTime()] : []));
    const lastSeen = seen.length > 0 ? new Date(Math.max(...seen)).toISOString() : null;
    await recordStaffEvent(db, firm.id, {
      kind: 'agent_silent',
      key: `after ${lastSeen ?? 'no contact'}`,
      detail: { lastSeen, waitingBatches: waiting.batches, warning },
      at: now,
    });
    noticed.push(firm.id);
  }
  return noticed;
}
