import { Alert, Stack, Text, Title } from '@mantine/core';
import { IconClock } from '@tabler/icons-react';
import { useState } from 'react';
import { call } from '../api/call.ts';
import { ApiError } from '../api/client.ts';
import { formatDateTime, formatUsd } from '../common/format.ts';
import { LoadingState } from '../common/States.tsx';
import { PayerForm } from './PayerForm.tsx';
import { linkClosedText, loadProblem } from './problems.ts';
import { Closed, LoadFailed, PublicFrame } from './PublicFrame.tsx';
import { Receipt, type ReceiptFacts } from './Receipt.tsx';
import type { PaymentLinkPaid, PaymentLinkView, QuickLinkPaid, QuickLinkView } from './types.ts';
import { useLoad } from './useAsync.ts';

type Kind = 'link' | 'quick';
const WHAT = { link: 'payment link', quick: 'quick link' } as const;

/**
 * /pay/link/{token} (invoices and amounts staff chose in Make A Payment) and
 * /pay/quick/{token} (an amount and a description, Send For Payment): fixed amounts,
 * paid once, until the link expires.
 */
export function LinkPay({ kind, token }: { kind: Kind; token: string }) {
  const viewRoute = kind === 'link' ? 'GET /pay/link/:token' : 'GET /pay/quick/:token';
  const view = useLoad(`${kind}/${token}`, (): Promise<PaymentLinkView | QuickLinkView> =>
    call(viewRoute, { params: { token } }),
  );
  const [receipt, setReceipt] = useState<ReceiptFacts | null>(null);

  if (view.status === 'pending') {
    return (
      <PublicFrame title="Online payment">
        <LoadingState />
      </PublicFrame>
    );
  }
  if (view.status === 'failed') {
    const closed = linkClosedText(view.error, WHAT[kind]);
    return closed ? <Closed {...closed} /> : <LoadFailed problem={loadProblem(view.error)} onRetry={view.reload} />;
  }
  const link = view.data;
  const description = 'description' in link ? link.description : null;
  if (receipt) {
    // The receipt's own heading says the payment was received; the frame names what it was for.
    return (
      <PublicFrame title={link.firmName} subtitle={description ?? 'Payment request'}>
        <Receipt facts={receipt} />
      </PublicFrame>
    );
  }
  if (link.status === 'paid') {
    return (
      <PublicFrame title={link.firmName} subtitle={description ?? 'Payment request'}>
        <Alert color="blue" title={`This ${WHAT[kind]} has already been paid`} role="status">
          Nothing more is due on it. Contact {link.firmName} if you have a question about the payment.
        </Alert>
      </PublicFrame>
    );
  }

  const send = async (paymentToken: { token: string }, payer: { payerName: string; payerEmail?: string }) => {
    try {
      const request = { params: { token }, body: { ...payer, token: paymentToken.token } };
      return kind === 'link'
        ? await call('POST /pay/link/:token', request)
        : await call('POST /pay/quick/:token', request);
    } catch (error) {
      // Paid, expired or cancelled since the page opened: show the link as it now is.
      if (
        error instanceof ApiError &&
        (error.status === 409 || error.status === 410) &&
        error.code !== 'link_in_progress'
      ) {
        view.reload();
      }
      throw error;
    }
  };

  const onPaid = (paid: PaymentLinkPaid | QuickLinkPaid) => {
    const { payment } = paid;
    setReceipt({
      firmName: link.firmName,
      paidFor: description ?? 'Invoice payment',
      payerName: payment.payerName,
      account: payment.account === 'trust' ? 'trust' : 'operating',
      method: paid.method,
      brand: paid.brand,
      last4: paid.last4,
      receiptCents: payment.amountCents - payment.surchargeCents,
      surchargeCents: payment.surchargeCents,
      amountCents: payment.amountCents,
      linesTitle: 'allocations' in paid ? 'Invoices paid' : 'Paid for',
      lines:
        'allocations' in paid
          ? paid.allocations.map((a) => ({
              label: `Invoice ${a.invoiceNumber ?? ''}`,
              detail: `Matter ${a.matterNumber ?? ''}`,
              amountCents: a.amountCents,
            }))
          : [{ label: paid.description, amountCents: payment.amountCents - payment.surchargeCents }],
      processorId: payment.processorId,
      processedAt: payment.processedAt,
    });
  };

  return (
    <PublicFrame title={link.firmName} subtitle={description ?? 'Payment request'}>
      <Stack gap="sm">
        <Title order={2} size="h4">
          {description ? 'Amount due' : 'Invoices to pay'}
        </Title>
        <table className="pb-pay-table" data-border aria-label={description ? 'Amount due' : 'Invoices to pay'}>
          <tbody>
            {'allocations' in link ? (
              link.allocations.map((a) => (
                <tr key={`${a.invoiceNumber}-${a.matterNumber}`}>
                  <td>
                    <Text size="sm" fw={500}>
                      Invoice {a.invoiceNumber}
                    </Text>
                    <Text size="xs" c="dimmed">
                      Client {a.clientNumber} · Matter {a.matterNumber}
                    </Text>
                  </td>
                  <td className="pb-amount">{formatUsd(a.amountCents)}</td>
                </tr>
              ))
            ) : (
              <tr>
                <td>{link.description}</td>
                <td className="pb-amount">{formatUsd(link.amountCents)}</td>
              </tr>
            )}
            <tr className="pb-total">
              <th scope="row">Total to be charged</th>
              <td className="pb-amount">{formatUsd(link.amountCents)}</td>
            </tr>
          </tbody>
        </table>
        <Text size="sm" c="dimmed">
          <IconClock size={14} aria-hidden style={{ verticalAlign: '-2px', marginRight: 4 }} />
          This link can be paid until {formatDateTime(link.expiresAt)}.
        </Text>
      </Stack>
      <PayerForm
        totalCents={link.amountCents}
        blocked={null}
        initialName={link.payerName}
        requestKey={`${kind}/${token}`}
        send={send}
        onPaid={onPaid}
      />
    </PublicFrame>
  );
}
