import { formatUsd } from '../../domain/money.ts';

export { formatUsd };

// undefined: the browser's locale, so each firm sees dates the way it writes them.
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

// A calendar date (YYYY-MM-DD: an invoice date, a schedule's next run) is the same day
// everywhere; read as an instant it would show the day before west of Greenwich.
const calendarFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A timestamp's day in the browser's time zone, or a calendar date as it is written. */
export function formatDate(iso: string): string {
  return CALENDAR_DATE.test(iso) ? calendarFormat.format(new Date(`${iso}T00:00:00Z`)) : dateFormat.format(new Date(iso));
}

export function formatDateTime(iso: string): string {
  return dateTimeFormat.format(new Date(iso));
}

/** "for 3 minutes" / "for 2 hours": how long a record has waited since it was queued. */
export function formatWaited(sinceIso: string, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - new Date(sinceIso).getTime()) / 1000));
  const [value, unit] =
    seconds < 60 ? [seconds, 'second'] as const
    : seconds < 3600 ? [Math.floor(seconds / 60), 'minute'] as const
    : seconds < 86_400 ? [Math.floor(seconds / 3600), 'hour'] as const
    : [Math.floor(seconds / 86_400), 'day'] as const;
  // "3 minutes ago" says the same as "waited 3 minutes" and is translated by the browser.
  return relative.format(-value, unit);
}

export function methodText(method: string, cardBrand: string | null, last4: string | null): string {
  const name = method === 'echeck' ? 'eCheck' : cardBrand ? cardBrand[0]!.toUpperCase() + cardBrand.slice(1) : 'Card';
  return last4 ? `${name} ••${last4}` : name;
}

export const ORIGIN_LABELS: Record<string, string> = {
  connect: 'Connect',
  payment_page: 'Payment page',
  enter_payment: 'Entered by staff',
  payment_schedule: 'Schedule',
  quick_link: 'Quick link',
};

export function clientMatter(client: string | null, matter: string | null): string {
  if (!client && !matter) return '—';
  return [client, matter].filter(Boolean).join(' / ');
}
