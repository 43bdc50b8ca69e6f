import { Alert, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { REVERSAL_LABEL } from '../../domain/payment-reversal.ts';
import { call } from '../api/call.ts';
import type { Payment } from '../api/types.ts';
import { errorText } from '../common/errors.ts';
import { formatUsd } from '../common/format.ts';
import type { Outcome } from '../common/States.tsx';
import { centsToDollars } from '../common/amount.ts';
import { useRefreshAll } from '../postings/queries.ts';
import { recordEffectText, refundedText, refundLeft, refundRequest, refundTerms, type RefundBody } from './reversal.ts';

export interface Reversal {
  payment: Payment;
  kind: 'void' | 'refund' | 'chargeback';
}

const WORDS = { void: 'Void', refund: 'Refund', chargeback: 'Record a chargeback on' } as const;

type Body = RefundBody | { kind: 'void' | 'chargeback' };

/** What came of a reversal, in words: the payment's new state and the reversal record it made, if any. */
function outcomeText(answer: Awaited<ReturnType<typeof reverse>>): string {
  const { payment, reversal } = answer;
  const state = refundedText(payment) ?? `The payment is now ${payment.status.replace('_', ' ')}`;
  if (!reversal) return `${state}.`;
  const label = reversal.reversalKind ? ` (${REVERSAL_LABEL[reversal.reversalKind]})` : '';
  return `${state}. A reversal record${label} of ${formatUsd(reversal.amountCents)} is pending in Manage Postings.`;
}

const reverse = (payment: Payment, body: Body) =>
  call('POST /payments/:id/reverse', { params: { id: payment.id }, body });

/**
 * Reversing cannot be undone, so it asks first and says what happens to the posting record.
 * A refund asks how much: all that is left, or part of the receipt.
 */
export function ReverseDialog({
  reversal,
  onClose,
  onResult,
}: {
  reversal: Reversal | null;
  onClose: () => void;
  onResult: (r: Outcome) => void;
}) {
  return (
    <Modal
      opened={reversal !== null}
      onClose={onClose}
      title={reversal?.kind === 'refund' ? 'Refund payment' : 'Reverse payment'}
      centered
    >
      {/* Keyed by payment and kind: each opening starts from what is left of that payment. */}
      {reversal && (
        <ReverseForm
          key={`${reversal.payment.id}:${reversal.kind}`}
          reversal={reversal}
          onClose={onClose}
          onResult={onResult}
        />
      )}
    </Modal>
  );
}

function ReverseForm({
  reversal,
  onClose,
  onResult,
}: {
  reversal: Reversal;
  onClose: () => void;
  onResult: (r: Outcome) => void;
}) {
  const { payment, kind } = reversal;
  const refreshAll = useRefreshAll();
  const [amount, setAmount] = useState(() => centsToDollars(refundLeft(payment)));
  const refund = kind === 'refund' ? refundRequest(payment, amount) : null;
  const partial = refund !== null && refund.error === undefined && refund.body.amountCents !== undefined;
  const mutation = useMutation({
    mutationFn: (body: Body) => reverse(payment, body),
    onSuccess: async (answer) => {
      onResult({ ok: true, text: outcomeText(answer) });
      onClose();
      await refreshAll();
    },
    onError: async (error) => {
      onResult({ ok: false, text: errorText(error) });
      onClose();
      await refreshAll();
    },
  });
  const submit = () => {
    if (!refund) mutation.mutate({ kind });
    else if (refund.error === undefined) mutation.mutate(refund.body);
  };
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <Stack gap="sm">
        {kind === 'refund' ? (
          <>
            <Text>
              Refund {payment.payerName}&rsquo;s payment of {formatUsd(payment.amountCents)}? This cannot be undone.
            </Text>
            {refundTerms(payment).map((term) => (
              <Text key={term} size="sm">
                {term}
              </Text>
            ))}
            <TextInput
              label="Refund amount ($)"
              inputMode="decimal"
              autoComplete="off"
              value={amount}
              onChange={(e) => setAmount(e.currentTarget.value)}
              error={refund?.error}
              data-autofocus
            />
          </>
        ) : (
          <Text>
            {WORDS[kind]} the payment of {formatUsd(payment.amountCents)} from {payment.payerName}? This cannot be
            undone.
          </Text>
        )}
        <Alert color="gray" variant="light" p="xs" role="note">
          <Text size="sm">{recordEffectText(payment, kind, partial)}</Text>
        </Alert>
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" color="red" loading={mutation.isPending} disabled={refund?.error !== undefined}>
            {kind === 'chargeback'
              ? 'Record chargeback'
              : refund && refund.error === undefined
                ? `Refund ${formatUsd(refund.cents)}`
                : WORDS[kind]}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
