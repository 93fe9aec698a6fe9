// zmp-ui's own modules imported directly (components/fields.tsx), typed as the package types them.
declare module 'zmp-ui/esm/components/input/Input' {
  import type { Input } from 'zmp-ui';
  const InputOnly: typeof Input;
  export default InputOnly;
}
declare module 'zmp-ui/esm/components/input/TextArea' {
  import type { Input } from 'zmp-ui';
  const TextArea: (typeof Input)['TextArea'];
  export default TextArea;
}
