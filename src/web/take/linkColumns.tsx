import { Text } from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import { callOnce } from '../api/call.ts';
import type { LinkStatus } from '../api/types.ts';
import type { RowAction } from '../common/ListScreen.tsx';
import { DateTime } from '../common/DateTime.tsx';
import { formatUsd } from '../common/format.ts';
import { LinkStatusBadge } from './LinkStatusBadge.tsx';

/** What a payment link and a quick link share: where it stands and when that changed or will. */
interface LinkLife {
  id: string;
  amountCents: number;
  payerEmail: string | null;
  status: LinkStatus;
  expiresAt: string;
  paidAt: string | null;
  cancelledAt: string | null;
}

/** When a link was paid or cancelled, or when it expires or expired: the same words for both kinds. */
export function linkWhen(link: LinkLife): { word: string; iso: string } {
  if (link.paidAt) return { word: 'paid', iso: link.paidAt };
  if (link.cancelledAt) return { word: 'cancelled', iso: link.cancelledAt };
  return { word: link.status === 'expired' ? 'expired' : 'expires', iso: link.expiresAt };
}

/** The Status and Expires / paid columns of the Quick Links and Sent payment links lists. */
export function linkStateColumns<T extends LinkLife>(): ColumnDef<T>[] {
  return [
    { id: 'status', header: 'Status', cell: ({ row }) => <LinkStatusBadge status={row.original.status} /> },
    {
      id: 'when',
      header: 'Expires / paid',
      cell: ({ row }) => {
        const { word, iso } = linkWhen(row.original);
        return (
          <Text size="sm" c="dimmed">
            <DateTime lead={word} iso={iso} />
          </Text>
        );
      },
    },
  ];
}

const RESEND_ROUTES = {
  payment: 'POST /payment-links/:id/resend',
  quick: 'POST /quick-links/:id/resend',
} as const;

/**
 * Resend of an outstanding link that has the payer's email: the payer gets a new address
 * by email and the old one stops working. A key per click, so the click is sent once even
 * when its request is repeated.
 */
export function resendAction<T extends LinkLife>(
  kind: keyof typeof RESEND_ROUTES,
  buttonLabel: (link: T) => string,
): RowAction<T> {
  return {
    label: 'Resend',
    can: (link) => link.status === 'outstanding' && link.payerEmail !== null,
    buttonLabel,
    run: async (link) => {
      const sent = await callOnce(RESEND_ROUTES[kind], crypto.randomUUID(), { params: { id: link.id }, body: {} });
      return `The link for ${formatUsd(link.amountCents)} is sent again to ${sent.to}, with a new address; the earlier one no longer works.`;
    },
  };
}
