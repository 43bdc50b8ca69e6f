import { AppShell, Badge, Button, Group, NavLink, Text, Title } from '@mantine/core';
import { IconCash, IconFileStack, IconListCheck, IconSettings } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { api, setCsrfToken } from './api/client.ts';
import { Batches } from './batches/Batches.tsx';
import { PaymentManager } from './payments/PaymentManager.tsx';
import { ManagePostings } from './postings/ManagePostings.tsx';
import { navigate, screenOf, SCREEN_PATHS, usePath, type Screen } from './router.ts';
import { useCan, useMe } from './session.ts';
import { Settings } from './settings/Settings.tsx';

const NAV: { screen: Screen; label: string; icon: typeof IconCash; admin?: boolean }[] = [
  { screen: 'postings', label: 'Manage Postings', icon: IconListCheck },
  { screen: 'payments', label: 'Payment Manager', icon: IconCash },
  { screen: 'batches', label: 'Batches', icon: IconFileStack },
  { screen: 'settings', label: 'Settings', icon: IconSettings, admin: true },
];

function Header() {
  const me = useMe();
  const queryClient = useQueryClient();
  const signOut = async () => {
    await api('DELETE', '/session').catch(() => undefined);
    setCsrfToken(null);
    queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'me' });
    navigate('/');
    // Asking /me again answers 401, which shows Sign in.
    await queryClient.resetQueries({ queryKey: ['me'] });
  };
  return (
    <Group h="100%" px="md" justify="space-between" wrap="nowrap">
      <Group gap="sm" wrap="nowrap">
        <Title order={1} size="h4" c="indigo.8">
          paybridge
        </Title>
        <Text fw={600} truncate>
          {me.firm.name}
        </Text>
      </Group>
      <Group gap="sm" wrap="nowrap">
        <Text size="sm">{me.user.email}</Text>
        <Badge variant="light" aria-label={`role ${me.user.role}`}>
          {me.user.role}
        </Badge>
        <Button variant="default" size="xs" onClick={() => void signOut()}>
          Sign out
        </Button>
      </Group>
    </Group>
  );
}

export function Shell() {
  const screen = screenOf(usePath());
  const isAdmin = useCan('admin');
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 190, breakpoint: 0 }} padding="md">
      <AppShell.Header>
        <Header />
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label="Screens">
        {NAV.filter((item) => !item.admin || isAdmin).map(({ screen: target, label, icon: Icon }) => (
          <NavLink
            key={target}
            href={SCREEN_PATHS[target]}
            label={label}
            styles={{ label: { whiteSpace: 'nowrap' } }}
            leftSection={<Icon size={18} aria-hidden />}
            active={screen === target}
            aria-current={screen === target ? 'page' : undefined}
            onClick={(event) => {
              event.preventDefault();
              navigate(SCREEN_PATHS[target]);
            }}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        {screen === 'postings' && <ManagePostings />}
        {screen === 'payments' && <PaymentManager />}
        {screen === 'batches' && <Batches />}
        {screen === 'settings' && (isAdmin ? <Settings /> : <Text>Settings are for the firm's admins.</Text>)}
      </AppShell.Main>
    </AppShell>
  );
}
