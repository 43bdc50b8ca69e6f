import { Alert, Button, Group, Modal, Stack, Table, Text } from '@mantine/core';
import { ACCOUNT_LABELS, formatUsd } from '../common/format.ts';
import { LoadingState } from '../common/States.tsx';
import { useCounts } from './queries.ts';

const records = (n: number) => `${n} ${n === 1 ? 'record' : 'records'}`;

/**
 * Post All takes every pending record of the firm, whatever the filters show, so it says
 * how many and how much first, per deposit account, and that the filters do not narrow it
 * (issue 16). `filteredPending`: the pending records the filters show, when filters are set.
 */
export function PostAllDialog({
  opened,
  onClose,
  onConfirm,
  filteredPending = null,
}: {
  opened: boolean;
  onClose: () => void;
  onConfirm: () => void;
  filteredPending?: number | null;
}) {
  const counts = useCounts({});
  const pending = counts.data?.pending ?? 0;
  const total = counts.data?.pendingTotalCents;
  const byAccount = counts.data?.pendingByAccount;
  return (
    <Modal opened={opened} onClose={onClose} title="Post All" centered>
      {counts.isPending ? (
        <LoadingState label="Counting pending records" />
      ) : pending === 0 ? (
        <Text>No record is pending, so there is nothing to post.</Text>
      ) : (
        <Stack gap="sm">
          <Text>
            {`Post all ${pending} pending ${pending === 1 ? 'record' : 'records'}${total === undefined ? '' : `, ${formatUsd(total)} in total`}, on every page, in one batch?`}
          </Text>
          {byAccount && (
            <Table withTableBorder fz="sm" verticalSpacing={4} aria-label="Pending records per account">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Account</Table.Th>
                  <Table.Th style={{ textAlign: 'right' }}>Records</Table.Th>
                  <Table.Th style={{ textAlign: 'right' }}>Total</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(['operating', 'trust'] as const).map((account) => (
                  <Table.Tr key={account}>
                    <Table.Td>{ACCOUNT_LABELS[account]}</Table.Td>
                    <Table.Td style={{ textAlign: 'right', fontVariantNumeric: 'tabular-nums' }}>
                      {byAccount[account].count}
                    </Table.Td>
                    <Table.Td style={{ textAlign: 'right', fontVariantNumeric: 'tabular-nums' }}>
                      {byAccount[account].totalCents === undefined ? '—' : formatUsd(byAccount[account].totalCents)}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          {filteredPending !== null ? (
            <Alert color="yellow" variant="light" p="xs" role="note">
              The filters and search show {records(filteredPending)} pending. Post All does not follow them: it posts
              all {records(pending)} above.
            </Alert>
          ) : (
            <Text size="sm" c="dimmed">
              Post All does not follow filters or a search: it always posts every pending record.
            </Text>
          )}
        </Stack>
      )}
      <Group justify="flex-end" mt="lg">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button
          disabled={pending === 0}
          onClick={() => {
            onClose();
            onConfirm();
          }}
        >
          Post {records(pending)}
        </Button>
      </Group>
    </Modal>
  );
}
