import { useId } from 'react';
import { Select } from 'zmp-ui';
import { FieldError, fieldLabel, type Labelled } from './fields.tsx';

// zmp-ui's Select treats a falsy value as "not controlled": the empty choice gets a value of its own.
const NONE = '__none__';

/** zmp-ui Select: the choices open in a bottom sheet (zmp-ui Sheet) titled with the label. */
export function SelectField({
  label,
  error,
  value,
  options,
  onChange,
  disabled,
}: Labelled & {
  value: string;
  options: readonly { value: string; label: string }[];
  onChange: (value: string) => void;
  disabled?: boolean;
}) {
  const id = useId();
  return (
    <div className="field">
      <Select
        id={id}
        label={fieldLabel(id, label)}
        value={value || NONE}
        onChange={(v) => onChange(v === NONE || v === undefined ? '' : String(v))}
        disabled={!!disabled}
        closeOnSelect
        status={error ? 'error' : undefined}
      >
        {options.map((o) => (
          <Select.Option key={o.value || NONE} value={o.value || NONE} title={o.label} />
        ))}
      </Select>
      <FieldError error={error} />
    </div>
  );
}
