import { Alert, Badge, Checkbox, Stack, Switch, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { pageOut } from '../../contract/payment-pages.ts';
import { apiKey, call } from '../api/call.ts';
import { errorText } from '../common/errors.ts';
import { EmptyState, ErrorState, LoadingState } from '../common/States.tsx';
import { NewPaymentPage } from './NewPaymentPage.tsx';

export type PaymentPage = z.output<typeof pageOut>;

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
      {update.error && (
        <Alert color="red" role="alert">
          {errorText(update.error)}
        </Alert>
      )}
      {pages.data.items.length === 0 ? (
        <EmptyState>No payment page yet.</EmptyState>
      ) : (
        <Table aria-label="Payment pages" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Address</Table.Th>
              <Table.Th>Account</Table.Th>
              <Table.Th>Surcharge</Table.Th>
              <Table.Th>Create a posting record</Table.Th>
              <Table.Th>Enabled</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {pages.data.items.map((page) => (
              <Table.Tr key={page.id}>
                <Table.Td>{page.name}</Table.Td>
                <Table.Td>
                  <Text size="sm" ff="monospace">
                    /pay/{page.slug}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Badge variant="light" color={page.account === 'trust' ? 'grape' : 'blue'}>
                    {page.depositAccountName}
                  </Badge>
                </Table.Td>
                <Table.Td>{(page.surchargeBps / 100).toFixed(2)}%</Table.Td>
                <Table.Td>
                  <Checkbox
                    aria-label={`Create a posting record for ${page.name}`}
                    checked={page.createPostingRecord}
                    onChange={(e) => update.mutate({ id: page.id, createPostingRecord: e.currentTarget.checked })}
                  />
                </Table.Td>
                <Table.Td>
                  <Switch
                    aria-label={`${page.name} enabled`}
                    checked={page.enabled}
                    onChange={(e) => update.mutate({ id: page.id, enabled: e.currentTarget.checked })}
                  />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Title order={3} size="h5">
        New payment page
      </Title>
      <NewPaymentPage />
    </Stack>
  );
}
