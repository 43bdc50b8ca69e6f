import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/connect.ts';
import { claimKey, IN_FLIGHT, readKey, recordAnswer, releaseKey } from '../db/idempotency-keys.ts';
import { DomainError } from '../domain/errors.ts';
import { routeConfig } from './auth.ts';

const MUTATIONS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);
const KEY = /^[\x21-\x7e]{1,200}$/;

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The answer holds a secret shown once (a new token). Keeping it to replay would store
     * the secret (SPEC §7), so such a route refuses Idempotency-Key rather than ignore it.
     */
    answerHoldsSecret?: boolean;
  }
  interface FastifyRequest {
    idempotency: { principal: string; key: string; firmId: string } | null;
  }
}

function principalKey(request: FastifyRequest): { firmId: string; principal: string } | null {
  const p = request.principal;
  if (!p) return null;
  return { firmId: p.firmId, principal: p.kind === 'user' ? `user:${p.userId}` : `agent:${p.tokenId}` };
}

/**
 * `Idempotency-Key` on any mutation: the same key and body answer with the first
 * response; the same key with another body is 422. The key is claimed before the
 * handler runs, so two concurrent requests with one key cannot both act.
 */
export function registerIdempotency(app: FastifyInstance, db: Db) {
  app.decorateRequest('idempotency', null);

  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string' || !MUTATIONS.has(request.method)) return;
    if (routeConfig(request)?.answerHoldsSecret) {
      throw new DomainError(
        'idempotency_key_not_accepted',
        'Idempotency-Key is not accepted here: the answer holds a secret that is never stored',
      );
    }
    if (!KEY.test(key))
      throw new DomainError('invalid_idempotency_key', 'Idempotency-Key must be 1–200 visible ASCII characters');
    const who = principalKey(request);
    if (!who) return;
    const requestHash = createHash('sha256')
      .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
      .digest('hex');
    if (await claimKey(db, who, key, requestHash)) {
      request.idempotency = { ...who, key };
      return;
    }
    const first = await readKey(db, who, key);
    if (first.request_hash !== requestHash) {
      throw new DomainError('idempotency_key_reused', 'this Idempotency-Key was used with another request body');
    }
    if (first.status_code === IN_FLIGHT) {
      throw new DomainError('idempotency_in_progress', 'a request with this Idempotency-Key is still in progress');
    }
    reply.header('idempotent-replay', 'true');
    return reply.code(first.status_code).send(first.response_body);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const claim = request.idempotency;
    if (!claim) return payload;
    // A server error is not an answer to remember: release the key so a retry runs again.
    if (reply.statusCode >= 500 || typeof payload !== 'string') {
      await releaseKey(db, claim, claim.key);
      return payload;
    }
    await recordAnswer(db, claim, claim.key, reply.statusCode, payload === '' ? null : payload);
    return payload;
  });
}
