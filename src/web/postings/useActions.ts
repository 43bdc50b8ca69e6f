import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import type { ResponseOf } from '../../contract/endpoint.ts';
import type { Routes } from '../../contract/index.ts';
import { call } from '../api/call.ts';
import { errorText, isConflict } from '../common/errors.ts';
import { formatUsd } from '../common/format.ts';
import { useRefreshAll } from './queries.ts';
import { plural } from '../../domain/plural.ts';

type BatchAnswer = ResponseOf<Routes['POST /postings/post']>;

export interface ActionResult {
  ok: boolean;
  text: string;
}

function batchText(answer: BatchAnswer): string {
  const { batch } = answer;
  if (!batch) return 'Nothing was pending, so no batch was made.';
  return `Batch #${batch.seq} made: ${plural(batch.recordCount, 'record')}, ${plural(batch.lineCount, 'line')}, ${formatUsd(batch.totalCents)}. It is queued for delivery to the matter management system.`;
}

/** The four Manage Postings changes; each reports its result and reloads every view and count. */
export function usePostingActions(onDone: () => void) {
  const refreshAll = useRefreshAll();
  const [result, setResult] = useState<ActionResult | null>(null);
  const mutation = useMutation({
    mutationFn: async (run: () => Promise<string>) => run(),
    onSuccess: (text) => setResult({ ok: true, text }),
    onError: (error) => setResult({ ok: false, text: errorText(error) }),
    onSettled: async (_data, error) => {
      // A 409 means the rows on screen are out of date: reload them as well as after success.
      if (!error || isConflict(error)) onDone();
      await refreshAll();
    },
  });
  const run = (action: () => Promise<string>) => mutation.mutate(action);
  return {
    result,
    clearResult: () => setResult(null),
    busy: mutation.isPending,
    postSelected: (ids: string[]) => run(async () => batchText(await call('POST /postings/post', { body: { ids } }))),
    postAll: () => run(async () => batchText(await call('POST /postings/post', { body: { all: true } }))),
    remove: (ids: string[], note: string) =>
      run(async () => {
        const answer = await call('POST /postings/remove', {
          body: { ids, ...(note.trim() ? { note: note.trim() } : {}) },
        });
        return `Removed ${plural(answer.removed, 'record')}.`;
      }),
    moveToPending: (ids: string[]) =>
      run(async () => {
        const answer = await call('POST /postings/move-to-pending', { body: { ids } });
        const pending = answer.records.filter((r) => r.status === 'pending').length;
        const incomplete = answer.records.length - pending;
        return `Moved ${plural(answer.records.length, 'record')} back: ${pending} pending, ${incomplete} incomplete.`;
      }),
  };
}

export type PostingActions = ReturnType<typeof usePostingActions>;
