import { Alert, Stack, Table, Text, Title } from '@mantine/core';
import { IconClock } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { apiKey, call } from '../api/call.ts';
import { ApiError } from '../api/client.ts';
import { formatDateTime, formatUsd } from '../common/format.ts';
import { LoadingState } from '../common/States.tsx';
import { PayerForm } from './PayerForm.tsx';
import { linkClosedText, loadProblem } from './problems.ts';
import { Closed, LoadFailed, PublicFrame } from './PublicFrame.tsx';
import { Receipt, type ReceiptFacts } from './Receipt.tsx';
import type { PaymentLinkPaid, PaymentLinkView, QuickLinkPaid, QuickLinkView } from './types.ts';

type Kind = 'link' | 'quick';
const WHAT = { link: 'payment link', quick: 'quick link' } as const;

/**
 * /pay/link/{token} (invoices and amounts staff chose in Make A Payment) and
 * /pay/quick/{token} (an amount and a description, Send For Payment): fixed amounts,
 * paid once, until the link expires.
 */
export function LinkPay({ kind, token }: { kind: Kind; token: string }) {
  const queryClient = useQueryClient();
  const viewRoute = kind === 'link' ? 'GET /pay/link/:token' : 'GET /pay/quick/:token';
  const view = useQuery({
    queryKey: apiKey(viewRoute, { params: { token } }),
    queryFn: (): Promise<PaymentLinkView | QuickLinkView> => call(viewRoute, { params: { token } }),
  });
  const [receipt, setReceipt] = useState<ReceiptFacts | null>(null);

  if (view.isPending) {
    return (
      <PublicFrame title="Online payment">
        <LoadingState />
      </PublicFrame>
    );
  }
  if (view.error) {
    const closed = linkClosedText(view.error, WHAT[kind]);
    return closed ? (
      <Closed {...closed} />
    ) : (
      <LoadFailed problem={loadProblem(view.error)} onRetry={() => void view.refetch()} />
    );
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
        await queryClient.invalidateQueries({ queryKey: apiKey(viewRoute, { params: { token } }) });
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
        <Table withTableBorder aria-label={description ? 'Amount due' : 'Invoices to pay'}>
          <Table.Tbody>
            {'allocations' in link ? (
              link.allocations.map((a) => (
                <Table.Tr key={`${a.invoiceNumber}-${a.matterNumber}`}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      Invoice {a.invoiceNumber}
                    </Text>
                    <Text size="xs" c="dimmed">
                      Client {a.clientNumber} · Matter {a.matterNumber}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                    {formatUsd(a.amountCents)}
                  </Table.Td>
                </Table.Tr>
              ))
            ) : (
              <Table.Tr>
                <Table.Td>{link.description}</Table.Td>
                <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                  {formatUsd(link.amountCents)}
                </Table.Td>
              </Table.Tr>
            )}
            <Table.Tr style={{ borderTop: '2px solid var(--mantine-color-gray-4)' }}>
              <Table.Th scope="row">Total to be charged</Table.Th>
              <Table.Td ta="right" fw={700} style={{ whiteSpace: 'nowrap' }}>
                {formatUsd(link.amountCents)}
              </Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
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
