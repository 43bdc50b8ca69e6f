/** One line of the bench's table. `value` is the measured number, null when not measured. */
export interface Row {
  metric: string;
  measured: string;
  value: number | null;
  target: string;
  ratio: string;
  verdict: 'ok' | 'MISS' | '—';
}

export const HEADER = ['metric', 'measured', 'target', "ratio to the database's own limit", 'ok'] as const;

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
