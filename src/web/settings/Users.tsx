import { Badge, Table } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { apiKey, call } from '../api/call.ts';
import { formatDate } from '../common/format.ts';
import { ErrorState, LoadingState } from '../common/States.tsx';

export function Users() {
  const users = useQuery({ queryKey: apiKey('GET /users'), queryFn: () => call('GET /users') });
  if (users.isPending) return <LoadingState label="Loading users" />;
  if (users.error) return <ErrorState error={users.error} onRetry={() => void users.refetch()} />;
  return (
    <Table aria-label="Users" striped maw={800}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Name</Table.Th>
          <Table.Th>Email</Table.Th>
          <Table.Th>Role</Table.Th>
          <Table.Th>Since</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {users.data.items.map((u) => (
          <Table.Tr key={u.id}>
            <Table.Td>{u.name}</Table.Td>
            <Table.Td>{u.email}</Table.Td>
            <Table.Td>
              <Badge variant="light">{u.role}</Badge>
              {u.disabledAt && (
                <Badge color="gray" ml={4}>
                  disabled
                </Badge>
              )}
            </Table.Td>
            <Table.Td>{formatDate(u.createdAt)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
