/**
 * Fault injection for the exactly-once tests: when PAYBRIDGE_AGENT_CRASH_AT names a step,
 * the agent kills itself with SIGKILL there, as a power cut or a killed service would.
 * Only tests set the variable; unset, this does nothing.
 */
export const CRASH_POINTS = [
  'after-download',
  'after-write',
  'after-fsync',
  'after-rename',
  'after-journal',
  'after-commit',
  'before-ack',
  'after-ack',
  // The MMS's answer (SPEC §5.1): seen but not yet told to the server; told but not yet journaled.
  'before-report',
  'after-report',
] as const;

export type CrashPoint = (typeof CRASH_POINTS)[number];

/**
 * The whole-loop simulation (src/sim) runs the agent in its own process: its hook throws at
 * a crash point instead, and the simulation drops that agent and starts a new one on the
 * same state folder, as a restarted service would. Null outside the simulation.
 */
let crashHook: ((point: CrashPoint) => void) | null = null;

export function setCrashHook(hook: ((point: CrashPoint) => void) | null): void {
  crashHook = hook;
}

export function crashPoint(point: CrashPoint): void {
  crashHook?.(point);
  if (process.env.PAYBRIDGE_AGENT_CRASH_AT === point) process.kill(process.pid, 'SIGKILL');
}

/** The agent's durable writes, as the simulation's disk faults name them. */
export type DiskStep = 'write' | 'append' | 'rename';

/**
 * The simulated disk (src/sim): before each durable write the hook may return an error
 * (ENOSPC, EIO) for the write to fail with, after writing part of its bytes where a real
 * disk would. Null outside the simulation, and then nothing changes.
 */
let diskHook: ((step: DiskStep, path: string) => NodeJS.ErrnoException | null) | null = null;

export function setDiskFaultHook(hook: typeof diskHook): void {
  diskHook = hook;
}

export function diskFault(step: DiskStep, path: string): NodeJS.ErrnoException | null {
  return diskHook?.(step, path) ?? null;
}
