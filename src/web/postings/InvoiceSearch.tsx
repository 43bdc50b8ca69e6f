import { apiKey, call } from '../api/call.ts';
import type { Invoice } from '../api/types.ts';
import { formatDate, formatUsd } from '../common/format.ts';
import { SearchPicker } from '../common/SearchPicker.tsx';

interface Props {
  onPick: (invoice: Invoice) => void;
  picked: readonly string[];
  /** Only open invoices (paying them); a reallocation may also need to find a closed one. */
  openOnly?: boolean | undefined;
}

/** Search the firm's synced invoices by number, client or matter, as the accountant types. */
export function InvoiceSearch({ onPick, picked, openOnly = false }: Props) {
  const status = openOnly ? 'open' : undefined;
  return (
    <SearchPicker
      label="Search invoices"
      description="By invoice number, client or matter"
      listLabel="Matching invoices"
      noMatch={(q) => `No ${openOnly ? 'open ' : ''}invoice matches “${q}”.`}
      search={(q) => ({
        queryKey: apiKey('GET /invoices', { query: { q, status, limit: 8 } }),
        queryFn: () => call('GET /invoices', { query: { q, status, limit: 8 } }),
      })}
      describe={(invoice: Invoice) => ({
        key: invoice.invoiceNumber,
        name: `invoice ${invoice.invoiceNumber}`,
        text: (
          <>
            <b>{invoice.invoiceNumber}</b> · {invoice.clientName} ({invoice.clientNumber}/{invoice.matterNumber}) ·{' '}
            {formatDate(invoice.invoiceDate)} · available {formatUsd(invoice.availableCents)}
            {invoice.status !== 'open' ? ` · ${invoice.status}` : ''}
          </>
        ),
        // Paying an invoice with nothing left open could only be refused as exceeds_balance.
        disabled: picked.includes(invoice.invoiceNumber) || (openOnly && invoice.availableCents <= 0),
      })}
      onPick={onPick}
    />
  );
}
