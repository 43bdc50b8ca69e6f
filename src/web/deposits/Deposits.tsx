import { usePath } from '../router.ts';
import { DepositList } from './DepositList.tsx';
import { depositsPageOf } from './paths.ts';
import { PayoutDetail } from './PayoutDetail.tsx';
import { Statement } from './Statement.tsx';

/** The Deposits screen: its list, a payout, or a month's statement, by the address. */
export function Deposits() {
  const page = depositsPageOf(usePath());
  if (page.page === 'statement') return <Statement />;
  if (page.page === 'payout') return <PayoutDetail key={page.id} id={page.id} />;
  return <DepositList />;
}
