import { Badge, Checkbox, Stack, Switch, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { pageOut } from '../../contract/payment-pages.ts';
import { apiKey, call } from '../api/call.ts';
import { EmptyState, ErrorState, FailedAlert, LoadingState } from '../common/States.tsx';
import { NewPaymentPage } from './NewPaymentPage.tsx';
import { SettingsTable, type Column } from './SettingsList.tsx';

export type PaymentPage = z.output<typeof pageOut>;

const pageColumns = (update: (change: Partial<PaymentPage> & { id: string }) => void): Column<PaymentPage>[] => [
  { header: 'Name', cell: (page) => page.name },
  {
    header: 'Address',
    cell: (page) => (
      <Text size="sm" ff="monospace">
        /pay/{page.slug}
      </Text>
    ),
  },
  {
    header: 'Account',
    cell: (page) => (
      <Badge variant="light" color={page.account === 'trust' ? 'grape' : 'blue'}>
        {page.depositAccountName}
      </Badge>
    ),
  },
  { header: 'Surcharge', cell: (page) => `${(page.surchargeBps / 100).toFixed(2)}%` },
  {
    header: 'Create a posting record',
    cell: (page) => (
      <Checkbox
        aria-label={`Create a posting record for ${page.name}`}
        checked={page.createPostingRecord}
        onChange={(e) => update({ id: page.id, createPostingRecord: e.currentTarget.checked })}
      />
    ),
  },
  {
    header: 'Enabled',
    cell: (page) => (
      <Switch
        aria-label={`${page.name} enabled`}
        checked={page.enabled}
        onChange={(e) => update({ id: page.id, enabled: e.currentTarget.checked })}
      />
    ),
  },
];

export function PaymentPages() {
  const queryClient = useQueryClient();
  const pages = useQuery({ queryKey: apiKey('GET /payment-pages'), queryFn: () => call('GET /payment-pages') });
  const update = useMutation({
    mutationFn: ({ id, ...patch }: Partial<PaymentPage> & { id: string }) =>
      call('PATCH /payment-pages/:id', { params: { id }, body: patch }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['payment-pages'] }),
  });
  if (pages.isPending) return <LoadingState label="Loading payment pages" />;
  if (pages.error) return <ErrorState error={pages.error} onRetry={() => void pages.refetch()} />;
  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        Payments made on a page with “Create a posting record” checked come into Manage Postings; the others are in the
        Payment Manager only, for entering in the MMS by hand.
      </Text>
      <FailedAlert error={update.error} />
      {pages.data.items.length === 0 ? (
        <EmptyState>No payment page yet.</EmptyState>
      ) : (
        <SettingsTable
          label="Payment pages"
          rows={pages.data.items}
          rowKey={(page) => page.id}
          columns={pageColumns((change) => update.mutate(change))}
        />
      )}
      <Title order={3} size="h5">
        New payment page
      </Title>
      <NewPaymentPage />
    </Stack>
  );
}
