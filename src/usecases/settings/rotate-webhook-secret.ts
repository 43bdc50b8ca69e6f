import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type { webhookSecretOut } from '../../contract/settings.ts';
import type { Db } from '../../db/connect.ts';
import { setWebhookSecret } from '../../db/firms.ts';
import { inTransaction } from '../../db/transaction.ts';
import { writeAudit } from '../../db/audit.ts';
import type { Actor } from '../../domain/actor.ts';

/**
 * A new signing secret for the firm's processor webhook, shown in this answer only (no
 * GET shows it). The old one stops verifying at once, so set the new one at the
 * processor straight away. The audit event records that it changed, not the secret.
 */
export async function rotateWebhookSecret(
  db: Db,
  firmId: string,
  actor: Actor,
): Promise<z.output<typeof webhookSecretOut>> {
  const secret = `whsec_${randomBytes(32).toString('base64url')}`;
  return inTransaction(db, async (tx) => {
    const code = await setWebhookSecret(tx, firmId, secret);
    await writeAudit(tx, firmId, actor, [{ action: 'webhook_secret_rotated' }]);
    return { webhookSecret: secret, endpoint: `/api/v1/webhooks/processor/${code}` };
  });
}
