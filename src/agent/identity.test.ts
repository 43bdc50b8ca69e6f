import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import packageJson from '../../package.json' with { type: 'json' };
import { ServerClient, ServerError } from './client.ts';
import { parseAgentConfig } from './config.ts';
import { headerSafe, identityOf } from './identity.ts';

const TOKEN = `pb_agent_${'i'.repeat(43)}`;

describe('what the agent says of itself on every request (SPEC §5.2)', () => {
  let server: Server;
  let url = '';
  const seen: { url: string; headers: IncomingHttpHeaders }[] = [];
  /** GET /agent/batches is held until the client gives up, as a long-poll with nothing to say. */
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ url: req.url ?? '', headers: req.headers });
      if (req.url?.includes('waitSeconds')) return;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ items: [] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends its version, host, source, sink and pollSeconds as X-Paybridge-Agent-* headers', async () => {
    const config = parseAgentConfig(
      {
        server: url,
        token: TOKEN,
        stateDir: 'state',
        source: { type: 'ledes', folder: 'in' },
        sink: { type: 'file-drop', folder: 'drop' },
        pollSeconds: 45,
      },
      'agent.json',
      '/tmp',
    );
    const client = new ServerClient(url, TOKEN, identityOf(config));
    await client.batches();
    expect(seen.at(-1)?.headers).toMatchObject({
      'x-paybridge-agent-version': packageJson.version,
      'x-paybridge-agent-host': headerSafe(hostname(), 255),
      'x-paybridge-agent-source': 'ledes',
      'x-paybridge-agent-sink': 'file-drop',
      'x-paybridge-agent-poll-seconds': '45',
      authorization: `Bearer ${TOKEN}`,
    });
    const bare = parseAgentConfig(
      {
        server: url,
        token: TOKEN,
        stateDir: 'state',
        sink: { type: 'procedure', connectionString: 'postgres://mms/db' },
      },
      'agent.json',
      '/tmp',
    );
    expect(identityOf(bare)).toMatchObject({ source: 'none', sink: 'procedure', pollSeconds: 60 });
  });

  it('keeps a machine name with letters outside ASCII recognisable, as a header can carry only bytes', () => {
    expect(headerSafe('büro-server', 255)).toBe('b?ro-server');
    expect(headerSafe('\u2028', 255)).toBe('?');
    expect(headerSafe('x'.repeat(300), 255)).toHaveLength(255);
  });

  it('asks the server to hold the list, and a stopped long-poll ends at once without passing for a server failure', async () => {
    const client = new ServerClient(url, TOKEN);
    const controller = new AbortController();
    const polling = client.batches({ waitSeconds: 25, signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seen.at(-1)?.url).toBe('/api/v1/agent/batches?waitSeconds=25');
    expect(seen.at(-1)?.headers['x-paybridge-agent-version']).toBeUndefined();
    const began = Date.now();
    controller.abort();
    const error: unknown = await polling.catch((e: unknown) => e);
    expect(Date.now() - began).toBeLessThan(200);
    expect(error).toBe(controller.signal.reason);
    expect(error).not.toBeInstanceOf(ServerError);
  });
});
