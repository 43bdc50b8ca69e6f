import { Button, SegmentedControl, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type SubmitEvent } from 'react';
import { call } from '../api/call.ts';
import { loadProblem } from './problems.ts';
import { ProblemAlert } from './PublicFrame.tsx';
import type { LookupQuery, LookupResult } from './types.ts';
import { useAction } from './useAsync.ts';

interface Props {
  slug: string;
  account: 'operating' | 'trust';
  onFound: (query: LookupQuery, result: LookupResult) => void;
}

/**
 * The payer proves whom they pay for with two numbers from the firm's statement: the
 * client number and an invoice or matter number (a trust page: the matter number).
 */
export function LookupForm({ slug, account, onFound }: Props) {
  const [clientNumber, setClientNumber] = useState('');
  const [by, setBy] = useState<'invoice' | 'matter'>(account === 'trust' ? 'matter' : 'invoice');
  const [number, setNumber] = useState('');
  const lookup = useAction((query: LookupQuery) => call('POST /pay/:slug/lookup', { params: { slug }, body: query }), {
    success: (result, query) => onFound(query, result),
  });

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    if (!clientNumber.trim() || !number.trim()) return;
    const query: LookupQuery =
      by === 'invoice'
        ? { clientNumber: clientNumber.trim(), invoiceNumber: number.trim() }
        : { clientNumber: clientNumber.trim(), matterNumber: number.trim() };
    lookup.run(query);
  };

  const numberLabel = by === 'invoice' ? 'Invoice number' : 'Matter number';
  return (
    <form onSubmit={submit} aria-labelledby="lookup-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="lookup-title">
          {account === 'trust' ? 'Find your matter' : 'Find your invoices'}
        </Title>
        <Text size="sm" c="dimmed">
          {account === 'trust'
            ? 'Enter your client number and the matter number from the letter or statement the firm sent you.'
            : 'Enter your client number and one invoice or matter number, as they appear on your invoice or statement.'}
        </Text>
        <TextInput
          label="Client number"
          required
          value={clientNumber}
          onChange={(e) => setClientNumber(e.currentTarget.value)}
          autoComplete="off"
        />
        {account === 'operating' && (
          <SegmentedControl
            aria-label="Look up by"
            value={by}
            onChange={(value) => setBy(value === 'matter' ? 'matter' : 'invoice')}
            data={[
              { value: 'invoice', label: 'By invoice number' },
              { value: 'matter', label: 'By matter number' },
            ]}
          />
        )}
        <TextInput
          label={numberLabel}
          required
          value={number}
          onChange={(e) => setNumber(e.currentTarget.value)}
          autoComplete="off"
        />
        {lookup.error !== null && <ProblemAlert problem={loadProblem(lookup.error)} />}
        <Button type="submit" loading={lookup.isPending} w={{ base: '100%', xs: 'fit-content' }}>
          {account === 'trust' ? 'Find matter' : 'Find invoices'}
        </Button>
      </Stack>
    </form>
  );
}
