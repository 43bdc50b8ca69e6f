import { useNow } from './clock.ts';
import { formatDuration } from './format.ts';

/** How long since `since`, ticking every second: "3 min 05 s". */
export function Waited({ since }: { since: string }) {
  const now = useNow();
  return <>{formatDuration((now - Date.parse(since)) / 1000)}</>;
}
