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
          <TextInput
            label="Card number"
            inputMode="numeric"
            autoComplete="cc-number"
            required
            value={value.cardNumber}
            onChange={(e) => set({ cardNumber: e.currentTarget.value })}
            disabled={disabled}
          />
          <Group grow>
            <TextInput
              label="Expiry (MM/YY)"
              placeholder="MM/YY"
              autoComplete="cc-exp"
              required
              value={value.expiry}
              onChange={(e) => set({ expiry: e.currentTarget.value })}
              disabled={disabled}
            />
            <TextInput
              label="Security code"
              inputMode="numeric"
              autoComplete="cc-csc"
              required
              value={value.cvc}
              onChange={(e) => set({ cvc: e.currentTarget.value })}
              disabled={disabled}
            />
          </Group>
        </>
      ) : (
        <Group grow>
          <TextInput
            label="Routing number"
            inputMode="numeric"
            required
            value={value.routingNumber}
            onChange={(e) => set({ routingNumber: e.currentTarget.value })}
            disabled={disabled}
          />
          <TextInput
            label="Account number"
            inputMode="numeric"
            required
            value={value.accountNumber}
            onChange={(e) => set({ accountNumber: e.currentTarget.value })}
            disabled={disabled}
          />
        </Group>
      )}
    </Stack>
  );
}
