import { describe, expect, it } from 'vitest';
import { entriesOf } from './agent-process.ts';

describe("entriesOf (the agent's log, read back for the rounds' split)", () => {
  it('reads time, message and the batches a line names (seq or seqs), and skips what is not a whole log line', () => {
    const log = [
      'ch_partial_line_cut_by_the_kept_window","msg":"x"}',
      '{"level":30,"time":1700000000123,"msg":"batches waiting for delivery","waiting":2,"seqs":[4,5]}',
      '{"level":30,"time":1700000000200,"msg":"batch acknowledged","seq":4,"batchId":"b4"}',
      '{"level":30,"time":1700000000300,"msg":"agent started"}',
      '{"level":30,"time":"not a number","msg":"skipped"}',
      '{"level":30,"time":1700000000400,"msg":"batch ackn',
    ].join('\n');
    expect(entriesOf(log)).toEqual([
      { time: 1700000000123, msg: 'batches waiting for delivery', seqs: [4, 5] },
      { time: 1700000000200, msg: 'batch acknowledged', seqs: [4] },
      { time: 1700000000300, msg: 'agent started', seqs: [] },
    ]);
  });
});
