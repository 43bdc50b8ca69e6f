import type { Db } from './connect.ts';

/** Who holds an Idempotency-Key: keys are per firm and per caller (a user or an agent token). */
export interface KeyHolder {
  firmId: string;
  principal: string;
}

/** The status_code of a key whose request has not been answered yet. */
export const IN_FLIGHT = 0;

/** Claims the key for a request; false when the holder already has it. */
export async function claimKey(db: Db, who: KeyHolder, key: string, requestHash: string): Promise<boolean> {
  const claimed = await db
    .insertInto('idempotency_keys')
    .values({
      firm_id: who.firmId,
      principal: who.principal,
      key,
      request_hash: requestHash,
      status_code: IN_FLIGHT,
      response_body: null,
    })
    .onConflict((oc) => oc.columns(['firm_id', 'principal', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  return claimed !== undefined;
}

/** The request a key was first used for and its answer (IN_FLIGHT until there is one). */
export async function readKey(db: Db, who: KeyHolder, key: string) {
  return db
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('firm_id', '=', who.firmId)
    .where('principal', '=', who.principal)
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
}

/** Keeps the answer to replay. */
export async function recordAnswer(
  db: Db,
  who: KeyHolder,
  key: string,
  statusCode: number,
  body: string | null,
): Promise<void> {
  await db
    .updateTable('idempotency_keys')
    .set({ status_code: statusCode, response_body: body })
    .where('firm_id', '=', who.firmId)
    .where('principal', '=', who.principal)
    .where('key', '=', key)
    .execute();
}

/** Releases the key, so the request can be sent again. */
export async function releaseKey(db: Db, who: KeyHolder, key: string): Promise<void> {
  await db
    .deleteFrom('idempotency_keys')
    .where('firm_id', '=', who.firmId)
    .where('principal', '=', who.principal)
    .where('key', '=', key)
    .execute();
}
