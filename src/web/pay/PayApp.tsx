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
