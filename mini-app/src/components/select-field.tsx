import { useId } from 'react';
import { Select } from 'zmp-ui';
import { FieldError, fieldLabel, type Labelled } from './fields.tsx';

/**
 * zmp-ui's select sheet is a plain div closed by an icon-only button with no name: screen readers
 * get a dialog named by the field's label and a "Đóng" button.
 */
function labelSheets() {
  for (const panel of document.querySelectorAll('.zaui-select-panel')) {
    const sheet = panel.closest('.zaui-sheet-content') ?? panel;
    if (sheet.getAttribute('role') === 'dialog') continue;
    sheet.setAttribute('role', 'dialog');
    sheet.setAttribute('aria-modal', 'true');
    sheet.setAttribute('aria-label', panel.querySelector('.zaui-select-title')?.textContent ?? '');
    panel.querySelector('.zaui-select-close-icon')?.setAttribute('aria-label', 'Đóng');
    // Its icon's ligature name ("zi_close") is text too: the word "Đóng" is drawn instead (app.css).
    const icon = panel.querySelector('.zaui-select-close-icon .zaui-icon');
    if (icon) icon.textContent = '';
  }
}

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
        onVisibilityChange={(open) => open && requestAnimationFrame(labelSheets)}
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
