import { Stack, Tabs, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { lazyScreen, ScreenLoading } from '../common/lazyScreen.tsx';
import { CONNECT_STATUS_PATH } from '../connect/ConnectWarning.tsx';
import { usePath } from '../router.ts';
import { useCan } from '../session.ts';
import { TwoFactorPanel } from '../TwoFactor.tsx';

// Each section is its own chunk, loaded when its tab is first opened.
const FirmSettings = lazyScreen(() => import('./FirmSettings.tsx'), 'FirmSettings');
const DepositAccounts = lazyScreen(() => import('./DepositAccounts.tsx'), 'DepositAccounts');
const PaymentPages = lazyScreen(() => import('./PaymentPages.tsx'), 'PaymentPages');
const Tokens = lazyScreen(() => import('./Tokens.tsx'), 'Tokens');
const Users = lazyScreen(() => import('./Users.tsx'), 'Users');
const Notifications = lazyScreen(() => import('./Notifications.tsx'), 'Notifications');
const Outbox = lazyScreen(() => import('./Outbox.tsx'), 'Outbox');
const WebhookEndpoints = lazyScreen(() => import('./WebhookEndpoints.tsx'), 'WebhookEndpoints');
const AuditLog = lazyScreen(() => import('./AuditLog.tsx'), 'AuditLog');
const ConnectStatus = lazyScreen(() => import('../connect/ConnectStatus.tsx'), 'ConnectStatus');

const SECTIONS = [
  { value: 'firm', label: 'Firm', Screen: FirmSettings },
  { value: 'deposit-accounts', label: 'Deposit accounts', Screen: DepositAccounts },
  { value: 'pages', label: 'Payment pages', Screen: PaymentPages },
  { value: 'tokens', label: 'Tokens', Screen: Tokens },
  { value: 'users', label: 'Users', Screen: Users },
  { value: 'notifications', label: 'Notifications', Screen: Notifications },
  { value: 'mail', label: 'Mail', Screen: Outbox },
  { value: 'webhooks', label: 'Webhooks', Screen: WebhookEndpoints },
  { value: 'audit', label: 'Audit log', Screen: AuditLog },
  { value: 'connect', label: 'Connect status', Screen: ConnectStatus },
  { value: 'two-factor', label: 'Two-factor', Screen: TwoFactorPanel },
];

/** Connect status and a user's own notifications are every user's (SPEC §5.2); the firm's settings, its mail, deposit accounts, pages, tokens, users, webhooks and audit log are its admins'. */
export function Settings() {
  const isAdmin = useCan('admin');
  const path = usePath();
  const [tab, setTab] = useState(path === CONNECT_STATUS_PATH ? 'connect' : 'firm');
  if (!isAdmin) {
    return (
      <Stack gap="sm">
        <Title order={2} size="h3">
          Settings
        </Title>
        <Title order={3} size="h4">
          Connect status
        </Title>
        <ScreenLoading>
          <ConnectStatus />
        </ScreenLoading>
        <Title order={3} size="h4">
          Notifications
        </Title>
        <ScreenLoading>
          <Notifications />
        </ScreenLoading>
        <Title order={3} size="h4">
          Two-factor sign-in
        </Title>
        <TwoFactorPanel />
        <Text size="sm" c="dimmed">
          The firm's other settings are for its admins.
        </Text>
      </Stack>
    );
  }
  return (
    <Stack gap="sm">
      <Title order={2} size="h3">
        Settings
      </Title>
      <Tabs value={tab} onChange={(value) => value && setTab(value)} keepMounted={false}>
        <Tabs.List aria-label="Settings sections">
          {SECTIONS.map(({ value, label }) => (
            <Tabs.Tab key={value} value={value}>
              {label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {SECTIONS.map(({ value, Screen }) => (
          <Tabs.Panel key={value} value={value} pt="md">
            <ScreenLoading>
              <Screen />
            </ScreenLoading>
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
}
