import { useId, type ComponentProps, type ReactNode } from 'react';
// TextArea from its own module: zmp-ui's Input index also brings Password, Search and OTP with
// their icons (~3 KB gzip) that the app never shows. The one-line TextField is in text-field.tsx,
// so that the wizard (notes only) does not download zmp-ui's Input.
import TextArea from 'zmp-ui/esm/components/input/TextArea';

/**
 * zmp-ui's Input.TextArea (Input: text-field.tsx; Select: select-field.tsx, kept apart so that its sheet stays out
 * of the household's scripts), labelled as screen readers need: zmp-ui draws its
 * `label` in a plain span, so the label passed in is a real <label for> of the field (its id).
 * `error`: a message under the field (role="alert"), or `true` for a field marked invalid whose
 * message is shown elsewhere.
 */
export interface Labelled {
  label: ReactNode;
  error?: ReactNode;
}

export function FieldError({ error }: { error: ReactNode }) {
  if (!error || error === true) return null;
  return (
    <p className="field-error" role="alert">
      {error}
    </p>
  );
}

export const fieldLabel = (id: string, label: ReactNode) => (
  <label htmlFor={id} className="field-label">
    {label}
  </label>
);

type TextAreaProps = Omit<ComponentProps<typeof TextArea>, 'label' | 'status'>;

export function TextAreaField({ label, error, ...rest }: Labelled & TextAreaProps) {
  const id = useId();
  return (
    <div className="field">
      <TextArea
        {...rest}
        id={id}
        label={fieldLabel(id, label)}
        status={error ? 'error' : undefined}
        aria-invalid={!!error}
      />
      <FieldError error={error} />
    </div>
  );
}
