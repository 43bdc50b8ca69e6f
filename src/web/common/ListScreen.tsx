import { Button, Group, Modal, SegmentedControl, Stack, Text, Title, VisuallyHidden } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import type { ColumnDef } from '@tanstack/react-table';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useMemo, useState, type ReactNode } from 'react';
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

/** Another change to one row, done at once (Resend): which rows it applies to, and what it says once done. */
export interface RowAction<T> {
  /** The button's text, e.g. "Resend". */
  label: string;
  can: (row: T) => boolean;
  /** The button's accessible name. */
  buttonLabel: (row: T) => string;
  /** Does it and says, for above the list, what was done. */
  run: (row: T) => Promise<string>;
}

export interface ListScreenProps<T, F extends string> {
  title: string;
  description?: string | undefined;
  /** 3 for a list inside another screen: a section under that screen's heading. 2 when not given. */
  level?: 2 | 3;
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
  /** The create button's label, the dialog's title and size, and the form inside it; none for a list made elsewhere. */
  create?: { label: string; title: string; size: string | number; form: (props: CreateFormProps) => ReactNode };
  /** Row buttons before Cancel. */
  actions?: RowAction<T>[];
  cancel: CancelAction<T>;
  /** For a list whose rows may hold nothing to focus (see DataTable). */
  focusableScroll?: boolean;
  /** Smaller type, for a list of many columns (see DataTable). */
  dense?: boolean;
}

const ALL = 'all';
const NO_ACTIONS: RowAction<never>[] = [];
const titleCase = (value: string) => value[0]!.toUpperCase() + value.slice(1);

/**
 * The scaffold of a list/create/cancel screen (Quick Links, Payment Schedules, the sent
 * payment links): a title, a create button for accountants, an optional filter, the
 * outcome of the last change, the list in its loading, error and empty states, the
 * create dialog, row actions such as Resend, and the dialog that confirms a cancel. A
 * screen gives only its columns, its form and its actions.
 */
export function ListScreen<T, F extends string = never>(props: ListScreenProps<T, F>) {
  const { actions = NO_ACTIONS as RowAction<T>[], cancel, create, filter: filterChoice, level = 2 } = props;
  const headingId = useId();
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
  const act = useMutation({
    mutationFn: ({ action, row }: { action: RowAction<T>; row: T }) => action.run(row),
    onSuccess: (text) => setOutcome({ ok: true, text }),
    onError: (error) => setOutcome({ ok: false, text: errorText(error) }),
    onSettled: refresh,
  });
  const { mutate } = act;
  const acting = act.isPending ? act.variables : undefined;
  const columns = useMemo(
    () =>
      canChange
        ? [
            ...props.columns,
            actionsColumn({
              actions,
              cancel,
              onAct: (action, row) => mutate({ action, row }),
              acting,
              onCancel: setCancelling,
            }),
          ]
        : props.columns,
    [canChange, props.columns, actions, cancel, mutate, acting],
  );
  const items = list.data?.items ?? [];

  return (
    <Stack gap="sm" {...(level === 3 ? { component: 'section', 'aria-labelledby': headingId } : {})}>
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Title order={level} size={level === 2 ? 'h3' : 'h4'} id={headingId}>
            {props.title}
          </Title>
          {props.description && (
            <Text size="sm" c="dimmed">
              {props.description}
            </Text>
          )}
        </Stack>
        {canChange && create && (
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
          focusableScroll={props.focusableScroll ?? false}
          dense={props.dense ?? false}
        />
      )}
      {canChange && create && (
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

interface ActionsColumn<T> {
  actions: RowAction<T>[];
  cancel: CancelAction<T>;
  onAct: (action: RowAction<T>, row: T) => void;
  acting: { action: RowAction<T>; row: T } | undefined;
  onCancel: (row: T) => void;
}

/** A row's buttons: its actions, then Cancel…, each only where it applies. */
function actionsColumn<T>({ actions, cancel, onAct, acting, onCancel }: ActionsColumn<T>): ColumnDef<T> {
  return {
    id: 'actions',
    header: () => <VisuallyHidden>Actions</VisuallyHidden>,
    cell: ({ row }) => {
      const shown = actions.filter((action) => action.can(row.original));
      if (shown.length === 0 && !cancel.can(row.original)) return null;
      return (
        <Group gap={4} wrap="nowrap">
          {shown.map((action) => (
            <Button
              key={action.label}
              size="compact-xs"
              variant="subtle"
              aria-label={action.buttonLabel(row.original)}
              loading={acting?.action === action && acting.row === row.original}
              onClick={() => onAct(action, row.original)}
            >
              {action.label}
            </Button>
          ))}
          {cancel.can(row.original) && (
            <Button
              size="compact-xs"
              variant="subtle"
              color="red"
              onClick={() => onCancel(row.original)}
              aria-label={cancel.buttonLabel(row.original)}
            >
              Cancel…
            </Button>
          )}
        </Group>
      );
    },
  };
}
