import { describe, expect, it } from 'vitest';
import { formatCount, formatNumber, formatShare, roundShare, shareIsWhole, shareNumFmt } from './format.ts';

describe('formatShare: one way to write a share', () => {
  it('decimal comma, a space before %, one decimal only where needed', () => {
    expect(formatShare(31 / 40)).toBe('77,5 %');
    expect(formatShare(1 / 200)).toBe('0,5 %');
    expect(formatShare(1)).toBe('100 %');
    expect(formatShare(0)).toBe('0 %');
    expect(formatShare(0.85)).toBe('85 %');
    expect(formatShare(1 / 3)).toBe('33,3 %');
    expect(formatShare(null)).toBe('—');
  });

  it('rounds half away from zero on the decimal value, not on binary noise (7/80 = 8,75 % → 8,8 %)', () => {
    expect(formatShare(7 / 80)).toBe('8,8 %');
    expect(formatShare(1 / 16)).toBe('6,3 %');
    expect(formatShare(-7 / 80)).toBe('-8,8 %');
    expect(roundShare(7 / 80)).toBe(0.088);
  });

  it('the XLSX number format shows what formatShare writes', () => {
    expect(shareNumFmt(0.85)).toBe('0 %');
    expect(shareNumFmt(0.775)).toBe('0.0 %');
    expect(shareIsWhole(0.9996)).toBe(true); // 99,96 % → "100 %"
    expect(formatShare(0.9996)).toBe('100 %');
  });

  it('numbers: dot for thousands, comma for decimals, no trailing zeros', () => {
    expect(formatNumber(1250.5)).toBe('1.250,5');
    expect(formatNumber(7.5)).toBe('7,5');
    expect(formatNumber(80)).toBe('80');
    expect(formatCount(12345)).toBe('12.345');
  });
});
