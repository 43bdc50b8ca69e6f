import type { Db } from '../../db/connect.ts';
import { setTwoFactor, useRecoveryCode } from '../../db/two-factor.ts';
import { hashRecoveryCode, totpStep } from './totp.ts';

/**
 * Checks a second factor of a user with two-factor on: a six-digit code from their app,
 * accepted once (a code already used, or one from an earlier step, is refused), or one of
 * their unused recovery codes, which is then used up. Answers how it was proved, or null.
 */
export async function checkSecondFactor(
  db: Db,
  user: { firmId: string; userId: string; secret: string; lastStep: number | null },
  code: string,
  now: Date,
): Promise<'totp' | 'recovery_code' | null> {
  const typed = code.trim();
  const step = totpStep(user.secret, typed.replace(/\s/g, ''), now);
  if (step !== null) {
    if (user.lastStep !== null && step <= user.lastStep) return null;
    await setTwoFactor(db, user.firmId, user.userId, { totp_last_step: step });
    return 'totp';
  }
  if (/^\d+$/.test(typed)) return null;
  return (await useRecoveryCode(db, user.firmId, user.userId, hashRecoveryCode(typed), now)) ? 'recovery_code' : null;
}
