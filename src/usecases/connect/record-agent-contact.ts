import { writeContact, type AgentSelfReport } from '../../db/agent-contacts.ts';
import type { Db } from '../../db/connect.ts';
import { publish } from '../../db/notify.ts';
import { inTransaction } from '../../db/transaction.ts';

/**
 * An agent token was used (SPEC §5.2): its last contact and what the agent says of itself,
 * written at most once every 5 s per token (see writeContact), and Connect status told.
 * Whether it wrote.
 */
export async function recordAgentContact(
  db: Db,
  firmId: string,
  tokenId: string,
  report: AgentSelfReport,
  now = new Date(),
): Promise<boolean> {
  return inTransaction(db, async (tx) => {
    const written = await writeContact(tx, firmId, tokenId, report, now);
    if (written) await publish(tx, firmId, ['connect.changed']);
    return written;
  });
}
