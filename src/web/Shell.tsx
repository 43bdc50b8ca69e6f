import { AppShell, Badge, Button, Group, NavLink, Text, Title } from '@mantine/core';
import {
  IconBuildingBank,
  IconCash,
  IconCreditCard,
  IconFileStack,
  IconListCheck,
  IconSettings,
} from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { call } from './api/call.ts';
import { setCsrfToken } from './api/client.ts';
import { Batches } from './batches/Batches.tsx';
import { Deposits } from './deposits/Deposits.tsx';
import { PaymentManager } from './payments/PaymentManager.tsx';
import { useLiveUpdates } from './live/useLive.ts';
import { ManagePostings } from './postings/ManagePostings.tsx';
import { navigate, screenOf, SCREEN_PATHS, usePath, type Screen } from './router.ts';
import type { Role } from './api/types.ts';
import { useCan, useMe } from './session.ts';
import { Settings } from './settings/Settings.tsx';
import { EnterPayment } from './take/EnterPayment.tsx';
import { MakePayment } from './take/MakePayment.tsx';
import { PaymentSchedules } from './take/PaymentSchedules.tsx';
import { QuickLinks } from './take/QuickLinks.tsx';
import { TakeOnly } from './take/TakeOnly.tsx';

interface NavItem {
  screen: Screen;
  label: string;
  /** The least role that may use the screen; a viewer reads every other one. */
  role?: Role;
}

type TopItem = NavItem & { icon: typeof IconCash };

// Taking payments is a group of its own, between the payments the firm has and the batches it sends.
const NAV_ABOVE: TopItem[] = [
  { screen: 'postings', label: 'Manage Postings', icon: IconListCheck },
  { screen: 'payments', label: 'Payment Manager', icon: IconCash },
];
const NAV_BELOW: TopItem[] = [
  { screen: 'deposits', label: 'Deposits', icon: IconBuildingBank },
  { screen: 'batches', label: 'Batches', icon: IconFileStack },
  // Everyone sees Connect status there; the rest of Settings is the admins'.
  { screen: 'settings', label: 'Settings', icon: IconSettings },
];
const TAKE_NAV: NavItem[] = [
  { screen: 'make-payment', label: 'Make A Payment', role: 'accountant' },
  { screen: 'enter-payment', label: 'Enter Payment', role: 'accountant' },
  { screen: 'quick-links', label: 'Quick Links' },
  { screen: 'schedules', label: 'Payment Schedules' },
];

function Header() {
  const me = useMe();
  const queryClient = useQueryClient();
  const signOut = async () => {
    await call('DELETE /session').catch(() => undefined);
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

function ScreenLink({ item, current, icon }: { item: NavItem; current: Screen; icon?: React.ReactNode }) {
  return (
    <NavLink
      href={SCREEN_PATHS[item.screen]}
      label={item.label}
      styles={{ label: { whiteSpace: 'nowrap' } }}
      leftSection={icon}
      active={current === item.screen}
      aria-current={current === item.screen ? 'page' : undefined}
      onClick={(event) => {
        event.preventDefault();
        navigate(SCREEN_PATHS[item.screen]);
      }}
    />
  );
}

export function Shell() {
  useLiveUpdates();
  const screen = screenOf(usePath());
  const isAdmin = useCan('admin');
  const isAccountant = useCan('accountant');
  const allowed = (item: NavItem) => item.role === undefined || (item.role === 'admin' ? isAdmin : isAccountant);
  const link = (item: TopItem) => (
    <ScreenLink key={item.screen} item={item} current={screen} icon={<item.icon size={18} aria-hidden />} />
  );
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 200, breakpoint: 0 }} padding="md">
      <AppShell.Header>
        <Header />
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label="Screens">
        {NAV_ABOVE.filter(allowed).map(link)}
        <NavLink
          label="Take Payments"
          leftSection={<IconCreditCard size={18} aria-hidden />}
          styles={{ label: { whiteSpace: 'nowrap' } }}
          defaultOpened
          childrenOffset={28}
        >
          {TAKE_NAV.filter(allowed).map((item) => (
            <ScreenLink key={item.screen} item={item} current={screen} />
          ))}
        </NavLink>
        {NAV_BELOW.filter(allowed).map(link)}
      </AppShell.Navbar>
      <AppShell.Main>
        {screen === 'postings' && <ManagePostings />}
        {screen === 'payments' && <PaymentManager />}
        {screen === 'make-payment' && (
          <TakeOnly>
            <MakePayment />
          </TakeOnly>
        )}
        {screen === 'enter-payment' && (
          <TakeOnly>
            <EnterPayment />
          </TakeOnly>
        )}
        {screen === 'quick-links' && <QuickLinks />}
        {screen === 'schedules' && <PaymentSchedules />}
        {screen === 'deposits' && <Deposits />}
        {screen === 'batches' && <Batches />}
        {screen === 'settings' && <Settings />}
      </AppShell.Main>
    </AppShell>
  );
}
