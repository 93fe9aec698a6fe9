import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/react';
import { score } from '@hoctap/shared';
import { requireCatalogSet } from '@hoctap/shared/catalog';
import { VerdictPreview } from '../src/components/verdict-preview.tsx';

const set = requireCatalogSet('gdht-448-2015-v1');
const codes = set.criteria.flatMap((c) => c.indicators.map((i) => i.code));

describe('VerdictPreview', () => {
  it('shows the reasons of the shared engine, the focused indicator first', () => {
    const result = score(set, { '1.1': { points: 10, evidenceCount: 0 } });
    render(<VerdictPreview result={result} focusCode="1.1" />);
    expect(screen.getByTestId('verdict-outcome').textContent).toBe('Chưa chấm xong');
    expect(screen.getByTestId('verdict-total').textContent).toBe('10/100 điểm');
    const items = screen.getAllByRole('listitem');
    expect(items[0]!.textContent).toContain('Còn thiếu ảnh minh chứng cho chỉ số 1.1');
    // 1 missing photo + 9 unanswered; only 3 shown until expanded
    expect(items).toHaveLength(3);
    fireEvent.click(screen.getByRole('button', { name: /Xem tất cả 10 mục/ }));
    expect(screen.getAllByRole('listitem')).toHaveLength(10);
    expect(screen.getByText('Chưa chấm chỉ số 4.2')).toBeTruthy();
  });

  it('shows a pass with the total when everything is answered and proven', () => {
    const answers = Object.fromEntries(codes.map((c) => [c, { points: 10, evidenceCount: 1 }]));
    render(<VerdictPreview result={score(set, answers)} />);
    expect(screen.getByTestId('verdict-outcome').textContent).toBe('Đạt');
    expect(screen.getByText('Đạt: 100/100 điểm')).toBeTruthy();
    expect(screen.queryAllByRole('listitem')).toHaveLength(0);
  });

  it('explains a fail below the pass mark', () => {
    const answers = Object.fromEntries(codes.map((c) => [c, { points: 5, evidenceCount: 1 }]));
    render(<VerdictPreview result={score(set, answers)} />);
    expect(screen.getByTestId('verdict-outcome').textContent).toBe('Chưa đạt');
    expect(screen.getByText('Tổng điểm 50 chưa đạt mức 80 điểm')).toBeTruthy();
  });
});
