import { Textarea, type TextareaProps } from '@mantine/core';

type Props = Omit<TextareaProps, 'value' | 'onChange' | 'maxLength' | 'autosize' | 'minRows'> & {
  value: string;
  onChange: (text: string) => void;
};

/**
 * A free text the API takes up to 500 characters of (a quick link's description, a
 * record's memo, a removal note): two rows to start, growing with what is typed.
 */
export function LongText({ value, onChange, ...rest }: Props) {
  return (
    <Textarea
      {...rest}
      maxLength={500}
      autosize
      minRows={2}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
    />
  );
}
