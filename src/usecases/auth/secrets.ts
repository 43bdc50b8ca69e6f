import { createHash, randomBytes } from 'node:crypto';
import { hash, verify, type Algorithm } from '@node-rs/argon2';

// Algorithm.Argon2id; the enum is a const enum that isolated modules cannot read, so its
// value is written here and only its type is taken (hence the one disable).
// eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment
const ARGON2ID = 2 as Algorithm.Argon2id;

/** A random 256-bit bearer secret with a prefix that says what it is (`pb_user_…`, `pb_agent_…`). */
export function newSecret(kind: 'user' | 'agent' | 'session' | 'csrf' | 'password'): string {
  return `pb_${kind}_${randomBytes(32).toString('base64url')}`;
}

/** Tokens and session ids are stored only as this hash. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export async function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: ARGON2ID });
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// Verifying against this keeps a sign-in for an unknown email as slow as a real one.
let dummyHash: Promise<string> | null = null;
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword('paybridge-dummy-password');
  await verifyPassword(await dummyHash, password);
}
