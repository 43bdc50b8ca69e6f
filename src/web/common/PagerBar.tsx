import { Button, Group, Select, Text } from '@mantine/core';
import { IconChevronLeft, IconChevronRight } from '@tabler/icons-react';
import { PAGE_SIZES, type Pager } from './usePager.ts';

export function PagerBar({
  pager,
  nextCursor,
  shown,
}: {
  pager: Pager;
  nextCursor: string | null | undefined;
  shown: number;
}) {
  return (
    <Group justify="space-between" mt="sm">
      <Text size="sm" c="dimmed" aria-live="polite">
        Page {pager.pageNumber} · {shown} {shown === 1 ? 'row' : 'rows'}
      </Text>
      <Group gap="xs">
        <Select
          aria-label="Rows per page"
          data={PAGE_SIZES.map((n) => ({ value: n, label: `${n} per page` }))}
          value={String(pager.limit)}
          onChange={(value) => value && pager.setLimit(Number(value))}
          allowDeselect={false}
          w={130}
          size="xs"
        />
        <Button
          size="xs"
          variant="default"
          leftSection={<IconChevronLeft size={14} aria-hidden />}
          disabled={!pager.hasPrevious}
          onClick={pager.previous}
        >
          Previous page
        </Button>
        <Button
          size="xs"
          variant="default"
          rightSection={<IconChevronRight size={14} aria-hidden />}
          disabled={!nextCursor}
          onClick={() => nextCursor && pager.next(nextCursor)}
        >
          Next page
        </Button>
      </Group>
    </Group>
  );
}
