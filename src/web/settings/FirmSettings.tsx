import { Alert, Button, Group, NumberInput, Select, Stack, Switch, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import type { z } from 'zod';
import type { settingsOut } from '../../contract/settings.ts';
import { FILE_FORMATS, isOneOf, type FileFormat } from '../../domain/types.ts';
import { apiKey, call, resourceOf } from '../api/call.ts';
import { ErrorState, FailedAlert, LoadingState } from '../common/States.tsx';

type FirmSettingsData = z.output<typeof settingsOut>;

const MMS = (
  [
    ['elite_enterprise', 'Elite Enterprise'],
    ['elite_3e', 'Elite 3E'],
    ['prolaw', 'ProLaw'],
    ['aderant', 'Aderant'],
    ['juris', 'Juris'],
    ['pclaw', 'PCLaw'],
    ['other', 'Other'],
  ] as const satisfies readonly (readonly [FirmSettingsData['mmsKind'], string])[]
).map(([value, label]) => ({ value, label }));

const FILE_FORMAT_OPTIONS = [
  { value: 'paybridge-csv', label: 'paybridge CSV' },
  { value: 'juris-csv', label: 'Juris cash receipts CSV' },
] satisfies { value: FileFormat; label: string }[];

const VERSION_OPTIONS = [
  { value: '1', label: 'Version 1' },
  { value: '2', label: "Version 2: with each deposit account's codes" },
];

type Flag = 'autoApply' | 'usePostedDate' | 'autoPost' | 'requireAdminTwoFactor';
const SWITCHES: [Flag, string][] = [
  ['autoApply', 'Auto-apply a payment naming several invoices, oldest first'],
  ['usePostedDate', 'Date posting lines by the posting date instead of the payment date'],
  ['autoPost', 'Automatic posting: batch pending records without a click'],
  ['requireAdminTwoFactor', 'Require two-factor sign-in for admins'],
];

/** The IANA zones the browser knows (the server's Node knows the same database), and the firm's own even if it does not. */
function zoneChoices(current: string): string[] {
  const zones = new Set(Intl.supportedValuesOf('timeZone'));
  zones.add('UTC');
  zones.add(current);
  return [...zones].sort();
}

export function FirmSettings() {
  const settings = useQuery({ queryKey: apiKey('GET /settings'), queryFn: () => call('GET /settings') });
  if (settings.isPending) return <LoadingState label="Loading settings" />;
  if (settings.error) return <ErrorState error={settings.error} onRetry={() => void settings.refetch()} />;
  return <SettingsForm key={JSON.stringify(settings.data)} initial={settings.data} />;
}

function SettingsForm({ initial }: { initial: FirmSettingsData }) {
  const queryClient = useQueryClient();
  const [form, setForm] = useState(initial);
  const zones = useMemo(() => zoneChoices(initial.timeZone), [initial.timeZone]);
  const set = <K extends keyof FirmSettingsData>(key: K, value: FirmSettingsData[K]) =>
    setForm((f) => ({ ...f, [key]: value }));
  const save = useMutation({
    mutationFn: () => {
      const { creditUploadNeeded: _derived, ...body } = form;
      return call('PATCH /settings', { body });
    },
    onSuccess: async (saved) => {
      queryClient.setQueryData(apiKey('GET /settings'), saved);
      notifications.show({
        color: 'green',
        title: 'Settings saved',
        message: 'They apply from the next payment and batch on.',
      });
      // The header shows the firm name and Batches the credit-upload note: both come from /me.
      await queryClient.invalidateQueries({ queryKey: [resourceOf('GET /me')] });
    },
  });
  return (
    <Stack maw={520} gap="sm">
      <TextInput label="Firm name" value={form.name} onChange={(e) => set('name', e.currentTarget.value)} required />
      <Select
        label="Matter management system"
        data={MMS}
        value={form.mmsKind}
        onChange={(v) => {
          const choice = MMS.find((m) => m.value === v);
          if (choice) set('mmsKind', choice.value);
        }}
        allowDeselect={false}
      />
      {form.mmsKind === initial.mmsKind && initial.creditUploadNeeded && (
        <Alert color="orange" py={6}>
          This MMS needs a credit upload run after each delivered batch.
        </Alert>
      )}
      <Select
        label="Posting file format"
        data={FILE_FORMAT_OPTIONS}
        value={form.fileFormat}
        onChange={(v) => isOneOf(FILE_FORMATS, v) && set('fileFormat', v)}
        allowDeselect={false}
      />
      {form.fileFormat === 'paybridge-csv' && (
        <Select
          label="paybridge CSV version"
          description="Version 2 adds account_code, ledger_code and trans_type from Settings → Deposit accounts"
          data={VERSION_OPTIONS}
          value={String(form.fileFormatVersion)}
          onChange={(v) => set('fileFormatVersion', v === '2' ? 2 : 1)}
          allowDeselect={false}
        />
      )}
      <Select
        label="Time zone"
        description="Posting dates, today and date filters are days in this zone"
        data={zones}
        value={form.timeZone}
        onChange={(v) => v && set('timeZone', v)}
        searchable
        nothingFoundMessage="No such time zone"
        allowDeselect={false}
        limit={50}
      />
      {SWITCHES.map(([flag, label]) => (
        <Switch key={flag} label={label} checked={form[flag]} onChange={(e) => set(flag, e.currentTarget.checked)} />
      ))}
      <NumberInput
        label="Automatic posting every (minutes)"
        min={5}
        max={1440}
        allowDecimal={false}
        value={form.autoPostMinutes}
        onChange={(v) => typeof v === 'number' && set('autoPostMinutes', v)}
        disabled={!form.autoPost}
        w={240}
      />
      <FailedAlert error={save.error} />
      <Group>
        <Button onClick={() => save.mutate()} loading={save.isPending}>
          Save settings
        </Button>
      </Group>
    </Stack>
  );
}
