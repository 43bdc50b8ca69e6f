import { formatDateTimeHalves } from './format.ts';

const WHOLE = { whiteSpace: 'nowrap' } as const;

/**
 * A moment in a narrow table column: on one line where it fits, else the day over the
 * time, never broken inside either ("Dec 3, 2026," / "2:02 AM CST", not three lines).
 */
export function DateTime({
  iso,
  lead,
}: {
  iso: string;
  /** Words kept on the day's line: "expires". */ lead?: string;
}) {
  const [day, time] = formatDateTimeHalves(iso);
  const trimmed = day.trimEnd();
  return (
    <>
      <span style={WHOLE}>
        {lead === undefined ? '' : `${lead} `}
        {trimmed}
      </span>
      {day.slice(trimmed.length)}
      <span style={WHOLE}>{time}</span>
    </>
  );
}
