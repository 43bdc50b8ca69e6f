import { Badge, Box, Stack, Tabs, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { isOneOf } from '../../domain/types.ts';
import { VIEW_LABELS, VIEWS, type View } from '../api/types.ts';
import { FilterBar } from '../common/FilterBar.tsx';
import { ConnectWarning } from '../connect/ConnectWarning.tsx';
import { PAGE_PARAMS, useFilters } from '../common/useFilters.ts';
import { changeQuery, queryParam, replaceQuery, useSearch } from '../router.ts';
import { EditDrawer } from './EditDrawer.tsx';
import { PostingsView } from './PostingsView.tsx';
import { useCounts } from './queries.ts';

// Manage Postings lists only the origins that make posting records (SPEC §3.1).
const POSTING_ORIGINS = ['connect', 'payment_page'] as const;

/** The view the address names (`?view=pending`); Pending/Incomplete where it names none (SPEC §7). */
export function viewOf(search: string): View {
  const named = new URLSearchParams(search).get('view');
  return isOneOf(VIEWS, named) ? named : 'pending_incomplete';
}

export function ManagePostings() {
  const search = useSearch();
  const view = useMemo(() => viewOf(search), [search]);
  const setView = (next: View) => changeQuery({ view: next, ...PAGE_PARAMS }, 'push');
  const filters = useFilters();
  const counts = useCounts(filters.filters);
  // A record opened by its address (a payout line links to its record, SPEC §5.3): its drawer, over whichever view.
  const [linked, setLinked] = useState(() => queryParam('record'));
  return (
    <Stack gap="sm">
      <Title order={2} size="h3">
        Manage Postings
      </Title>
      <ConnectWarning />
      <Tabs
        value={view}
        onChange={(value) => value && setView(value as View)}
        keepMounted={false}
        activateTabWithKeyboard
      >
        <Tabs.List aria-label="Views">
          {VIEWS.map((v) => (
            <Tabs.Tab
              key={v}
              value={v}
              rightSection={
                <Badge
                  size="sm"
                  variant={v === view ? 'filled' : 'light'}
                  color={v === 'incomplete' ? 'red' : undefined}
                  circle={false}
                >
                  {counts.data?.[v] ?? '…'}
                </Badge>
              }
            >
              {VIEW_LABELS[v]}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {/* Under the views, not above them: the views are a Tab press or two past "Skip to content". */}
        <Box pt="sm">
          <FilterBar filters={filters} origins={POSTING_ORIGINS} />
        </Box>
        {VIEWS.map((v) => (
          <Tabs.Panel key={v} value={v} pt="sm">
            {v === view && (
              <PostingsView
                view={v}
                filters={filters}
                pendingCount={counts.data?.pending ?? 0}
                countsFetching={counts.isFetching}
              />
            )}
          </Tabs.Panel>
        ))}
      </Tabs>
      <EditDrawer
        recordId={linked}
        onClose={() => {
          setLinked(null);
          replaceQuery({ record: null });
        }}
      />
    </Stack>
  );
}
