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

export function crashPoint(point: CrashPoint): void {
  if (process.env.PAYBRIDGE_AGENT_CRASH_AT === point) process.kill(process.pid, 'SIGKILL');
}
