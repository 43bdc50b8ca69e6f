import { Button, Group, Select, Stack, Title } from '@mantine/core';
import { IconFileSpreadsheet } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { isOneOf, ORIGINS, PAYMENT_STATUSES } from '../../domain/types.ts';
import { apiKey, call } from '../api/call.ts';
import { DataTable } from '../common/DataTable.tsx';
import { FilterBar } from '../common/FilterBar.tsx';
import { formatDate, formatUsd } from '../common/format.ts';
import { PagerBar } from '../common/PagerBar.tsx';
import { EmptyState, ErrorState, LoadingState, OutcomeAlert, type Outcome } from '../common/States.tsx';
import { useExport } from '../common/useExport.ts';
import { useFilters } from '../common/useFilters.ts';
import { usePager } from '../common/usePager.ts';
import { EditDrawer } from '../postings/EditDrawer.tsx';
import { useCan } from '../session.ts';
import { paymentColumns } from './columns.tsx';
import { ReverseDialog, type Reversal } from './ReverseDialog.tsx';

export function PaymentManager() {
  const filters = useFilters();
  const pager = usePager(filters.key);
  const query = { ...filters.filters, status: filters.status, sort: filters.sortParam };
  const list = useQuery({
    queryKey: apiKey('GET /payments', { query: { ...query, cursor: pager.cursor, limit: pager.limit } }),
    queryFn: () => call('GET /payments', { query: { ...query, cursor: pager.cursor, limit: pager.limit } }),
    placeholderData: keepPreviousData,
  });
  const [viewing, setViewing] = useState<string | null>(null);
  const [reversing, setReversing] = useState<Reversal | null>(null);
  const [result, setResult] = useState<Outcome | null>(null);
  const canReverse = useCan('accountant');
  const exporter = useExport('GET /payments/export.xlsx', 'payments.xlsx');
  const columns = useMemo(() => paymentColumns(setViewing, canReverse ? setReversing : null), [canReverse]);
  const items = list.data?.items ?? [];

  return (
    <Stack gap="sm">
      <Title order={2} size="h3">
        Payment Manager
      </Title>
      <FilterBar filters={filters} origins={ORIGINS}>
        <Select
          label="Payment status"
          placeholder="Any"
          data={PAYMENT_STATUSES.map((s) => ({ value: s, label: s.replace('_', ' ') }))}
          value={filters.form.status || null}
          onChange={(v) => filters.set('status', isOneOf(PAYMENT_STATUSES, v) ? v : '')}
          clearable
          size="xs"
          w={130}
        />
      </FilterBar>
      <Group justify="flex-end">
        <Button
          size="xs"
          variant="default"
          leftSection={<IconFileSpreadsheet size={14} aria-hidden />}
          loading={exporter.exporting}
          onClick={() => exporter.run({ query })}
        >
          Export to Excel
        </Button>
      </Group>
      <OutcomeAlert outcome={result} onDismiss={() => setResult(null)} />
      {list.isPending ? (
        <LoadingState label="Loading payments" />
      ) : list.error ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState>No payments{filters.active ? ' match these filters' : ' yet'}.</EmptyState>
      ) : (
        <DataTable
          dense
          label="Payments"
          data={items}
          columns={columns}
          getRowId={(p) => p.id}
          describeRow={(p) => `${p.payerName} ${formatUsd(p.amountCents)} ${formatDate(p.processedAt)}`}
          sorting={filters.sorting}
        />
      )}
      <PagerBar pager={pager} nextCursor={list.data?.nextCursor} shown={items.length} />
      <EditDrawer recordId={viewing} onClose={() => setViewing(null)} title="Posting record" />
      <ReverseDialog reversal={reversing} onClose={() => setReversing(null)} onResult={setResult} />
    </Stack>
  );
}
