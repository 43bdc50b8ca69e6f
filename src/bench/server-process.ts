/**
 * The server under test, in a process of its own so that its memory is its own and the
 * load generator does not share its event loop: the real Fastify app on 127.0.0.1, on a
 * free port, over the bench's database. The parent talks to it over the IPC channel:
 * it answers `ready` with its port, samples its RSS between `rss-start` and `rss-stop`,
 * and closes cleanly on `close`.
 */
import { loadConfig } from '../config.ts';
import { connectPGlite, connectPostgres, openPGlite, type Connection } from '../db/connect.ts';
import { buildApp } from '../server/app.ts';

export type ToServer = { type: 'rss-start' } | { type: 'rss-stop' } | { type: 'close' };
export type FromServer =
  { type: 'ready'; port: number } | { type: 'rss'; baselineBytes: number; peakBytes: number } | { type: 'closed' };

const RSS_SAMPLE_MS = 5;

async function open(): Promise<Connection> {
  const url = process.env.BENCH_SERVER_DATABASE_URL;
  if (url) return connectPostgres(url, loadConfig().databasePoolSize);
  const dataDir = process.env.BENCH_SERVER_DATA_DIR;
  if (!dataDir) throw new Error('BENCH_SERVER_DATABASE_URL or BENCH_SERVER_DATA_DIR must be set');
  return connectPGlite(await openPGlite(dataDir));
}

function send(message: FromServer): void {
  process.send?.(message);
}

const conn = await open();
const app = await buildApp({ db: conn.db, listen: conn.listen, config: { ...loadConfig({}), demo: false } });
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
if (typeof address !== 'object' || !address) throw new Error('the server has no address');

let sampler: NodeJS.Timeout | undefined;
let baseline = 0;
let peak = 0;
process.on('message', (message: ToServer) => {
  if (message.type === 'rss-start') {
    baseline = process.memoryUsage.rss();
    peak = baseline;
    sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage.rss());
    }, RSS_SAMPLE_MS);
  } else if (message.type === 'rss-stop') {
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage.rss());
    send({ type: 'rss', baselineBytes: baseline, peakBytes: peak });
  } else {
    // 'close'
    void (async () => {
      await app.close();
      await conn.close();
      send({ type: 'closed' });
      process.disconnect();
    })();
  }
});
send({ type: 'ready', port: address.port });
