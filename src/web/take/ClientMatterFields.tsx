import { Group, TextInput } from '@mantine/core';

/** The client and matter a payment is for, as typed: either may be left blank. */
export interface ClientMatter {
  client: string;
  matter: string;
}

/** The client and matter numbers as the API takes them: trimmed, blanks left out. */
export function clientMatterBody({ client, matter }: ClientMatter): { clientNumber?: string; matterNumber?: string } {
  return {
    ...(client.trim() ? { clientNumber: client.trim() } : {}),
    ...(matter.trim() ? { matterNumber: matter.trim() } : {}),
  };
}

export function ClientMatterFields({
  value,
  onChange,
  description,
  disabled,
}: {
  value: ClientMatter;
  onChange: (patch: Partial<ClientMatter>) => void;
  description?: string;
  disabled?: boolean;
}) {
  return (
    <Group grow>
      <TextInput
        label="Client number"
        description={description}
        value={value.client}
        onChange={(e) => onChange({ client: e.currentTarget.value })}
        disabled={disabled}
      />
      <TextInput
        label="Matter number"
        description={description}
        value={value.matter}
        onChange={(e) => onChange({ matter: e.currentTarget.value })}
        disabled={disabled}
      />
    </Group>
  );
}
