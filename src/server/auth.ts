import type { FastifyContextConfig, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/connect.ts';
import { DomainError } from '../domain/errors.ts';
import type { Access } from '../contract/endpoint.ts';
import { roleAtLeast, type Principal } from '../domain/actor.ts';
import { principalFromSession, principalFromToken } from '../usecases/auth/sessions.ts';

/** Who may call a route (contract/endpoint.ts). Every route declares one; a route without it is refused. */
export type { Access };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /**
     * A public route that answers everyone alike and never asks who calls (the payer's
     * pages, the sandbox tokenizer): a session cookie the browser happens to carry is not
     * read, so a signed-in staff member can pay there without a CSRF token, and the
     * cookie grants nothing there for a forged request to borrow.
     */
    anonymous?: boolean;
    /** Open to an admin's session that must still enrol in two-factor (the enrolment routes, /me, sign-out). */
    openBeforeTwoFactor?: boolean;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export const SESSION_COOKIE = 'pb_session';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) throw new DomainError('unauthenticated', 'the Authorization header must be "Bearer <token>"');
  return match[1];
}

/** Resolves the caller and enforces the route's access, CSRF included, before the body is read. */
/**
 * The config of the route that took the request. Fastify's types say it is always there,
 * but a request no route took may run the hooks without one (Fastify guards it itself).
 */
export const routeConfig = (request: FastifyRequest): FastifyContextConfig | undefined => request.routeOptions.config;

export function authenticate(db: Db) {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    request.principal = null;
    const access = routeConfig(request)?.access;
    if (!request.routeOptions.url) return; // 404s go to the not-found handler
    if (!access) throw new DomainError('forbidden', 'this route declares no access');
    if (access === 'public' && request.routeOptions.config.anonymous) return;
    const token = bearerToken(request);
    if (token) {
      request.principal = await principalFromToken(db, token);
      if (!request.principal) throw new DomainError('unauthenticated', 'the token is unknown or revoked');
    } else {
      const session = request.cookies[SESSION_COOKIE];
      if (session) {
        request.principal = await principalFromSession(db, session);
        // Bearer requests carry no cookie and need no CSRF token; cookie ones must send it.
        const principal = request.principal;
        if (
          principal?.kind === 'user' &&
          !SAFE_METHODS.has(request.method) &&
          request.headers[CSRF_HEADER] !== principal.csrfToken
        ) {
          throw new DomainError('csrf', `a signed-in change needs the ${CSRF_HEADER} header from sign-in`);
        }
      }
    }
    if (access === 'public') return;
    const principal = request.principal;
    if (!principal) throw new DomainError('unauthenticated', 'sign in or send a bearer token');
    if (access === 'agent') {
      if (principal.kind !== 'agent') throw new DomainError('forbidden', 'this route is for the agent token only');
      return;
    }
    if (principal.kind !== 'user') throw new DomainError('forbidden', 'an agent token cannot use this route');
    if (principal.mustEnrolTwoFactor && !routeConfig(request)?.openBeforeTwoFactor)
      throw new DomainError(
        'two_factor_enrolment_required',
        'the firm requires two-factor sign-in for admins: turn it on before anything else',
      );
    if (access !== 'user' && !roleAtLeast(principal.role, access)) {
      throw new DomainError('forbidden', `this needs the ${access} role; you are ${principal.role}`);
    }
  };
}

export function requireUser(request: FastifyRequest): Extract<Principal, { kind: 'user' }> {
  const principal = request.principal;
  if (principal?.kind !== 'user') throw new DomainError('unauthenticated', 'sign in or send a bearer token');
  return principal;
}

export function requirePrincipal(request: FastifyRequest): Principal {
  if (!request.principal) throw new DomainError('unauthenticated', 'sign in or send a bearer token');
  return request.principal;
}
