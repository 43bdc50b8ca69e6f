import { Group, SegmentedControl, Stack, TextInput } from '@mantine/core';
import type { PaymentMethod, PaymentMethodDraft } from './paymentMethod.ts';

interface Props {
  value: PaymentMethodDraft;
  onChange: (next: PaymentMethodDraft) => void;
  disabled?: boolean;
}

/** Card or eCheck: the method switch and its fields, with the browser's autofill names. */
export function PaymentMethodFields({ value, onChange, disabled }: Props) {
  const set = (patch: Partial<PaymentMethodDraft>) => onChange({ ...value, ...patch });
  // Every field of either method is required; each shows and changes its part of the draft.
  const field = (key: Exclude<keyof PaymentMethodDraft, 'method'>) => ({
    required: true,
    value: value[key],
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => set({ [key]: e.currentTarget.value }),
    disabled,
  });
  return (
    <Stack gap="sm">
      <SegmentedControl
        aria-label="Payment method"
        value={value.method}
        onChange={(method) => set({ method: method as PaymentMethod })}
        data={[
          { value: 'card', label: 'Card' },
          { value: 'echeck', label: 'eCheck (bank account)' },
        ]}
        disabled={disabled}
      />
      {value.method === 'card' ? (
        <>
          <TextInput label="Card number" inputMode="numeric" autoComplete="cc-number" {...field('cardNumber')} />
          <Group grow>
            <TextInput label="Expiry (MM/YY)" placeholder="MM/YY" autoComplete="cc-exp" {...field('expiry')} />
            <TextInput label="Security code" inputMode="numeric" autoComplete="cc-csc" {...field('cvc')} />
          </Group>
        </>
      ) : (
        <Group grow>
          <TextInput label="Routing number" inputMode="numeric" {...field('routingNumber')} />
          <TextInput label="Account number" inputMode="numeric" {...field('accountNumber')} />
        </Group>
      )}
    </Stack>
  );
}
