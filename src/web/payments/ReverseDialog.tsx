import { Button, Group, Modal, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { call } from '../api/call.ts';
import type { Payment } from '../api/types.ts';
import { errorText } from '../common/errors.ts';
import { formatUsd } from '../common/format.ts';
import type { Outcome } from '../common/States.tsx';
import { useRefreshAll } from '../postings/queries.ts';

export interface Reversal {
  payment: Payment;
  kind: 'void' | 'refund' | 'chargeback';
}

const WORDS = { void: 'Void', refund: 'Refund', chargeback: 'Record a chargeback on' } as const;

/** Reversing cannot be undone, so it asks first and says what happens to the posting record. */
export function ReverseDialog({
  reversal,
  onClose,
  onResult,
}: {
  reversal: Reversal | null;
  onClose: () => void;
  onResult: (r: Outcome) => void;
}) {
  const refreshAll = useRefreshAll();
  const reverse = useMutation({
    mutationFn: (r: Reversal) =>
      call('POST /payments/:id/reverse', { params: { id: r.payment.id }, body: { kind: r.kind } }),
    onSuccess: (answer) =>
      onResult({
        ok: true,
        text: `The payment is now ${answer.payment.status.replace('_', ' ')}.${answer.reversal ? ` A reversal of ${formatUsd(answer.reversal.amountCents)} is pending in Manage Postings.` : ''}`,
      }),
    onError: (error) => onResult({ ok: false, text: errorText(error) }),
    onSettled: async () => {
      onClose();
      await refreshAll();
    },
  });
  const p = reversal?.payment;
  return (
    <Modal opened={reversal !== null} onClose={onClose} title="Reverse payment" centered>
      {reversal && p && (
        <>
          <Text>
            {WORDS[reversal.kind]} the payment of {formatUsd(p.amountCents)} from {p.payerName}? This cannot be undone.
            A posting record not yet queued is removed; one already queued or posted gets a negative reversal record.
          </Text>
          <Group justify="flex-end" mt="lg">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button color="red" loading={reverse.isPending} onClick={() => reverse.mutate(reversal)}>
              {reversal.kind === 'chargeback' ? 'Record chargeback' : WORDS[reversal.kind]}
            </Button>
          </Group>
        </>
      )}
    </Modal>
  );
}
