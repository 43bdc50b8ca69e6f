import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FromServer, ToServer } from './server-process.ts';

export interface ServerHandle {
  /** http://127.0.0.1:<port>/api/v1 */
  api: string;
  /** Runs `work` and answers the server's RSS before it and at its peak during it. */
  measureRss<T>(work: () => Promise<T>): Promise<{ result: T; baselineBytes: number; peakBytes: number }>;
  close(): Promise<void>;
}

const SERVER_SCRIPT = fileURLToPath(new URL('./server-process.ts', import.meta.url));

/**
 * Starts the real server in a child process over the bench's database. BENCH_CPU_PROF=<dir>
 * writes the server's CPU profile there when it stops (for finding what a slow metric spends).
 */
export async function startServerProcess(target: { databaseUrl: string } | { dataDir: string }): Promise<ServerHandle> {
  const profileDir = process.env.BENCH_CPU_PROF;
  const child = fork(SERVER_SCRIPT, [], {
    execArgv: ['--import', 'tsx', ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])],
    env: {
      ...process.env,
      ...('databaseUrl' in target
        ? { BENCH_SERVER_DATABASE_URL: target.databaseUrl }
        : { BENCH_SERVER_DATA_DIR: target.dataDir }),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await next(child, 'ready');
  const send = (message: ToServer) => child.send(message);
  return {
    api: `http://127.0.0.1:${ready.port}/api/v1`,
    async measureRss(work) {
      send({ type: 'rss-start' });
      const result = await work();
      const reply = next(child, 'rss');
      send({ type: 'rss-stop' });
      const rss = await reply;
      return { result, baselineBytes: rss.baselineBytes, peakBytes: rss.peakBytes };
    },
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      send({ type: 'close' });
      await exited;
    },
  };
}

function next<K extends FromServer['type']>(child: ChildProcess, type: K): Promise<Extract<FromServer, { type: K }>> {
  return new Promise((resolve, reject) => {
    const wanted = (message: FromServer): message is Extract<FromServer, { type: K }> => message.type === type;
    const onMessage = (message: FromServer) => {
      if (!wanted(message)) return;
      cleanup();
      resolve(message);
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`the bench server exited (code ${code}) before answering ${type}`));
    };
    const cleanup = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}
