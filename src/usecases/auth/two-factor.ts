import type { z } from 'zod';
import type { twoFactorOut } from '../../contract/two-factor.ts';
import { writeAudit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import { inTransaction } from '../../db/transaction.ts';
import { countRecoveryCodesLeft, readTwoFactor, replaceRecoveryCodes, setTwoFactor } from '../../db/two-factor.ts';
import type { Actor } from '../../domain/actor.ts';
import { DomainError, invalidState } from '../../domain/errors.ts';
import { checkSecondFactor } from './second-factor.ts';
import { hashRecoveryCode, newRecoveryCodes, newTotpSecret, totpOf, totpStep } from './totp.ts';

type Me = { firmId: string; userId: string };

const wrongCode = () => new DomainError('invalid_two_factor_code', 'the code is wrong, expired or already used');

export async function getTwoFactor(db: Db, me: Me): Promise<z.output<typeof twoFactorOut>> {
  const row = await readTwoFactor(db, me.firmId, me.userId);
  return {
    enabled: row.totp_enabled_at !== null,
    pending: row.totp_enabled_at === null && row.totp_secret !== null,
    recoveryCodesLeft: row.totp_enabled_at === null ? 0 : await countRecoveryCodesLeft(db, me.firmId, me.userId),
    required: row.role === 'admin' && row.require_admin_two_factor,
  };
}

/**
 * Starts enrolment: a new secret, shown this once as text and as an otpauth:// URI for an
 * app. Starting again replaces a secret not yet confirmed; one already on stays until it
 * is turned off.
 */
export async function startTwoFactor(db: Db, me: Me): Promise<{ secret: string; uri: string }> {
  return inTransaction(db, async (tx) => {
    const row = await readTwoFactor(tx, me.firmId, me.userId, true);
    if (row.totp_enabled_at) throw invalidState('two-factor sign-in is already on; turn it off first');
    const secret = newTotpSecret();
    await setTwoFactor(tx, me.firmId, me.userId, { totp_secret: secret, totp_last_step: null });
    return { secret, uri: totpOf(secret, row.email).toString() };
  });
}

/** Turns two-factor on with a code from the app, and answers ten recovery codes, shown this once. */
export async function confirmTwoFactor(
  db: Db,
  me: Me,
  actor: Actor,
  code: string,
  now = new Date(),
): Promise<{ recoveryCodes: string[] }> {
  return inTransaction(db, async (tx) => {
    const row = await readTwoFactor(tx, me.firmId, me.userId, true);
    if (row.totp_enabled_at) throw invalidState('two-factor sign-in is already on');
    if (!row.totp_secret) throw invalidState('start enrolment first: it gives the secret to put in the app');
    const step = totpStep(row.totp_secret, code.replace(/\s/g, ''), now);
    if (step === null) throw wrongCode();
    const recoveryCodes = newRecoveryCodes();
    await setTwoFactor(tx, me.firmId, me.userId, { totp_enabled_at: now, totp_last_step: step });
    await replaceRecoveryCodes(tx, me.firmId, me.userId, recoveryCodes.map(hashRecoveryCode));
    await writeAudit(tx, me.firmId, actor, [{ action: 'two_factor_enabled', detail: { userId: me.userId } }]);
    return { recoveryCodes };
  });
}

/** Turns two-factor off with a code from the app or a recovery code; not for an admin the firm requires it of. */
export async function disableTwoFactor(db: Db, me: Me, actor: Actor, code: string, now = new Date()): Promise<void> {
  await inTransaction(db, async (tx) => {
    const row = await readTwoFactor(tx, me.firmId, me.userId, true);
    if (!row.totp_enabled_at || !row.totp_secret) throw invalidState('two-factor sign-in is not on');
    if (row.role === 'admin' && row.require_admin_two_factor)
      throw invalidState('the firm requires two-factor sign-in for admins');
    const proved = await checkSecondFactor(
      tx,
      { firmId: me.firmId, userId: me.userId, secret: row.totp_secret, lastStep: row.totp_last_step },
      code,
      now,
    );
    if (!proved) throw wrongCode();
    await setTwoFactor(tx, me.firmId, me.userId, { totp_secret: null, totp_enabled_at: null, totp_last_step: null });
    await replaceRecoveryCodes(tx, me.firmId, me.userId, []);
    await writeAudit(tx, me.firmId, actor, [{ action: 'two_factor_disabled', detail: { userId: me.userId } }]);
  });
}
