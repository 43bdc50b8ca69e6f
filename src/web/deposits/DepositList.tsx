import { Button, Group, Select, Stack, Text, Title } from '@mantine/core';
import { IconFileSpreadsheet, IconReceipt } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { monthDays } from '../../domain/dates.ts';
import { apiKey, call } from '../api/call.ts';
import { appLinkProps } from '../common/AppLink.tsx';
import { DataTable } from '../common/DataTable.tsx';
import { formatMonth } from '../common/format.ts';
import { PagerBar } from '../common/PagerBar.tsx';
import { EmptyState, ErrorState, LoadingState } from '../common/States.tsx';
import { useExport } from '../common/useExport.ts';
import { usePager } from '../common/usePager.ts';
import { queryParam, replaceQuery } from '../router.ts';
import { useMe } from '../session.ts';
import { useDepositAccounts } from '../take/AccountChoice.tsx';
import { describePayout, payoutColumns } from './columns.tsx';
import { MonthPicker } from './MonthPicker.tsx';
import { accountFilterOptions, accountQuery, monthOf, statementPath } from './paths.ts';

/** Deposits (SPEC §5.3): the processor's payouts of a month, by the day they were paid and the account they went to. */
export function DepositList() {
  const me = useMe();
  const thisMonth = monthOf(null, me.firm.timeZone);
  const [month, setMonth] = useState(() => monthOf(queryParam('month'), me.firm.timeZone));
  const [account, setAccount] = useState(() => queryParam('account'));
  const accounts = useDepositAccounts();
  const pager = usePager(`${month}|${account ?? ''}`);
  const query = { ...monthDays(month), ...accountQuery(account), cursor: pager.cursor, limit: pager.limit };
  const list = useQuery({
    queryKey: apiKey('GET /deposits', { query }),
    queryFn: () => call('GET /deposits', { query }),
    placeholderData: keepPreviousData,
  });
  const exporter = useExport('GET /deposits/export.xlsx', `deposits-${month}.xlsx`);
  const items = list.data?.items ?? [];
  const chooseMonth = (next: string) => {
    setMonth(next);
    replaceQuery({ month: next, cursor: null, page: null, back: null });
  };
  const chooseAccount = (next: string | null) => {
    setAccount(next);
    replaceQuery({ account: next, cursor: null, page: null, back: null });
  };

  return (
    <Stack gap="sm">
      <Title order={2} size="h3">
        Deposits
      </Title>
      <Text size="sm" c="dimmed">
        What the processor paid into the firm&apos;s bank accounts, by the day it reached the bank. Each payout carries
        one day&apos;s payments, less that day&apos;s refunds, chargebacks and processing fees.
      </Text>
      <Group justify="space-between" align="flex-end" gap="xs">
        <Group gap="xs" align="flex-end" role="search" aria-label="Filters">
          <MonthPicker value={month} latest={thisMonth} onChange={chooseMonth} />
          <Select
            label="Account"
            placeholder="Any"
            data={accountFilterOptions(accounts.data?.items ?? [])}
            value={account}
            onChange={chooseAccount}
            clearable
            clearButtonProps={{ 'aria-label': 'Clear the account filter' }}
            size="xs"
            w={190}
          />
        </Group>
        <Group gap="xs">
          <Button
            size="xs"
            variant="default"
            component="a"
            {...appLinkProps(statementPath(month))}
            leftSection={<IconReceipt size={14} aria-hidden />}
          >
            Monthly statement
          </Button>
          <Button
            size="xs"
            variant="default"
            leftSection={<IconFileSpreadsheet size={14} aria-hidden />}
            loading={exporter.exporting}
            onClick={() => exporter.run({ query: { month } })}
          >
            Export month to Excel
          </Button>
        </Group>
      </Group>
      {list.isPending ? (
        <LoadingState label="Loading payouts" />
      ) : list.error ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState>
          No payout was paid in {formatMonth(month)}
          {account ? ' to this account' : ''}.
        </EmptyState>
      ) : (
        <DataTable
          label="Payouts"
          data={items}
          columns={payoutColumns}
          getRowId={(p) => p.id}
          describeRow={describePayout}
        />
      )}
      <PagerBar pager={pager} nextCursor={list.data?.nextCursor} shown={items.length} />
    </Stack>
  );
}
