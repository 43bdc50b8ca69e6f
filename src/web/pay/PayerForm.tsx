import { Button, Stack, TextInput, Title } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { useState, type SubmitEvent } from 'react';
import { formatUsd } from '../common/format.ts';
import { PaymentMethodFields } from '../common/PaymentMethodFields.tsx';
import {
  EMPTY_PAYMENT_METHOD,
  paymentMethodProblem,
  tokenForAttempts,
  type PaymentMethodDraft,
  type PaymentToken,
} from '../common/paymentMethod.ts';
import { paymentProblem, type Problem } from './problems.ts';
import { ProblemAlert } from './PublicFrame.tsx';
import type { Payer } from './types.ts';
import { useAction } from './useAsync.ts';

interface Props<R> {
  /** What the Pay button charges. */
  totalCents: number;
  /** Why the payment cannot be sent yet (nothing chosen, an amount to fix), or null. */
  blocked: string | null;
  initialName?: string | null;
  /**
   * Everything else the payment request carries. While it and the card or bank details
   * stay the same, a retry reuses the token, which the server charges at most once: a
   * payer who presses Pay again after a dropped connection is never charged twice.
   */
  requestKey: string;
  send: (token: PaymentToken, payer: Payer) => Promise<R>;
  onPaid: (result: R) => void;
  /** Told of each change to the card or bank details, for a page whose price depends on them (a surcharge). */
  onDraftChange?: (draft: PaymentMethodDraft) => void;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

class DetailsProblem extends Error {}

/** The payer's name and email, the card or bank account, and the Pay button. */
export function PayerForm<R>({ totalCents, blocked, initialName, requestKey, send, onPaid, onDraftChange }: Props<R>) {
  const [payerName, setPayerName] = useState(initialName ?? '');
  const [payerEmail, setPayerEmail] = useState('');
  const [draft, keepDraft] = useState<PaymentMethodDraft>(EMPTY_PAYMENT_METHOD);
  const setDraft = (next: PaymentMethodDraft) => {
    keepDraft(next);
    onDraftChange?.(next);
  };
  const [touched, setTouched] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [tokenFor] = useState(() => tokenForAttempts());

  const nameError = touched && !payerName.trim() ? 'Enter your name' : null;
  const emailError =
    touched && payerEmail.trim() && !EMAIL.test(payerEmail.trim())
      ? 'Enter an email address like name@example.com'
      : null;

  const pay = useAction(
    async () => {
      let token: PaymentToken;
      try {
        token = await tokenFor(draft, requestKey);
      } catch (error) {
        throw new DetailsProblem('details', { cause: error });
      }
      const payer: Payer = {
        payerName: payerName.trim(),
        ...(payerEmail.trim() ? { payerEmail: payerEmail.trim() } : {}),
      };
      return send(token, payer);
    },
    {
      start: () => setProblem(null),
      success: onPaid,
      failure: (error) =>
        setProblem(
          error instanceof DetailsProblem ? paymentProblem(error.cause, 'details') : paymentProblem(error, 'payment'),
        ),
    },
  );

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    setTouched(true);
    const methodProblem = paymentMethodProblem(draft);
    if (blocked) setProblem({ title: 'Nothing to pay yet', message: blocked });
    else if (!payerName.trim() || (payerEmail.trim() && !EMAIL.test(payerEmail.trim()))) {
      setProblem({
        title: 'Check your details',
        message: 'Enter your name, and an email address only if you want to give one.',
      });
    } else if (methodProblem) setProblem({ title: 'Check the payment details', message: methodProblem });
    else pay.run(undefined);
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Pay">
      <Stack gap="lg">
        <Stack gap="sm">
          <Title order={2} size="h4">
            Your details
          </Title>
          <TextInput
            label="Your name"
            autoComplete="name"
            required
            value={payerName}
            onChange={(e) => setPayerName(e.currentTarget.value)}
            error={nameError}
            disabled={pay.isPending}
          />
          <TextInput
            label="Email (optional)"
            description="For the firm's records, should there be a question about this payment."
            type="email"
            autoComplete="email"
            value={payerEmail}
            onChange={(e) => setPayerEmail(e.currentTarget.value)}
            error={emailError}
            disabled={pay.isPending}
          />
        </Stack>
        <Stack gap="sm">
          <Title order={2} size="h4">
            Payment method
          </Title>
          <PaymentMethodFields value={draft} onChange={setDraft} disabled={pay.isPending} />
        </Stack>
        {problem && <ProblemAlert problem={problem} />}
        <Button type="submit" size="md" loading={pay.isPending} leftSection={<IconLock size={16} aria-hidden />}>
          {blocked ? 'Pay' : `Pay ${formatUsd(totalCents)}`}
        </Button>
      </Stack>
    </form>
  );
}
