import { Alert, Button, Checkbox, Group, List, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { REASON_TEXT } from '../../domain/types.ts';
import { call } from '../api/call.ts';
import type { RecordDetail } from '../api/types.ts';
import { errorText, isConflict } from '../common/errors.ts';
import { clientMatter } from '../common/format.ts';
import { LongText } from '../common/LongText.tsx';
import { AllocationEditor } from './AllocationEditor.tsx';
import { CorrectPanel } from './CorrectPanel.tsx';
import { checkDraft, draftLine, namesAnotherClient, reversalDraft, type DraftLine } from './allocationDraft.ts';
import { useCan } from '../session.ts';
import { MmsAnswer } from './MmsAnswer.tsx';
import { PaymentDetails } from './PaymentDetails.tsx';
import { RecordHistory } from './RecordHistory.tsx';
import { RecordLinks } from './RecordLinks.tsx';
import { RemoveDialog } from './RemoveDialog.tsx';
import { SuggestedMatch } from './SuggestedMatch.tsx';
import { ReversalLines } from './ReversalLines.tsx';
import { useRefreshAll } from './queries.ts';
import { FailedAlert } from '../common/States.tsx';

interface Props {
  record: RecordDetail;
  onSaved: () => void;
  /** The save was refused because someone else changed the record first: reload it. */
  onStale: (message: string) => void;
  /** Opens a linked record (a reversal's original, or one of its reversals) in its place. */
  onOpenRecord: (id: string) => void;
}

export function EditForm({ record, onSaved, onStale, onOpenRecord }: Props) {
  const refreshAll = useRefreshAll();
  const [lines, setLines] = useState<DraftLine[]>(() => record.allocations.map((a) => draftLine(a)));
  const [memo, setMemo] = useState(record.memo);
  const [acceptMismatch, setAcceptMismatch] = useState(record.clientMismatchAccepted);
  const [problemFixed, setProblemFixed] = useState(false);
  const canChange = useCan('accountant');
  // A reversal keeps its original's lines (SPEC §3.5): only its memo changes, and Save sends its lines as they are.
  const reversal = record.reversalOf !== null;
  const check = reversal ? reversalDraft(record.allocations) : checkDraft(lines, record.amountCents, record.account);
  const editable = canChange && (record.status === 'pending' || record.status === 'incomplete');
  const refused = record.reasons.includes('rejected_by_mms');
  // The MMS's refusal has a box of its own above; the other reasons are conflicts to fix here.
  const conflicts = record.reasons.filter((r) => r !== 'rejected_by_mms');
  // Offered where a client mismatch is, was accepted, or would be once these lines are saved.
  const offerAcceptance =
    !reversal &&
    (record.reasons.includes('client_mismatch') ||
      record.clientMismatchAccepted ||
      namesAnotherClient(lines, record.clientNumber));
  // An operating line's client and matter are its invoice's: shown, so a mismatch is seen.
  const lineNote = (line: DraftLine) => {
    if (!line.clientNumber.trim()) return null;
    const where = `Client/Matter ${clientMatter(line.clientNumber, line.matterNumber)}`;
    return namesAnotherClient([line], record.clientNumber)
      ? `${where}, not client ${record.clientNumber} that the payment names`
      : where;
  };
  // Either action refused whole because the record changed meanwhile: show it as it now is and say why.
  const showIfStale = async (error: Error) => {
    if (!isConflict(error)) return;
    onStale(errorText(error));
    await refreshAll();
  };
  const save = useMutation({
    mutationFn: () =>
      call('PATCH /postings/:id', {
        params: { id: record.id },
        body: {
          version: record.version,
          allocations: check.allocations,
          memo,
          // Absent leaves the acceptance as it was.
          ...(offerAcceptance ? { acceptClientMismatch: acceptMismatch } : {}),
          // Only when ticked: new allocations count as a fix by themselves.
          ...(refused && problemFixed ? { mmsProblemFixed: true } : {}),
        },
      }),
    onSuccess: async (saved) => {
      const reasons = saved.reasons.map((r) => REASON_TEXT[r]).join('; ');
      notifications.show({
        color: saved.status === 'pending' ? 'green' : 'yellow',
        title: 'Posting record saved',
        message: `It is now ${saved.status}${reasons ? `: ${reasons}` : '.'}`,
      });
      await refreshAll();
      onSaved();
    },
    onError: showIfStale,
  });

  // Remove, the seed's other way out of Edit Posting Record: off the pending list, with a note, until moved back.
  const [removing, setRemoving] = useState(false);
  const remove = useMutation({
    mutationFn: (note: string) =>
      call('POST /postings/remove', { body: { ids: [record.id], ...(note.trim() ? { note: note.trim() } : {}) } }),
    onSuccess: async () => {
      notifications.show({
        color: 'green',
        title: 'Posting record removed',
        message: 'It is in Removed now; Move to Pending there brings it back.',
      });
      await refreshAll();
      onSaved();
    },
    onError: showIfStale,
  });
  const failed = [save.error, remove.error].find((error) => error && !isConflict(error));

  return (
    <Stack gap="md">
      <PaymentDetails record={record} />
      <RecordLinks record={record} onOpen={onOpenRecord} />
      <MmsAnswer record={record} />
      {conflicts.length > 0 && (
        <Alert color="red" title="Conflicts" p="xs" role="note">
          <List size="sm">
            {conflicts.map((r) => (
              <List.Item key={r}>{REASON_TEXT[r]}</List.Item>
            ))}
          </List>
        </Alert>
      )}
      {reversal && <ReversalLines record={record} />}
      {editable ? (
        <>
          {!reversal && (
            <AllocationEditor
              account={record.account}
              receiptCents={record.amountCents}
              lines={lines}
              onChange={setLines}
              check={check}
              lineNote={lineNote}
              offers={record.account === 'operating' && <SuggestedMatch recordId={record.id} onUse={setLines} />}
            />
          )}
          {offerAcceptance && (
            <Checkbox
              label={
                record.account === 'trust'
                  ? "A third party pays for this client's matter"
                  : "A third party pays this client's invoice"
              }
              description={`The payment names client ${record.clientNumber ?? '—'}. Ticked, money for another client is accepted and no longer a conflict; this is recorded in the history.`}
              checked={acceptMismatch}
              onChange={(e) => setAcceptMismatch(e.currentTarget.checked)}
            />
          )}
          {refused && (
            <Checkbox
              label="The MMS problem is fixed; post it again"
              description="Tick this once what the MMS refused has been put right in the MMS, so the record can go out again as it is, in a new batch. Changing the allocations above also counts as a fix."
              checked={problemFixed}
              onChange={(e) => setProblemFixed(e.currentTarget.checked)}
            />
          )}
          <LongText label="Memo (A/R message)" value={memo} onChange={setMemo} />
          <FailedAlert error={failed} />
          <Group justify="space-between">
            <Text size="xs" c="dimmed">
              {check.problems[0] ?? (reversal ? 'Only the memo can change.' : 'The allocations balance.')}
            </Text>
            <Group gap="xs">
              <Button color="red" variant="light" onClick={() => setRemoving(true)} loading={remove.isPending}>
                Remove
              </Button>
              <Button onClick={() => save.mutate()} disabled={check.problems.length > 0} loading={save.isPending}>
                Save
              </Button>
            </Group>
          </Group>
          <RemoveDialog count={1} opened={removing} onClose={() => setRemoving(false)} onConfirm={remove.mutate} />
        </>
      ) : canChange ? (
        <>
          <Alert color="gray" role="note">
            This record is {record.status}; it can no longer be edited.
          </Alert>
          <CorrectPanel record={record} onCorrected={onOpenRecord} />
        </>
      ) : null}
      <RecordHistory history={record.history} />
    </Stack>
  );
}
