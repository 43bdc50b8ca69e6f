import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CONTACT_EVERY_MS, type AgentSelfReport } from '../db/agent-contacts.ts';
import type { Db } from '../db/connect.ts';
import { recordAgentContact } from '../usecases/connect/record-agent-contact.ts';
import { agentHeaders } from '../contract/fields.ts';
import { routeConfig } from './auth.ts';

/** What the agent's X-Paybridge-Agent-* headers say; null for each one absent or not as described. */
export function readAgentHeaders(headers: FastifyRequest['headers']): AgentSelfReport {
  const h = agentHeaders.parse(headers);
  return {
    version: h['x-paybridge-agent-version'] ?? null,
    host: h['x-paybridge-agent-host'] ?? null,
    source: h['x-paybridge-agent-source'] ?? null,
    sink: h['x-paybridge-agent-sink'] ?? null,
    pollSeconds: h['x-paybridge-agent-poll-seconds'] ?? null,
  };
}

/**
 * Each agent request is a contact (SPEC §5.2). This instance tries to write one at most
 * once every 5 s per token, so an agent's loop of long-polls costs no write per request;
 * the database refuses a write within 5 s of another instance's, so together they write
 * no more. A contact that cannot be written is logged; the agent's request goes on.
 */
export function registerAgentContact(app: FastifyInstance, db: Db): void {
  const tried = new Map<string, number>();
  app.addHook('onRequest', async (request) => {
    const principal = request.principal;
    if (principal?.kind !== 'agent' || routeConfig(request)?.access !== 'agent') return;
    const now = Date.now();
    const last = tried.get(principal.tokenId);
    if (last !== undefined && now - last < CONTACT_EVERY_MS && now >= last) return;
    if (tried.size > 10_000) for (const [token, at] of tried) if (now - at >= CONTACT_EVERY_MS) tried.delete(token);
    tried.set(principal.tokenId, now);
    try {
      await recordAgentContact(
        db,
        principal.firmId,
        principal.tokenId,
        readAgentHeaders(request.headers),
        new Date(now),
      );
    } catch (error) {
      tried.delete(principal.tokenId);
      request.log.warn({ err: error }, 'the agent contact was not recorded');
    }
  });
}
