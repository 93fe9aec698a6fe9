import { useId, type ComponentProps } from 'react';
// Input from its own module: zmp-ui's Input index also brings Password, Search and OTP.
import Input from 'zmp-ui/esm/components/input/Input';
import { FieldError, fieldLabel, type Labelled } from './fields.tsx';

// zmp-ui's one-line Input, labelled as fields.tsx explains; apart from the TextArea so that the
// household's wizard does not download it.

type InputProps = Omit<ComponentProps<typeof Input>, 'label' | 'status' | 'type'> & {
  /** zmp-ui types only text, password and number; "date" is passed on to the <input> as it is. */
  type?: 'text' | 'number' | 'date';
};

export function TextField({ label, error, type, ...rest }: Labelled & InputProps) {
  const id = useId();
  return (
    <div className="field">
      <Input
        {...rest}
        type={type as 'text' | undefined}
        id={id}
        label={fieldLabel(id, label)}
        status={error ? 'error' : undefined}
        aria-invalid={!!error}
      />
      <FieldError error={error} />
    </div>
  );
}
