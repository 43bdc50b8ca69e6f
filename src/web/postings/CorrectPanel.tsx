import { Button, Group, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { correctionProblem } from '../../domain/corrections.ts';
import { call } from '../api/call.ts';
import type { RecordDetail } from '../api/types.ts';
import { LongText } from '../common/LongText.tsx';
import { useCan } from '../session.ts';
import { AllocationEditor } from './AllocationEditor.tsx';
import { checkDraft, draftLine, type DraftLine } from './allocationDraft.ts';
import { useRefreshAll } from './queries.ts';
import { FailedAlert } from '../common/States.tsx';

/** Whether the record can be corrected now: the server's own rule, read from the record as shown. */
export function correctable(record: RecordDetail): boolean {
  return (
    correctionProblem({
      status: record.status,
      reversalOf: record.reversalOf,
      mmsStatus: record.mmsStatus,
      batchAnswerExpected: record.batchAnswerExpected,
      paymentStatus: record.payment.status,
      liveReversals: record.reversals.filter((r) => r.status !== 'removed').map((r) => r.id),
    }) === null
  );
}

/**
 * Correct allocation (SPEC §3.7): a posted record the MMS applied gets new allocations
 * without refunding the client, as a reversal and a replacement posted together. On
 * success the replacement opens, linked to its reversal and to this record.
 */
export function CorrectPanel({ record, onCorrected }: { record: RecordDetail; onCorrected: (id: string) => void }) {
  const canChange = useCan('accountant');
  const refreshAll = useRefreshAll();
  const [open, setOpen] = useState(false);
  const [lines, setLines] = useState<DraftLine[]>(() => record.allocations.map((a) => draftLine(a)));
  const [memo, setMemo] = useState(record.memo);
  const check = checkDraft(lines, record.amountCents, record.account);
  const submit = useMutation({
    mutationFn: () =>
      call('POST /postings/:id/correct', {
        params: { id: record.id },
        body: { version: record.version, allocations: check.allocations, memo },
      }),
    onSuccess: async (made) => {
      notifications.show({
        color: 'green',
        title: 'Correction made',
        message: `A reversal and a replacement (${made.replacement.status}) wait to be posted together.`,
      });
      await refreshAll();
      onCorrected(made.replacement.id);
    },
  });
  if (!canChange || !correctable(record)) return null;
  if (!open)
    return (
      <Group>
        <Button variant="light" onClick={() => setOpen(true)}>
          Correct allocation
        </Button>
      </Group>
    );
  return (
    <Stack gap="sm" component="section" aria-label="Correction">
      <Text size="sm">
        The MMS has this record. Correcting it makes a reversal of its lines and a replacement with the lines below; the
        two are posted together, in one batch, and the client is not refunded.
      </Text>
      <AllocationEditor
        title="Correct allocation"
        account={record.account}
        receiptCents={record.amountCents}
        lines={lines}
        onChange={setLines}
        check={check}
      />
      <LongText label="Memo of the replacement" value={memo} onChange={setMemo} />
      <FailedAlert error={submit.error} />
      <Group justify="space-between">
        <Text size="xs" c="dimmed">
          {check.problems[0] ?? 'The allocations balance.'}
        </Text>
        <Group gap="xs">
          <Button variant="default" onClick={() => setOpen(false)}>
            Cancel
          </Button>
          <Button onClick={() => submit.mutate()} disabled={check.problems.length > 0} loading={submit.isPending}>
            Make correction
          </Button>
        </Group>
      </Group>
    </Stack>
  );
}
