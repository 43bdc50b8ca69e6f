import { Checkbox, Table, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconArrowsSort } from '@tabler/icons-react';
import {
  flexRender,
  getCoreRowModel,
  useReactTable,
  type ColumnDef,
  type RowData,
  type RowSelectionState,
} from '@tanstack/react-table';
import type { CSSProperties, KeyboardEvent, ReactNode } from 'react';

declare module '@tanstack/react-table' {
  // A column of amounts puts its header over its figures, on the right.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- merged declarations must name the same generics
  interface ColumnMeta<TData extends RowData, TValue> {
    align?: 'right';
  }
}

/** Columns the server can order the list by (their ids), the order shown, and how a header click asks for another. */
export interface Sorting {
  keys: readonly string[];
  current: { key: string; order: 'asc' | 'desc' };
  onSort: (key: string) => void;
}

export interface Selection {
  selected: RowSelectionState;
  onChange: (next: RowSelectionState) => void;
}

interface Props<T> {
  label: string;
  data: T[];
  columns: ColumnDef<T>[];
  getRowId: (row: T) => string;
  describeRow: (row: T) => string;
  selection?: Selection | undefined;
  rowStyle?: (row: T) => CSSProperties | undefined;
  /** Smaller type for tables with many columns, so they fit 1280 pixels. */
  dense?: boolean;
  sorting?: Sorting | undefined;
  /**
   * For a table whose rows may hold nothing to focus: its scroll box takes Tab itself, so
   * on a phone the arrow keys can scroll it sideways (WCAG 2.1.1).
   */
  focusableScroll?: boolean;
}

/** A sortable column's header: a button that sorts by it, with an arrow saying which way it is sorted now. */
function SortHeader({ sorting, id, children }: { sorting: Sorting; id: string; children: ReactNode }) {
  const sorted = sorting.current.key === id ? sorting.current.order : null;
  const Icon = sorted === 'asc' ? IconArrowUp : sorted === 'desc' ? IconArrowDown : IconArrowsSort;
  return (
    <UnstyledButton
      onClick={() => sorting.onSort(id)}
      fz="inherit"
      fw="inherit"
      style={{ display: 'inline-flex', alignItems: 'center', gap: 4, whiteSpace: 'nowrap' }}
    >
      {children}
      <Icon size={14} aria-hidden style={{ opacity: sorted ? 1 : 0.55, flex: 'none' }} />
    </UnstyledButton>
  );
}

/**
 * Up and Down move between rows, keeping the column: with a control in most cells, Tab
 * alone would walk every button of every row to get one row down.
 */
function moveBetweenRows(event: KeyboardEvent<HTMLTableSectionElement>) {
  if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
  const target = event.target as HTMLElement;
  if (target.closest('[role="combobox"], textarea, select')) return;
  const row = target.closest('tr');
  const sibling = (
    event.key === 'ArrowDown' ? row?.nextElementSibling : row?.previousElementSibling
  ) as HTMLElement | null;
  if (!row || !sibling) return;
  const controls = (tr: HTMLElement) => [...tr.querySelectorAll<HTMLElement>('input, button, a[href]')];
  const index = controls(row).indexOf(target);
  const next = controls(sibling)[Math.max(0, index)];
  if (next) {
    event.preventDefault();
    next.focus();
  }
}

export function DataTable<T>({
  label,
  data,
  columns,
  getRowId,
  describeRow,
  selection,
  rowStyle,
  dense = false,
  sorting,
  focusableScroll = false,
}: Props<T>) {
  const table = useReactTable({
    data,
    columns,
    getRowId,
    getCoreRowModel: getCoreRowModel(),
    enableRowSelection: selection !== undefined,
    state: { rowSelection: selection?.selected ?? {} },
    onRowSelectionChange: (updater) => {
      if (!selection) return;
      selection.onChange(typeof updater === 'function' ? updater(selection.selected) : updater);
    },
  });
  const rows = table.getRowModel().rows;
  return (
    <Table.ScrollContainer
      minWidth={900}
      {...(focusableScroll
        ? {
            scrollAreaProps: {
              viewportProps: { tabIndex: 0, role: 'region', 'aria-label': `${label}, scrolls sideways` },
            },
          }
        : {})}
    >
      <Table
        aria-label={label}
        striped
        highlightOnHover
        verticalSpacing={6}
        horizontalSpacing={6}
        fz={dense ? 'xs' : 'sm'}
        stickyHeader
      >
        <Table.Thead>
          {table.getHeaderGroups().map((group) => (
            <Table.Tr key={group.id}>
              {selection && (
                <Table.Th w={36}>
                  {/* The column's name for a screen reader; the box says what it does. */}
                  <VisuallyHidden>Select</VisuallyHidden>
                  <Checkbox
                    aria-label="Select all rows on this page"
                    checked={table.getIsAllRowsSelected()}
                    indeterminate={table.getIsSomeRowsSelected()}
                    onChange={table.getToggleAllRowsSelectedHandler()}
                    disabled={rows.length === 0}
                  />
                </Table.Th>
              )}
              {group.headers.map((header) => {
                const content = flexRender(header.column.columnDef.header, header.getContext());
                const sortable = sorting?.keys.includes(header.column.id);
                const sorted = sorting?.current.key === header.column.id ? sorting.current.order : null;
                return (
                  <Table.Th
                    key={header.id}
                    aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
                    style={{
                      width: header.column.columnDef.size,
                      whiteSpace: 'nowrap',
                      textAlign: header.column.columnDef.meta?.align,
                    }}
                  >
                    {sorting && sortable ? (
                      <SortHeader sorting={sorting} id={header.column.id}>
                        {content}
                      </SortHeader>
                    ) : (
                      content
                    )}
                  </Table.Th>
                );
              })}
            </Table.Tr>
          ))}
        </Table.Thead>
        <Table.Tbody onKeyDown={moveBetweenRows}>
          {rows.map((row) => (
            <Table.Tr
              key={row.id}
              style={rowStyle?.(row.original)}
              aria-selected={selection ? row.getIsSelected() : undefined}
            >
              {selection && (
                <Table.Td>
                  <Checkbox
                    aria-label={`Select ${describeRow(row.original)}`}
                    checked={row.getIsSelected()}
                    onChange={row.getToggleSelectedHandler()}
                  />
                </Table.Td>
              )}
              {row.getVisibleCells().map((cell) => (
                <Table.Td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
