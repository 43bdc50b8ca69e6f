import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { AgentConfig } from './config.ts';

/** What the agent says of itself on every request (SPEC §5.2): the server shows it as Connect status. */
export interface AgentIdentity {
  version: string;
  host: string;
  source: 'postgres' | 'ledes' | 'none';
  sink: AgentConfig['sink']['type'];
  pollSeconds: number;
}

let packageVersion: string | undefined;

/** The version in package.json, read once. */
export function agentVersion(): string {
  if (packageVersion === undefined) {
    const parsed: unknown = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    const version = typeof parsed === 'object' && parsed !== null && 'version' in parsed ? parsed.version : undefined;
    packageVersion = typeof version === 'string' ? version : 'unknown';
  }
  return packageVersion;
}

/**
 * A header value is sent as bytes, and a machine name may hold letters outside ASCII: each
 * such character becomes '?', so the name still reaches the server, recognisably.
 */
export function headerSafe(value: string, max: number): string {
  return (
    value
      .replace(/[^\x20-\x7e]/gu, '?')
      .trim()
      .slice(0, max) || '?'
  );
}

export function identityOf(config: AgentConfig): AgentIdentity {
  return {
    version: agentVersion(),
    host: headerSafe(hostname(), 255),
    source: config.source?.type ?? 'none',
    sink: config.sink.type,
    pollSeconds: config.pollSeconds,
  };
}

export function identityHeaders(identity: AgentIdentity): Record<string, string> {
  return {
    'x-paybridge-agent-version': headerSafe(identity.version, 64),
    'x-paybridge-agent-host': identity.host,
    'x-paybridge-agent-source': identity.source,
    'x-paybridge-agent-sink': identity.sink,
    'x-paybridge-agent-poll-seconds': String(identity.pollSeconds),
  };
}
