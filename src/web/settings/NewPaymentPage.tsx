import { Alert, Button, Checkbox, Group, NumberInput, Select, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';
import { call } from '../api/call.ts';
import { errorText } from '../common/errors.ts';
import { choiceOf, groupedOptions, OPERATING, selectedOption, useDepositOptions } from '../take/AccountChoice.tsx';

const EMPTY = {
  name: '',
  slug: '',
  deposit: OPERATING,
  createPostingRecord: true,
  surchargePercent: 0,
};

export function NewPaymentPage() {
  const queryClient = useQueryClient();
  const [form, setForm] = useState(EMPTY);
  const options = useDepositOptions();
  const create = useMutation({
    mutationFn: () =>
      call('POST /payment-pages', {
        body: {
          name: form.name.trim(),
          slug: form.slug.trim(),
          ...form.deposit,
          createPostingRecord: form.createPostingRecord,
          // Basis points from a percent with at most two decimals, rounded to the nearest whole point.
          surchargeBps: Math.round(form.surchargePercent * 100),
        },
      }),
    onSuccess: async () => {
      setForm(EMPTY);
      await queryClient.invalidateQueries({ queryKey: ['payment-pages'] });
    },
  });
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <form onSubmit={submit} aria-label="New payment page">
      <Group align="flex-end" gap="sm">
        <TextInput
          label="Name"
          required
          value={form.name}
          onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
          w={220}
        />
        <TextInput
          label="Address (slug)"
          description="lowercase letters, digits, hyphens"
          required
          value={form.slug}
          onChange={(e) => setForm({ ...form, slug: e.currentTarget.value })}
          w={200}
        />
        <Select
          label="Deposit account"
          data={groupedOptions(options)}
          value={selectedOption(options, form.deposit)}
          onChange={(v) => {
            const deposit = choiceOf(options, v);
            if (deposit) setForm({ ...form, deposit });
          }}
          allowDeselect={false}
          w={180}
        />
        <NumberInput
          label="Surcharge (%)"
          min={0}
          max={10}
          decimalScale={2}
          value={form.surchargePercent}
          onChange={(v) => setForm({ ...form, surchargePercent: typeof v === 'number' ? v : 0 })}
          w={120}
        />
        <Checkbox
          label="Create a posting record"
          checked={form.createPostingRecord}
          onChange={(e) => setForm({ ...form, createPostingRecord: e.currentTarget.checked })}
          mb={8}
        />
        <Button type="submit" loading={create.isPending}>
          Create page
        </Button>
      </Group>
      {create.error && (
        <Alert color="red" mt="sm" role="alert">
          {errorText(create.error)}
        </Alert>
      )}
    </form>
  );
}
