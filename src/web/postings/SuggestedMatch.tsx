import { Badge, Button, Group, Paper, Stack, Text } from '@mantine/core';
import { IconSparkles } from '@tabler/icons-react';
import type { ResponseOf } from '../../contract/endpoint.ts';
import type { Routes } from '../../contract/index.ts';
import { formatUsd } from '../common/format.ts';
import { draftLine, type DraftLine } from './allocationDraft.ts';
import { useSuggestion } from './queries.ts';

type Offer = NonNullable<ResponseOf<Routes['GET /postings/:id/suggestion']>['suggestion']>;

const CONFIDENCE = {
  high: { label: 'High confidence', color: 'green' },
  medium: { label: 'Medium confidence', color: 'yellow' },
  low: { label: 'Low confidence', color: 'gray' },
} as const;

function linesOf(offer: Offer): DraftLine[] {
  return offer.allocations.map((a) => draftLine(a));
}

/**
 * The match Reallocate Payment offers, one click to take: the invoices the payer typed
 * (found however they were typed), else the client's open invoices oldest first; and
 * Apply oldest first. Taken lines can still be changed by hand before Save.
 */
export function SuggestedMatch({ recordId, onUse }: { recordId: string; onUse: (lines: DraftLine[]) => void }) {
  const offers = useSuggestion(recordId, true);
  const { suggestion, oldestFirst } = offers.data ?? { suggestion: null, oldestFirst: null };
  if (!suggestion && !oldestFirst) return null;
  const shown = suggestion ?? oldestFirst!;
  const confidence = CONFIDENCE[shown.confidence];
  return (
    <Paper withBorder p="xs" radius="sm" component="section" aria-label="Suggested match">
      <Stack gap={4}>
        <Group justify="space-between" gap="xs">
          <Group gap={6}>
            <IconSparkles size={16} aria-hidden />
            <Text size="sm" fw={600}>
              Suggested match
            </Text>
          </Group>
          <Badge size="sm" variant="light" color={confidence.color}>
            {confidence.label}
          </Badge>
        </Group>
        <Text size="sm">
          {shown.allocations.map((a) => `${a.invoiceNumber} ${formatUsd(a.amountCents)}`).join(' · ')}
          {shown.leftoverCents > 0 && `; ${formatUsd(shown.leftoverCents)} left to place by hand`}
        </Text>
        <Text size="xs" c="dimmed">
          {shown.why}
        </Text>
        <Group gap="xs" mt={4}>
          {suggestion?.basis === 'typed' && (
            <Button size="compact-sm" onClick={() => onUse(linesOf(suggestion))}>
              Use suggested match
            </Button>
          )}
          {oldestFirst && (
            <Button
              size="compact-sm"
              variant={suggestion?.basis === 'typed' ? 'default' : 'filled'}
              onClick={() => onUse(linesOf(oldestFirst))}
            >
              Apply oldest first
            </Button>
          )}
        </Group>
      </Stack>
    </Paper>
  );
}
