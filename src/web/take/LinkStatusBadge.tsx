import { Badge } from '@mantine/core';
import type { LinkStatus } from '../api/types.ts';

const STATUS_COLORS: Record<LinkStatus, string> = {
  outstanding: 'blue',
  paid: 'green',
  cancelled: 'gray',
  expired: 'orange',
};
const NO_CLIP = { root: { overflow: 'visible' }, label: { overflow: 'visible' } };

/** A quick link's or payment link's status, one colour each; its own module so each screen's chunk stays its own. */
export function LinkStatusBadge({ status }: { status: LinkStatus }) {
  return (
    <Badge size="sm" variant="light" color={STATUS_COLORS[status]} styles={NO_CLIP}>
      {status}
    </Badge>
  );
}
