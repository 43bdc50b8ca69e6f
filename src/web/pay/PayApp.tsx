// Mantine's styles for just the components the payer's pages use (the staff app loads them all).
import '@mantine/core/styles/UnstyledButton.css';
import '@mantine/core/styles/Button.css';
import '@mantine/core/styles/CloseButton.css';
import '@mantine/core/styles/Paper.css';
import '@mantine/core/styles/Container.css';
import '@mantine/core/styles/Group.css';
import '@mantine/core/styles/Stack.css';
import '@mantine/core/styles/Text.css';
import '@mantine/core/styles/Title.css';
import '@mantine/core/styles/Alert.css';
import '@mantine/core/styles/Input.css';
import '@mantine/core/styles/InlineInput.css';
import '@mantine/core/styles/Checkbox.css';
import '@mantine/core/styles/FloatingIndicator.css';
import '@mantine/core/styles/SegmentedControl.css';
import '@mantine/core/styles/VisuallyHidden.css';
import './pay.css';
import { LinkPay } from './LinkPay.tsx';
import { PagePay } from './PagePay.tsx';
import { NotAvailable } from './PublicFrame.tsx';
import { payRouteOf } from './route.ts';

/** The payer's pages under /pay/: no sign-in, no staff screens, nothing asked of /me. */
export function PayApp({ path }: { path: string }) {
  const route = payRouteOf(path);
  switch (route.kind) {
    case 'page':
      return <PagePay key={route.slug} slug={route.slug} />;
    case 'link':
    case 'quick':
      return <LinkPay key={`${route.kind}/${route.token}`} kind={route.kind} token={route.token} />;
    case 'unknown':
      return <NotAvailable />;
  }
}
