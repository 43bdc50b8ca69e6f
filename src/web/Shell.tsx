import './shell.css';
import { AppShell, Badge, Burger, Button, Group, NavLink, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
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
import { lazyScreen, ScreenLoading } from './common/lazyScreen.tsx';
import { useLiveUpdates } from './live/useLive.ts';
import { navigate, screenOf, SCREEN_PATHS, usePath, type Screen } from './router.ts';
import type { Role } from './api/types.ts';
import { useCan, useMe } from './session.ts';
import { TakeOnly } from './take/TakeOnly.tsx';

// Each screen is its own chunk, loaded the first time it is opened.
const ManagePostings = lazyScreen(() => import('./postings/ManagePostings.tsx'), 'ManagePostings');
const PaymentManager = lazyScreen(() => import('./payments/PaymentManager.tsx'), 'PaymentManager');
const MakePayment = lazyScreen(() => import('./take/MakePayment.tsx'), 'MakePayment');
const EnterPayment = lazyScreen(() => import('./take/EnterPayment.tsx'), 'EnterPayment');
const QuickLinks = lazyScreen(() => import('./take/QuickLinks.tsx'), 'QuickLinks');
const PaymentSchedules = lazyScreen(() => import('./take/PaymentSchedules.tsx'), 'PaymentSchedules');
const Deposits = lazyScreen(() => import('./deposits/Deposits.tsx'), 'Deposits');
const Batches = lazyScreen(() => import('./batches/Batches.tsx'), 'Batches');
const Settings = lazyScreen(() => import('./settings/Settings.tsx'), 'Settings');

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

const MAIN_ID = 'main';

/** The first thing Tab reaches: past the header and the screens' links, straight to the screen. */
function SkipLink() {
  return (
    <a
      className="pb-skip-link"
      href={`#${MAIN_ID}`}
      onClick={(event) => {
        // Focus, not the address's fragment: the screens keep their state in the path and query.
        event.preventDefault();
        document.getElementById(MAIN_ID)?.focus();
      }}
    >
      Skip to content
    </a>
  );
}

function Header({ navOpened, toggleNav }: { navOpened: boolean; toggleNav: () => void }) {
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
    <Group h="100%" px={{ base: 'xs', sm: 'md' }} justify="space-between" wrap="nowrap" gap="xs">
      <Group gap="sm" wrap="nowrap" miw={0}>
        {/* Below 48em the screens' links fold away behind this button. */}
        <Burger
          opened={navOpened}
          onClick={toggleNav}
          hiddenFrom="sm"
          size="sm"
          aria-label="Screens menu"
          aria-expanded={navOpened}
          aria-controls="pb-screens"
        />
        <Title order={1} size="h4" c="indigo.8">
          paybridge
        </Title>
        <Text fw={600} truncate visibleFrom="xs">
          {me.firm.name}
        </Text>
      </Group>
      <Group gap="sm" wrap="nowrap">
        <Text size="sm" visibleFrom="md">
          {me.user.email}
        </Text>
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

interface ScreenLinkProps {
  item: NavItem;
  current: Screen;
  icon?: React.ReactNode;
  /** Called once the link moved: a phone's menu folds away. */
  onMoved: () => void;
}

function ScreenLink({ item, current, icon, onMoved }: ScreenLinkProps) {
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
        onMoved();
      }}
    />
  );
}

export function Shell() {
  useLiveUpdates();
  const screen = screenOf(usePath());
  const [navOpened, nav] = useDisclosure(false);
  const isAdmin = useCan('admin');
  const isAccountant = useCan('accountant');
  const allowed = (item: NavItem) => item.role === undefined || (item.role === 'admin' ? isAdmin : isAccountant);
  const link = (item: TopItem) => (
    <ScreenLink
      key={item.screen}
      item={item}
      current={screen}
      icon={<item.icon size={18} aria-hidden />}
      onMoved={nav.close}
    />
  );
  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 200, breakpoint: 'sm', collapsed: { mobile: !navOpened } }}
      padding={{ base: 'xs', sm: 'md' }}
    >
      <AppShell.Header>
        <SkipLink />
        <Header navOpened={navOpened} toggleNav={nav.toggle} />
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label="Screens" id="pb-screens">
        {NAV_ABOVE.filter(allowed).map(link)}
        <NavLink
          label="Take Payments"
          leftSection={<IconCreditCard size={18} aria-hidden />}
          styles={{ label: { whiteSpace: 'nowrap' } }}
          defaultOpened
          childrenOffset={28}
        >
          {TAKE_NAV.filter(allowed).map((item) => (
            <ScreenLink key={item.screen} item={item} current={screen} onMoved={nav.close} />
          ))}
        </NavLink>
        {NAV_BELOW.filter(allowed).map(link)}
      </AppShell.Navbar>
      <AppShell.Main id={MAIN_ID} tabIndex={-1}>
        <ScreenLoading>
          <ScreenOf screen={screen} />
        </ScreenLoading>
      </AppShell.Main>
    </AppShell>
  );
}

function ScreenOf({ screen }: { screen: Screen }) {
  return (
    <>
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
    </>
  );
}
