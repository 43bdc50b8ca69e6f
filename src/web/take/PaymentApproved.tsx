import { Alert, SimpleGrid, Text } from '@mantine/core';
import { IconCircleCheck } from '@tabler/icons-react';
import type { Payment } from '../api/types.ts';
import { formatDateTime, formatUsd, methodText } from '../common/format.ts';

/** The facts of an approved payment, as a receipt to read back to the payer. */
export function PaymentApproved({ payment, children }: { payment: Payment; children?: React.ReactNode }) {
  const facts: [string, string][] = [
    ['Amount', formatUsd(payment.amountCents)],
    ['Paid with', methodText(payment.method, payment.cardBrand, payment.last4)],
    ['Payer', payment.payerName],
    ['Deposit account', payment.depositAccountName],
    ['Taken', formatDateTime(payment.processedAt)],
    ['Processor reference', payment.processorId],
  ];
  return (
    <Alert
      color="green"
      icon={<IconCircleCheck aria-hidden />}
      title={`Payment approved: ${formatUsd(payment.amountCents)}`}
      role="status"
    >
      <SimpleGrid
        cols={{ base: 2, sm: 3 }}
        spacing="xs"
        verticalSpacing={4}
        mt={4}
        component="dl"
        style={{ margin: 0 }}
      >
        {facts.map(([label, value]) => (
          <div key={label}>
            <Text size="xs" c="dimmed" component="dt">
              {label}
            </Text>
            <Text size="sm" component="dd" m={0} style={{ overflowWrap: 'anywhere' }}>
              {value}
            </Text>
          </div>
        ))}
      </SimpleGrid>
      {children}
    </Alert>
  );
}
