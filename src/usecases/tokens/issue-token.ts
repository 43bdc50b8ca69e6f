import type { z } from 'zod';
import type { issuedTokenOut, issueTokenBody } from '../../contract/tokens.ts';
import type { Db } from '../../db/connect.ts';
import { readFirmCode } from '../../db/firms.ts';
import { inTransaction } from '../../db/transaction.ts';
import { writeAudit } from '../../db/audit.ts';
import { publish } from '../../db/notify.ts';
import { createToken } from '../auth/firms-and-users.ts';
import type { Actor } from '../../domain/actor.ts';
import { normalEmail } from '../../domain/sign-up.ts';

/**
 * An admin's new bearer token for their own firm. The secret is in the answer once and
 * nowhere else: the audit event names the token by id, never by its secret.
 */
export async function issueToken(
  db: Db,
  firmId: string,
  actor: Actor,
  input: z.output<typeof issueTokenBody>,
): Promise<z.output<typeof issuedTokenOut>> {
  return inTransaction(db, async (tx) => {
    // createToken is keyed by firm code for the admin CLI; the code is looked up by id so
    // the token can only ever be made in the caller's own firm.
    const made = await createToken(tx, {
      firmCode: await readFirmCode(tx, firmId),
      kind: input.kind,
      email: input.email,
      label: input.label?.trim() ?? '',
    });
    await writeAudit(tx, firmId, actor, [
      {
        action: 'token_created',
        detail: {
          tokenId: made.id,
          kind: made.kind,
          label: input.label?.trim() ?? '',
          userEmail: input.email === undefined ? null : normalEmail(input.email),
        },
      },
    ]);
    // Connect status lists the firm's agent tokens.
    if (made.kind === 'agent') await publish(tx, firmId, ['connect.changed']);
    return { id: made.id, kind: made.kind, token: made.token };
  });
}
