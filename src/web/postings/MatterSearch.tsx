import { apiKey, call } from '../api/call.ts';
import type { Matter } from '../api/types.ts';
import { SearchPicker } from '../common/SearchPicker.tsx';

interface Props {
  onPick: (matter: Matter) => void;
  /** The client/matter pairs already on a line, as `client/matter`. */
  picked: readonly string[];
}

export const matterKey = (clientNumber: string, matterNumber: string) =>
  `${clientNumber.trim()}/${matterNumber.trim()}`;

/**
 * Search the firm's synced matters by client or matter, as the accountant types: trust
 * money can only go to a matter the MMS has, so this is where the accountant finds it.
 */
export function MatterSearch({ onPick, picked }: Props) {
  return (
    <SearchPicker
      label="Search matters"
      description="By client number or name, matter number or description"
      listLabel="Matching matters"
      noMatch={(q) => `No matter matches “${q}”.`}
      search={(q) => ({
        queryKey: apiKey('GET /matters', { query: { q, limit: 8 } }),
        queryFn: () => call('GET /matters', { query: { q, limit: 8 } }),
      })}
      describe={(matter: Matter) => {
        const key = matterKey(matter.clientNumber, matter.matterNumber);
        return {
          key,
          name: `matter ${key}`,
          text: (
            <>
              <b>{key}</b> · {matter.clientName} · {matter.description || 'no description'}
            </>
          ),
          disabled: picked.includes(key),
        };
      }}
      onPick={onPick}
    />
  );
}
