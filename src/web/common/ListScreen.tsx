import { Button, Group, Modal, SegmentedControl, Stack, Text, Title, VisuallyHidden } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import type { ColumnDef } from '@tanstack/react-table';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type ReactNode } from 'react';
import { useCan } from '../session.ts';
import { DataTable } from './DataTable.tsx';
import { errorText } from './errors.ts';
import { EmptyState, ErrorState, LoadingState, OutcomeAlert, type Outcome } from './States.tsx';

/** What the create form is given: close its dialog, say how it went above the list, and reload the list. */
export interface CreateFormProps {
  close: () => void;
  announce: (outcome: Outcome) => void;
  refresh: () => Promise<unknown>;
}

/** Cancelling one row: which rows can be, the question asked first, and what is said once done. */
export interface CancelAction<T> {
  /** The dialog's title, e.g. "Cancel quick link". */
  title: string;
  /** The confirming button, e.g. "Cancel link". */
  confirm: string;
  can: (row: T) => boolean;
  /** The row's cancel button's accessible name. */
  buttonLabel: (row: T) => string;
  question: (row: T) => ReactNode;
  run: (row: T) => Promise<T>;
  done: (row: T) => string;
}

export interface ListScreenProps<T, F extends string> {
  title: string;
  description: string;
  /** The resource the list belongs to: every query of it is reloaded after a change. */
  resource: string;
  /** The list's query (its key from apiKey, its call), for the filter chosen (undefined: everything). */
  list: (filter: F | undefined) => { queryKey: readonly unknown[]; queryFn: () => Promise<{ items: T[] }> };
  /** An optional filter above the list: its choices, after "All", which shows everything. */
  filter?: { label: string; options: readonly F[] } | undefined;
  /** Names, in the plural, for the table and the loading label ("quick links"). */
  noun: string;
  empty: (filter: F | undefined) => string;
  columns: ColumnDef<T>[];
  getRowId: (row: T) => string;
  describeRow: (row: T) => string;
  /** The create button's label, the dialog's title and size, and the form inside it. */
  create: { label: string; title: string; size: string | number; form: (props: CreateFormProps) => ReactNode };
  cancel: CancelAction<T>;
}

const ALL = 'all';
const titleCase = (value: string) => value[0]!.toUpperCase() + value.slice(1);

/**
 * The scaffold of a list/create/cancel screen (Quick Links, Payment Schedules): a title,
 * a create button for accountants, an optional filter, the outcome of the last change,
 * the list in its loading, error and empty states, the create dialog and the dialog
 * that confirms a cancel. A screen gives only its columns, its form and its cancel action.
 */
export function ListScreen<T, F extends string = never>(props: ListScreenProps<T, F>) {
  const { cancel, create, filter: filterChoice } = props;
  const canChange = useCan('accountant');
  const queryClient = useQueryClient();
  const [filter, setFilter] = useState<F | undefined>(undefined);
  const [creating, setCreating] = useState(false);
  const [cancelling, setCancelling] = useState<T | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const list = useQuery({ ...props.list(filter), placeholderData: filterChoice ? keepPreviousData : undefined });
  const refresh = () => queryClient.invalidateQueries({ queryKey: [props.resource] });
  const cancelMutation = useMutation({
    mutationFn: cancel.run,
    onSuccess: (row) => setOutcome({ ok: true, text: cancel.done(row) }),
    onError: (error) => setOutcome({ ok: false, text: errorText(error) }),
    onSettled: async () => {
      setCancelling(null);
      await refresh();
    },
  });
  const columns = useMemo(
    () => (canChange ? [...props.columns, cancelColumn(cancel, setCancelling)] : props.columns),
    [canChange, props.columns, cancel],
  );
  const items = list.data?.items ?? [];

  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Title order={2} size="h3">
            {props.title}
          </Title>
          <Text size="sm" c="dimmed">
            {props.description}
          </Text>
        </Stack>
        {canChange && (
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setCreating(true)}>
            {create.label}
          </Button>
        )}
      </Group>
      {filterChoice && (
        <SegmentedControl
          aria-label={filterChoice.label}
          w="fit-content"
          size="xs"
          value={filter ?? ALL}
          onChange={(v) => setFilter(filterChoice.options.find((f) => f === v))}
          data={[ALL, ...filterChoice.options].map((f) => ({ value: f, label: titleCase(f) }))}
        />
      )}
      <OutcomeAlert outcome={outcome} onDismiss={() => setOutcome(null)} />
      {list.isPending ? (
        <LoadingState label={`Loading ${props.noun}`} />
      ) : list.error ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState>{props.empty(filter)}</EmptyState>
      ) : (
        <DataTable
          label={titleCase(props.noun)}
          data={items}
          columns={columns}
          getRowId={props.getRowId}
          describeRow={props.describeRow}
        />
      )}
      {canChange && (
        <Modal opened={creating} onClose={() => setCreating(false)} title={create.title} centered size={create.size}>
          {create.form({ close: () => setCreating(false), announce: setOutcome, refresh })}
        </Modal>
      )}
      <Modal opened={cancelling !== null} onClose={() => setCancelling(null)} title={cancel.title} centered>
        <Text>{cancelling !== null && cancel.question(cancelling)}</Text>
        <Group justify="flex-end" mt="lg">
          <Button variant="default" onClick={() => setCancelling(null)}>
            Keep it
          </Button>
          <Button
            color="red"
            loading={cancelMutation.isPending}
            onClick={() => cancelling !== null && cancelMutation.mutate(cancelling)}
          >
            {cancel.confirm}
          </Button>
        </Group>
      </Modal>
    </Stack>
  );
}

function cancelColumn<T>(cancel: CancelAction<T>, onCancel: (row: T) => void): ColumnDef<T> {
  return {
    id: 'cancel',
    header: () => <VisuallyHidden>Cancel</VisuallyHidden>,
    cell: ({ row }) =>
      cancel.can(row.original) ? (
        <Button
          size="compact-xs"
          variant="subtle"
          color="red"
          onClick={() => onCancel(row.original)}
          aria-label={cancel.buttonLabel(row.original)}
        >
          Cancel…
        </Button>
      ) : null,
  };
}
