import type { Engine } from '../db/connect.ts';

/** PGlite is measured at one tenth of PostgreSQL's sizes (one process, one connection). */
const ENGINE_FACTOR: Record<Engine, number> = { postgres: 1, pglite: 0.1 };

/** What the bench generates and measures; every number is a count of rows. */
export interface Sizes {
  scale: number;
  firms: number;
  records: number;
  invoices: number;
  /** The firm whose views are listed and counted: its pending view is the biggest. */
  bigPending: number;
  /** The firm whose pending records are posted by one Post All, then exported. */
  postAll: number;
  /** Invoices sent by one agent sync into a firm that has none yet. */
  syncInvoices: number;
  /** Payments taken in over HTTP by 50 connections. */
  payments: number;
  /** Open records made on one invoice before payments on it are timed (issue 17). */
  openOnInvoice: number;
  /** Post All rounds of the live delivery rows (20 posts of 100 records; fewer in the smoke run). */
  liveRounds: number;
  /** Pages read of each list in each round (4; 2 in the smoke run, which checks the rows, not the figures). */
  listPages: number;
}

export function readScale(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 1;
  const scale = Number(raw);
  if (!Number.isFinite(scale) || scale <= 0 || scale > 10)
    throw new Error(`BENCH_SCALE must be a number above 0 and at most 10, not "${raw}"`);
  return scale;
}

export function sizesFor(engine: Engine, scale: number): Sizes {
  const f = scale * ENGINE_FACTOR[engine];
  const n = (full: number, min: number) => Math.max(min, Math.round(full * f));
  return {
    scale,
    firms: n(100, 5),
    records: n(1_000_000, 500),
    invoices: n(300_000, 150),
    bigPending: n(200_000, 100),
    postAll: n(100_000, 50),
    syncInvoices: n(300_000, 150),
    payments: n(5_000, 200),
    // Not scaled with the data: each round is 100 records whatever the scale, and 20 of
    // them make a p95; below BENCH_SCALE=0.1 (the smoke run) 3 show that the rows work.
    liveRounds: scale < 0.1 ? 3 : 20,
    listPages: scale < 0.1 ? 2 : 4,
    // Not scaled either: the figure the issue reported; the smoke run makes a tenth.
    openOnInvoice: scale < 0.1 ? 100 : 1_000,
  };
}
