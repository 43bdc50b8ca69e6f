import { Stack, Tabs, Title } from '@mantine/core';
import { FirmSettings } from './FirmSettings.tsx';
import { PaymentPages } from './PaymentPages.tsx';
import { Tokens } from './Tokens.tsx';
import { Users } from './Users.tsx';

export function Settings() {
  return (
    <Stack gap="sm">
      <Title order={2} size="h3">Settings</Title>
      <Tabs defaultValue="firm" keepMounted={false}>
        <Tabs.List aria-label="Settings sections">
          <Tabs.Tab value="firm">Firm</Tabs.Tab>
          <Tabs.Tab value="pages">Payment pages</Tabs.Tab>
          <Tabs.Tab value="tokens">Tokens</Tabs.Tab>
          <Tabs.Tab value="users">Users</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="firm" pt="md"><FirmSettings /></Tabs.Panel>
        <Tabs.Panel value="pages" pt="md"><PaymentPages /></Tabs.Panel>
        <Tabs.Panel value="tokens" pt="md"><Tokens /></Tabs.Panel>
        <Tabs.Panel value="users" pt="md"><Users /></Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
