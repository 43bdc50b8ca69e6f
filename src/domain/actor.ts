/** Who acts: the principal a request authenticates as, and the actor an audit event names. Pure types and helpers; reading them from the db stays in usecases/auth. */
import { ROLES, type Role } from './types.ts';

export { ROLES, type Role };

/** Who is calling: a signed-in user, a script with a user token, or a firm's agent. */
export type Principal =
  | {
      kind: 'user';
      firmId: string;
      userId: string;
      email: string;
      role: Role;
      via: 'session' | 'token';
      csrfToken: string | null;
      /**
       * A session of an admin whose firm requires two-factor and who has not turned it on:
       * until they do, only enrolling (and /me, signing out) is open to them. Never set for
       * a bearer token.
       */
      mustEnrolTwoFactor: boolean;
    }
  | { kind: 'agent'; firmId: string; tokenId: string };

/** Who an audit event names. */
export interface Actor {
  kind: 'user' | 'agent' | 'system';
  id: string | null;
  label: string;
}

export const SYSTEM_ACTOR: Actor = { kind: 'system', id: null, label: 'system' };

export function actorOf(principal: Principal): Actor {
  return principal.kind === 'user'
    ? { kind: 'user', id: principal.userId, label: principal.email }
    : { kind: 'agent', id: principal.tokenId, label: 'agent' };
}

export function roleAtLeast(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}
