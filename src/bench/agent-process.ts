import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** How much of the agent's log is kept: for an error message, and the split of the rounds' time (about 2 kB a round). */
const KEPT_LOG_CHARS = 512 * 1024;
const STOP_GRACE_MS = 10_000;

export interface LogEntry {
  time: number;
  msg: string;
  seqs: number[];
}

/** The agent's JSON log lines (pino) as entries; anything else in the text is skipped. */
export function entriesOf(log: string): LogEntry[] {
  const entries: LogEntry[] = [];
  for (const line of log.split('\n')) {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      continue; // the first line cut by the kept window, or the unfinished last
    }
    if (typeof value !== 'object' || value === null) continue;
    const { time, msg, seq, seqs } = value as { time?: unknown; msg?: unknown; seq?: unknown; seqs?: unknown };
    if (typeof time !== 'number' || typeof msg !== 'string') continue;
    const named = Array.isArray(seqs)
      ? seqs.filter((s): s is number => typeof s === 'number')
      : typeof seq === 'number'
        ? [seq]
        : [];
    entries.push({ time, msg, seqs: named });
  }
  return entries;
}

/** The real `paybridge agent --config …` process, as the firm's service runs it. */
export interface AgentProcess {
  /** Resolves once it has logged that it started, or fails if it exits first or takes more than `ms`. */
  started(ms?: number): Promise<void>;
  /** The end of its log (JSON lines), for an error message. */
  log(): string;
  /** Its log lines read back: when (ms since the epoch), what, and the batch (seq) each names. */
  entries(): LogEntry[];
  /** How many lines it logged at error level (pino 50) or above. */
  errors(): number;
  /** SIGTERM (SIGKILL if it has not exited after 10 s); resolves once it has exited. */
  stop(): Promise<void>;
}

/**
 * Writes the config into `dir` (agent.json) and starts `node bin/paybridge.js agent` on it,
 * with the environment of this process minus the settings of a paybridge server (the
 * agent reaches the server through the config alone). The process is killed if this one
 * exits first, so an interrupted bench leaves no agent polling a server that is gone.
 */
export async function startAgentProcess(dir: string, config: Record<string, unknown>): Promise<AgentProcess> {
  const configFile = join(dir, 'agent.json');
  await writeFile(configFile, JSON.stringify(config, null, 2));
  const { DATABASE_URL: _url, DATA_DIR: _dir, PORT: _port, HOST: _host, PAYBRIDGE_DEMO: _demo, ...env } = process.env;
  const child = spawn(process.execPath, ['bin/paybridge.js', 'agent', '--config', configFile], {
    cwd: REPO_ROOT,
    env: { ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let log = '';
  let errors = 0;
  let partial = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    log = (log + chunk).slice(-KEPT_LOG_CHARS);
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (/"level":(5\d|60)\b/.test(line)) errors += 1;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => process.off('exit', killOnExit));

  return {
    async started(ms = 30_000) {
      const until = Date.now() + ms;
      while (!log.includes('"msg":"agent started"')) {
        if (child.exitCode !== null || child.signalCode !== null)
          throw new Error(`the agent exited before it started:\n${log}`);
        if (Date.now() > until) throw new Error(`the agent did not start within ${ms} ms:\n${log}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    log: () => log,
    entries: () => entriesOf(log),
    errors: () => errors,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
