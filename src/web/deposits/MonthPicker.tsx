import { ActionIcon, Group, Select } from '@mantine/core';
import { IconChevronLeft, IconChevronRight } from '@tabler/icons-react';
import { addMonths } from '../../domain/dates.ts';
import { formatMonth } from '../common/format.ts';

/** How far back the list of months reaches; the arrows step further. */
const MONTHS_LISTED = 24;

/**
 * A month, chosen from the last two years or stepped with the arrows; never past `latest`
 * (this month on the firm's calendar), when nothing can have been paid out yet.
 */
export function MonthPicker({
  value,
  latest,
  onChange,
}: {
  value: string;
  latest: string;
  onChange: (month: string) => void;
}) {
  const listed = Array.from({ length: MONTHS_LISTED }, (_, i) => addMonths(latest, -i));
  if (!listed.includes(value)) listed.push(value);
  return (
    <Group gap={4} align="flex-end" wrap="nowrap">
      <ActionIcon
        variant="default"
        size="input-xs"
        aria-label="Previous month"
        onClick={() => onChange(addMonths(value, -1))}
      >
        <IconChevronLeft size={14} aria-hidden />
      </ActionIcon>
      <Select
        label="Month"
        data={listed.map((m) => ({ value: m, label: formatMonth(m) }))}
        value={value}
        onChange={(v) => v && onChange(v)}
        allowDeselect={false}
        size="xs"
        w={150}
      />
      <ActionIcon
        variant="default"
        size="input-xs"
        aria-label="Next month"
        disabled={value >= latest}
        onClick={() => onChange(addMonths(value, 1))}
      >
        <IconChevronRight size={14} aria-hidden />
      </ActionIcon>
    </Group>
  );
}
