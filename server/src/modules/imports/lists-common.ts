import type { ImportRow } from './imports.repo.ts';

/**
 * What the person-list and unit-list imports share: the stored row shape, the summary and the
 * view the API returns. Policy is the household import's (docs/onboarding.md): all or nothing, a
 * preview with any error cannot be committed, committing applies the stored preview, and the same
 * file again previews as "unchanged".
 */

export type Action = 'create' | 'update' | 'unchanged' | 'error';

export interface ListRow<P> {
  row: number;
  action: Action;
  messages: string[];
  label: string;
  changes?: string[];
  plan?: P;
}

export interface ListSummary {
  total: number;
  create: number;
  update: number;
  unchanged: number;
  error: number;
  notes: string[];
}

export function summarise(rows: ListRow<unknown>[], noun: string, extraNotes: string[] = []): ListSummary {
  const count = (a: Action) => rows.filter((r) => r.action === a).length;
  const s: ListSummary = {
    total: rows.length,
    create: count('create'),
    update: count('update'),
    unchanged: count('unchanged'),
    error: count('error'),
    notes: [],
  };
  s.notes.push(
    `Tệp có ${s.total} ${noun}: ${s.create} thêm mới, ${s.update} cập nhật, ${s.unchanged} không đổi, ${s.error} lỗi.`,
    ...extraNotes,
    s.error
      ? `Còn ${s.error} dòng lỗi nên chưa thể ghi (không ghi một phần). Hãy sửa tệp và tải lên lại.`
      : 'Không có lỗi: có thể xác nhận để ghi toàn bộ.',
  );
  return s;
}

export function listView(imp: ImportRow) {
  const summary = imp.summary as unknown as ListSummary;
  const rows = (imp.rows as ListRow<unknown>[]).filter((r) => r.action !== 'unchanged').map(({ plan: _p, ...r }) => r);
  return {
    id: imp.id,
    kind: imp.kind as 'persons' | 'units',
    communeId: imp.communeId,
    fileName: imp.fileName,
    status: imp.status,
    committable: imp.status === 'previewed' && summary.error === 0,
    summary,
    rows,
  };
}

/** Row N's messages read "Dòng N: …" so a printed report stands on its own. */
export const rowError = (row: number) => (errors: string[]) => (m: string) => errors.push(`Dòng ${row}: ${m}`);
