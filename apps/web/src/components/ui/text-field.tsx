import type { InputHTMLAttributes, ReactNode } from 'react';
import { Field } from './field';

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onChange' | 'className'>;

interface TextFieldProps extends InputProps {
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
  value: string;
  onChange: (event: React.ChangeEvent<HTMLInputElement>) => void;
  inputClassName?: string;
}

// A labelled text input: Field's wiring around a plain `.input`.
export function TextField({ label, hint, error, inputClassName, ...input }: TextFieldProps) {
  return (
    <Field label={label} hint={hint} error={error}>
      {(ids) => (
        <input {...input} {...ids} className={inputClassName ? `input ${inputClassName}` : 'input'} />
      )}
    </Field>
  );
}
