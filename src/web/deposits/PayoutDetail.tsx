import { Alert, Button, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconArrowLeft, IconFileSpreadsheet } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { apiKey, call } from '../api/call.ts';
import type { Payout } from '../api/types.ts';
import { AppLink } from '../common/AppLink.tsx';
import { DataTable } from '../common/DataTable.tsx';
import { Fact } from '../common/Fact.tsx';
import { formatDate, formatDateTime, formatUsd } from '../common/format.ts';
import { ErrorState, LoadingState } from '../common/States.tsx';
import { useExport } from '../common/useExport.ts';
import { useLiveRefetch } from '../live/useLive.ts';
import { describeLine, lineColumns } from './columns.tsx';
import { depositsPath, monthOfDay } from './paths.ts';
import { plural } from '../../domain/plural.ts';

const ATTENTION_ROW = { boxShadow: 'inset 4px 0 0 var(--mantine-color-orange-6)' };

function Figure({ label, cents, strong = false }: { label: string; cents: number; strong?: boolean }) {
  return (
    <Fact label={label}>
      <Text component="span" size="sm" fw={strong ? 700 : undefined} style={{ fontVariantNumeric: 'tabular-nums' }}>
        {formatUsd(cents)}
      </Text>
    </Fact>
  );
}

function PayoutFacts({ payout }: { payout: Payout }) {
  return (
    <SimpleGrid cols={{ base: 2, sm: 4, lg: 5 }} spacing="sm" verticalSpacing="xs" aria-label="Payout">
      <Fact label="Paid on">{formatDate(payout.paidOn)}</Fact>
      <Fact label="Account">{payout.depositAccountName}</Fact>
      <Fact label="Payments of">{formatDate(payout.settledOn)}</Fact>
      <Fact label="Payments">{payout.paymentCount}</Fact>
      <Fact label="Processor payout">
        <Text component="span" size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
          {payout.processorPayoutId}
        </Text>
      </Fact>
      <Figure label="Gross" cents={payout.grossCents} />
      <Figure label="Refunds" cents={payout.refundsCents} />
      <Figure label="Chargebacks" cents={payout.chargebacksCents} />
      <Figure label="Fees" cents={payout.feesCents} />
      <Figure label="Net" cents={payout.netCents} strong />
    </SimpleGrid>
  );
}

/** One payout, line by line: each line's payment, its posting record and batch, and where the MMS stands with it. */
export function PayoutDetail({ id }: { id: string }) {
  const live = useLiveRefetch();
  const detail = useQuery({
    ...live,
    queryKey: apiKey('GET /deposits/:id', { params: { id } }),
    queryFn: () => call('GET /deposits/:id', { params: { id } }),
  });
  const exporter = useExport('GET /deposits/:id/export.xlsx', 'deposit.xlsx');
  const payout = detail.data?.payout;
  const back = payout ? depositsPath(monthOfDay(payout.paidOn)) : '/deposits';

  return (
    <Stack gap="sm">
      <AppLink to={back} size="sm" w="fit-content">
        <Group gap={4} wrap="nowrap">
          <IconArrowLeft size={14} aria-hidden />
          Deposits
        </Group>
      </AppLink>
      {detail.isPending ? (
        <LoadingState label="Loading the payout" />
      ) : detail.error ? (
        <ErrorState error={detail.error} onRetry={() => void detail.refetch()} />
      ) : (
        <>
          <Group justify="space-between" align="flex-start">
            <Stack gap={2}>
              <Title order={2} size="h3">
                Payout of {formatDate(detail.data.payout.paidOn)} to {detail.data.payout.depositAccountName}
              </Title>
              <Text size="sm" c="dimmed">
                Paid {formatDateTime(detail.data.payout.paidAt)}; it carries the money of{' '}
                {formatDate(detail.data.payout.settledOn)}.
              </Text>
            </Stack>
            <Button
              size="xs"
              variant="default"
              leftSection={<IconFileSpreadsheet size={14} aria-hidden />}
              loading={exporter.exporting}
              onClick={() => exporter.run({ params: { id } })}
            >
              Export to Excel
            </Button>
          </Group>
          <PayoutFacts payout={detail.data.payout} />
          {detail.data.payout.unappliedCount > 0 && (
            <Alert color="orange" py={6} role="note" icon={<IconAlertTriangle size={18} aria-hidden />}>
              {plural(detail.data.payout.unappliedCount, 'line is', 'lines are')} not yet applied in the MMS: the money
              reached the bank, but the matter management system does not have it. Follow each line&apos;s record to
              post it or see why it was refused.
            </Alert>
          )}
          <DataTable
            label="Payout lines"
            data={detail.data.lines}
            columns={lineColumns}
            getRowId={(l) => String(l.line)}
            describeRow={describeLine}
            rowStyle={(l) => (l.needsAttention ? ATTENTION_ROW : undefined)}
          />
        </>
      )}
    </Stack>
  );
}
