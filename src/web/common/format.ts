import { formatUsd } from '../../domain/money.ts';
import { ACCOUNTS, type Account } from '../../domain/types.ts';

export { formatUsd };

// undefined: the browser's locale, so each firm sees dates the way it writes them.
const calendarFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
let dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
let dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

let firmTimeZone: string | undefined;

/**
 * Staff screens show moments on the firm's clock, the one its posting dates and date
 * filters count days by (SPEC §2), naming the zone when it is not the reader's own. Until
 * this is called (the payer's pages never call it) moments are shown in the reader's zone.
 */
export function setFirmTimeZone(timeZone: string): void {
  if (timeZone === firmTimeZone) return;
  firmTimeZone = timeZone;
  const own = new Intl.DateTimeFormat().resolvedOptions().timeZone;
  const named = new Intl.DateTimeFormat(undefined, { timeZone }).resolvedOptions().timeZone !== own;
  dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone });
  dateTimeFormat = named
    ? new Intl.DateTimeFormat(undefined, {
        year: 'numeric',
        month: 'short',
        day: 'numeric',
        hour: 'numeric',
        minute: '2-digit',
        timeZone,
        timeZoneName: 'short',
      })
    : new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone });
}

/**
 * A moment as the day it was on the firm's calendar (the reader's, on the payer's pages);
 * a calendar date (an invoice's YYYY-MM-DD) as the day it names: read as UTC midnight in
 * the reader's zone, Jan 5 would show as Jan 4 anywhere west of Greenwich.
 */
export function formatDate(iso: string): string {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (day) return calendarFormat.format(new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]))));
  return dateFormat.format(new Date(iso));
}

const monthFormat = new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** A month (YYYY-MM) as the reader names it: "January 2026". */
export function formatMonth(month: string): string {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  return monthFormat.format(new Date(Date.UTC(year, monthNumber - 1, 1)));
}

export function formatDateTime(iso: string): string {
  return dateTimeFormat.format(new Date(iso));
}

/**
 * formatDateTime in its two halves, the day (with what separates it from the time) and the
 * time, so a narrow column can break between them and nowhere else. The two joined are
 * formatDateTime's text; a locale that puts the time first is one half.
 */
export function formatDateTimeHalves(iso: string): [day: string, time: string] {
  const parts = dateTimeFormat.formatToParts(new Date(iso));
  const hour = parts.findIndex((p) => p.type === 'hour');
  const text = (from: number, to?: number) =>
    parts
      .slice(from, to)
      .map((p) => p.value)
      .join('')
      // format() gives a plain space before AM/PM where formatToParts gives a narrow one.
      .replaceAll('\u202f', ' ');
  if (hour <= 0) return [text(0), ''];
  return [text(0, hour), text(hour)];
}

/** "3 minutes ago": when something last happened (an agent's last contact), in the browser's words. */
export function formatAgo(sinceIso: string, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - new Date(sinceIso).getTime()) / 1000));
  const [value, unit] =
    seconds < 60
      ? ([seconds, 'second'] as const)
      : seconds < 3600
        ? ([Math.floor(seconds / 60), 'minute'] as const)
        : seconds < 86_400
          ? ([Math.floor(seconds / 3600), 'hour'] as const)
          : ([Math.floor(seconds / 86_400), 'day'] as const);
  return relative.format(-value, unit);
}

/**
 * A wait that ticks on screen: "42 s", "3 min 05 s", "2 h 04 min", "3 d 2 h". Two units at
 * most, the smaller padded so the text does not jump as it counts.
 */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const pad = (n: number) => String(n).padStart(2, '0');
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${pad(s % 60)} s`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${pad(Math.floor((s % 3600) / 60))} min`;
  return `${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3600)} h`;
}

/** A measured time such as a delivery's: "0.8 s" and "4.2 s" keep a decimal, "12 s" and "2 min 30 s" do not; "under 0.1 s" rather than "0.0 s". */
export function formatSeconds(seconds: number): string {
  const tenths = Math.round(Math.max(0, seconds) * 10);
  if (tenths === 0) return 'under 0.1 s';
  if (tenths < 100) return `${(tenths / 10).toFixed(1)} s`;
  const whole = Math.round(seconds);
  if (whole < 120) return `${whole} s`;
  return whole % 60 === 0 ? `${whole / 60} min` : `${Math.floor(whole / 60)} min ${whole % 60} s`;
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

export const ACCOUNT_LABELS: Record<Account, string> = { operating: 'Operating', trust: 'Trust' };

/** The deposit accounts as a select or a segmented control lists them. */
export const ACCOUNT_OPTIONS = ACCOUNTS.map((value) => ({ value, label: ACCOUNT_LABELS[value] }));

export function clientMatter(client: string | null, matter: string | null): string {
  if (!client && !matter) return '—';
  return [client, matter].filter(Boolean).join(' / ');
}

/** A record's id as a person reads and compares it: its first eight characters ("Record 86705ff2"). */
export function shortId(id: string): string {
  return id.slice(0, 8);
}
