/** One line of the bench's table. `value` is the measured number, null when not measured. */
export interface Row {
  metric: string;
  measured: string;
  value: number | null;
  target: string;
  ratio: string;
  verdict: 'ok' | 'MISS' | '—';
}

export const HEADER = [
  'metric',
  'measured: median (min–max of the runs)',
  'target',
  'ratio to its floor measured in this run, or what its floor is',
  'ok',
] as const;

const cell = (text: string) => text.replace(/\|/g, '\\|');

/** The one markdown table the bench prints. */
export function renderTable(rows: readonly Row[]): string {
  const lines = [`| ${HEADER.join(' | ')} |`, `|${HEADER.map(() => '---').join('|')}|`];
  for (const row of rows)
    lines.push(`| ${[row.metric, row.measured, row.target, row.ratio, row.verdict].map(cell).join(' | ')} |`);
  return `${lines.join('\n')}\n`;
}

export const verdict = (ok: boolean): 'ok' | 'MISS' => (ok ? 'ok' : 'MISS');

export function ms(value: number): string {
  if (value < 1) return `${Math.round(value * 1000)} µs`;
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
}

export function count(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

export { percentile } from '../domain/percentile.ts';

/**
 * A time target given for the scale-1 size, applied to the size measured here in
 * proportion (Post All of 10,000 gets a tenth of the 5 s that 100,000 gets).
 */
export function scaledLimitMs(limitMs: number, fullSize: number, size: number): number {
  return (limitMs * size) / fullSize;
}

/** Every timed measurement runs at least this many times in one run of the bench. */
export const RUNS = 3;

/** The runs of one measurement: their median, and the spread a noisy machine shows. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  n: number;
}

export function spreadOf(samples: readonly number[]): Spread {
  if (samples.length === 0) throw new Error('a spread needs at least one sample, and got none');
  if (samples.some((s) => !Number.isFinite(s)))
    throw new Error(`a spread needs finite samples, not ${samples.join(', ')}`);
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, n: sorted.length };
}

/** "1.20 s (min–max 1.10 s–1.45 s, 3 runs)": the median first, the spread beside it. */
export function withSpread(spread: Spread, format: (value: number) => string): string {
  return `${format(spread.median)} (min–max ${format(spread.min)}–${format(spread.max)}, ${spread.n} runs)`;
}

export const times = (ratio: number) => `${ratio.toFixed(2)}×`;

/**
 * Each run's figure over its floor, measured in the same run: paired run by run when
 * there are as many floors as figures (the two then met the same load), else over the
 * floors' median.
 */
export function ratiosTo(values: readonly number[], floors: readonly number[]): Spread {
  const floor = spreadOf(floors).median;
  const ratios = values.map((v, i) => v / (floors.length === values.length ? floors[i]! : floor));
  return spreadOf(ratios);
}

/**
 * The verdict of a row: where a floor was measured in the same run, its median ratio to
 * it against the target ratio (`at most` for times, `at least` for rates); the absolute
 * figure is then information about a quiet machine, not the verdict. Where there is no
 * floor, the absolute figure is the verdict.
 */
export function judge(
  judged: { ratio: number; limit: number; bound: 'at most' | 'at least' } | null,
  absoluteOk: boolean,
): 'ok' | 'MISS' {
  if (judged === null) return verdict(absoluteOk);
  return verdict(judged.bound === 'at most' ? judged.ratio <= judged.limit : judged.ratio >= judged.limit);
}

/** The absolute target beside a ratio target: "≤ 5.00 s on a quiet machine: met (1.20 s)". */
export function quietMachine(target: string, ok: boolean): string {
  return `${target} on a quiet machine: ${ok ? 'met' : 'missed'} here`;
}
