import { useMemo, type ReactNode } from 'react';
import { formatNumber } from '@hoctap/shared';
import { useApi } from '../hooks/use-api.tsx';
import { consoleApi } from './api.ts';

export function useConsoleApi() {
  const api = useApi();
  return useMemo(() => consoleApi(api), [api]);
}

/** A labelled control: the label wraps it, so every input has its name (axe "label"). */
export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="console-field">
      <span>{label}</span>
      {children}
    </label>
  );
}

export const ACTION_LABELS = {
  create: 'Thêm mới',
  update: 'Cập nhật',
  unchanged: 'Không đổi',
  error: 'Lỗi',
} as const;

export function Tag({ kind, children }: { kind: string; children: ReactNode }) {
  return <span className={`console-tag tag-${kind}`}>{children}</span>;
}

/** 1234 → "1.234" (Vietnamese thousands separator, the shared formatter the reports use). */
export function n(value: number): string {
  return formatNumber(value, 0);
}

/** An optional text field: blank → null (cleared). */
export const orNull = (v: string | undefined) => (v && v.trim() !== '' ? v.trim() : null);
