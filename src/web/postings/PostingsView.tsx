import { Alert, Group, Text } from '@mantine/core';
import { IconHourglass } from '@tabler/icons-react';
import type { RowSelectionState } from '@tanstack/react-table';
import { useEffect, useMemo, useRef, useState } from 'react';
import { VIEW_LABELS, type PostingRecord, type View } from '../api/types.ts';
import { DataTable } from '../common/DataTable.tsx';
import { PagerBar } from '../common/PagerBar.tsx';
import { EmptyState, ErrorState, LoadingState } from '../common/States.tsx';
import { useExport } from '../common/useExport.ts';
import type { Filters } from '../common/useFilters.ts';
import { usePager } from '../common/usePager.ts';
import { usualDeliveryText } from '../connect/deliveryText.ts';
import { useConnectStatus } from '../connect/queries.ts';
import { useCan } from '../session.ts';
import { ActionBar } from './ActionBar.tsx';
import { describeRecord, postingColumns } from './columns.tsx';
import { EditDrawer } from './EditDrawer.tsx';
import { usePostings } from './queries.ts';
import { usePostingActions } from './useActions.ts';

/** The Queued view says how long delivery takes, as measured, not as promised. */
function QueuedNote() {
  const status = useConnectStatus();
  const usual = usualDeliveryText(status.data?.deliverySeconds);
  return (
    <Alert color="blue" variant="light" role="note" mb="xs" py={6} icon={<IconHourglass size={18} aria-hidden />}>
      Each batch waits here until the Connect agent delivers it to the matter management system. {usual ?? ''}
    </Alert>
  );
}

const INCOMPLETE_BOX = { outline: '2px solid var(--mantine-color-red-6)', outlineOffset: '-2px' };

interface Props {
  view: View;
  filters: Filters;
  /** The pending records under the filters. */
  pendingCount: number;
  countsFetching: boolean;
}

export function PostingsView({ view, filters, pendingCount, countsFetching }: Props) {
  const pager = usePager(`${view}|${filters.key}`);
  const list = usePostings({
    view,
    filters: filters.filters,
    sort: filters.sortParam,
    cursor: pager.cursor,
    limit: pager.limit,
  });
  const [selection, setSelection] = useState<RowSelectionState>({});
  const [open, setOpen] = useState<{ id: string; editing: boolean } | null>(null);
  const canChange = useCan('accountant');
  const actions = usePostingActions(() => setSelection({}));
  // An action's outcome takes the focus: the button pressed is disabled or gone once its rows
  // have moved, and focus would otherwise drop to the page's body.
  const resultRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (actions.result) resultRef.current?.focus();
  }, [actions.result]);
  const exporter = useExport('GET /postings/export.xlsx', 'postings.xlsx');
  const items = useMemo(() => list.data?.items ?? [], [list.data]);
  // Only rows on the page shown can be selected; paging or filtering drops the rest.
  const selected = items.filter((r) => selection[r.id]);
  // Posted, Queued and All (Read Only) offer nothing that acts on a selection.
  const readOnly = !canChange || view === 'all' || view === 'posted' || view === 'queued';
  const canEdit = canChange && view !== 'all';
  const columns = useMemo(
    () =>
      postingColumns(view, canEdit, (r: PostingRecord) =>
        setOpen({ id: r.id, editing: canEdit && (r.status === 'pending' || r.status === 'incomplete') }),
      ),
    [view, canEdit],
  );

  return (
    // aria-busy while rows or counts are being fetched, so assistive tech (and the browser tests) know when they are current.
    <section aria-label={`${VIEW_LABELS[view]} view`} aria-busy={list.isFetching || countsFetching || actions.busy}>
      <Group justify="space-between" mb="xs">
        <ActionBar
          view={view}
          selected={selected}
          pendingCount={pendingCount}
          filtered={filters.active}
          actions={actions}
          exporting={exporter.exporting}
          onExport={() => exporter.run({ query: { view, ...filters.filters, sort: filters.sortParam } })}
        />
        {selected.length > 0 && <Text size="sm">{selected.length} selected</Text>}
      </Group>
      {view === 'queued' && <QueuedNote />}
      {actions.result && (
        <Alert
          ref={resultRef}
          tabIndex={-1}
          color={actions.result.ok ? 'green' : 'red'}
          mb="xs"
          withCloseButton
          closeButtonLabel="Dismiss"
          onClose={actions.clearResult}
          role={actions.result.ok ? 'status' : 'alert'}
        >
          {actions.result.text}
        </Alert>
      )}
      {list.isPending ? (
        <LoadingState label="Loading records" />
      ) : list.error ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState>
          No records in {VIEW_LABELS[view]}
          {filters.active ? ' match these filters' : ''}.
        </EmptyState>
      ) : (
        <DataTable
          label={`${VIEW_LABELS[view]} records`}
          data={items}
          columns={columns}
          getRowId={(r) => r.id}
          describeRow={describeRecord}
          selection={readOnly ? undefined : { selected: selection, onChange: setSelection }}
          rowStyle={(r) => (r.status === 'incomplete' ? INCOMPLETE_BOX : undefined)}
          sorting={filters.sorting}
          dense
        />
      )}
      <PagerBar pager={pager} nextCursor={list.data?.nextCursor} shown={items.length} />
      <EditDrawer
        recordId={open?.id ?? null}
        onClose={() => setOpen(null)}
        title={open?.editing === false ? 'Posting record' : 'Edit Posting Record'}
      />
    </section>
  );
}
