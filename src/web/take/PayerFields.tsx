import { Group, TextInput } from '@mantine/core';

export interface Payer {
  name: string;
  email: string;
}

export const NO_PAYER: Payer = { name: '', email: '' };

/** The payer's name and email as the API takes them: blanks left out, names trimmed. */
export function payerBody(payer: Payer): { payerName?: string; payerEmail?: string } {
  const name = payer.name.trim();
  const email = payer.email.trim();
  return { ...(name ? { payerName: name } : {}), ...(email ? { payerEmail: email } : {}) };
}

/** The payer of a payment taken now, whose name the form requires before it sends. */
export function namedPayerBody(payer: Payer): { payerName: string; payerEmail?: string } {
  const { payerName, ...rest } = payerBody(payer);
  if (payerName === undefined) throw new Error("Enter the payer's name.");
  return { payerName, ...rest };
}

export function PayerFields({
  value,
  onChange,
  nameRequired,
  disabled,
}: {
  value: Payer;
  onChange: (next: Payer) => void;
  nameRequired: boolean;
  disabled?: boolean;
}) {
  return (
    <Group grow align="flex-start">
      <TextInput
        label="Payer name"
        description={nameRequired ? undefined : 'Optional'}
        autoComplete="off"
        required={nameRequired}
        maxLength={200}
        value={value.name}
        onChange={(e) => onChange({ ...value, name: e.currentTarget.value })}
        disabled={disabled}
      />
      <TextInput
        label="Payer email"
        description={nameRequired ? 'Optional: the receipt goes there' : 'Optional'}
        type="email"
        autoComplete="off"
        maxLength={320}
        value={value.email}
        onChange={(e) => onChange({ ...value, email: e.currentTarget.value })}
        disabled={disabled}
      />
    </Group>
  );
}
