import { describe, expect, it } from 'vitest';
import { CATALOG_IDS, requireCatalogSet } from '../catalog/index.ts';
import { evaluate, shareMeets } from './evaluate.ts';
import { score } from './score.ts';
import { uniformAnswers, withAnswer } from './__fixtures__/sets.ts';

const dhht = requireCatalogSet(CATALOG_IDS.clan);
const cdhtThon = requireCatalogSet(CATALOG_IDS.community);
const cdht = requireCatalogSet(CATALOG_IDS.citizen);
const gdht = requireCatalogSet(CATALOG_IDS.household);

const clanPass = score(dhht, uniformAnswers(dhht, 1));

describe('evaluate: clan prerequisite "≥ 50 % of member households hold GĐHT"', () => {
  const households = (withTitle: number, total: number) => ({
    memberShares: { householdsWithGdht: { total, withTitle } },
  });

  it('exactly 50 % passes', () => {
    const d = evaluate(dhht, clanPass, households(5, 10));
    expect(d.outcome).toBe('recognised');
    expect(d.recognised).toBe(true);
    expect(d.title).toEqual({ label: 'Dòng họ học tập', abbreviation: 'DHHT' });
    expect(d.prerequisites[0]).toMatchObject({ code: 'P1', met: true, total: 10, withTitle: 5 });
    expect(d.prerequisites[0]!.message).toBe(
      'Có 5/10 hộ (50 %) được công nhận Gia đình học tập, đạt yêu cầu từ 50 % trở lên',
    );
    expect(d.summary).toBe('Đủ điều kiện công nhận danh hiệu Dòng họ học tập');
  });

  it('just under 50 % fails, with a reason the clan head can read', () => {
    const d = evaluate(dhht, clanPass, households(4, 10));
    expect(d.outcome).toBe('not_recognised');
    expect(d.reasons).toEqual([
      {
        code: 'prerequisite_not_met',
        prerequisiteCode: 'P1',
        message: 'Mới có 4/10 hộ (40 %) được công nhận Gia đình học tập; cần từ 50 % trở lên',
      },
    ]);
  });

  it('compares exactly, without float drift, on odd and large counts', () => {
    expect(evaluate(dhht, clanPass, households(7, 13)).recognised).toBe(true);
    expect(evaluate(dhht, clanPass, households(6, 13)).recognised).toBe(false);
    expect(evaluate(dhht, clanPass, households(5_000_000, 10_000_000)).recognised).toBe(true);
    expect(evaluate(dhht, clanPass, households(4_999_999, 10_000_000)).recognised).toBe(false);
    // 0.1 + 0.2 style shares: 3 of 10 against 0.3 is exactly met.
    expect(shareMeets(3, 10, 0.3, 'gte')).toBe(true);
    expect(shareMeets(3, 10, 0.3, 'gt')).toBe(false);
    expect(shareMeets(1, 3, 0.333333, 'gte')).toBe(true);
    expect(shareMeets(1, 3, 0.333334, 'gte')).toBe(false);
  });

  it('"> 50 %" does not pass at exactly 50 %', () => {
    const strict = {
      ...dhht,
      id: 'dhht-strict',
      prerequisites: dhht.prerequisites!.map((p) => ({ ...p, comparison: 'gt' as const })),
    };
    const s = score(strict, uniformAnswers(strict, 1));
    expect(evaluate(strict, s, households(5, 10)).recognised).toBe(false);
    expect(evaluate(strict, s, households(6, 10)).recognised).toBe(true);
    expect(evaluate(strict, s, households(5, 10)).reasons[0]!.message).toContain('cần trên 50 %');
  });

  it('missing facts make the decision incomplete; nonsense facts are flagged', () => {
    const d = evaluate(dhht, clanPass, {});
    expect(d.outcome).toBe('incomplete');
    expect(d.prerequisites[0]!.met).toBeNull();
    expect(d.reasons[0]).toEqual({
      code: 'prerequisite_facts_missing',
      prerequisiteCode: 'P1',
      message: 'Chưa có số liệu về số hộ được công nhận Gia đình học tập trong năm',
    });
    expect(evaluate(dhht, clanPass, households(11, 10)).reasons[0]!.code).toBe('prerequisite_facts_invalid');
    expect(evaluate(dhht, clanPass, households(0, 0)).outcome).toBe('not_recognised');
  });

  it('the prerequisite does not rescue a clan that misses a condition', () => {
    const s = score(dhht, withAnswer(uniformAnswers(dhht, 1), 'N1', 0));
    const d = evaluate(dhht, s, households(10, 10));
    expect(d.outcome).toBe('not_recognised');
    expect(d.reasons.map((r) => r.code)).toEqual(['condition_not_met']);
  });

  it('an unfinished self-assessment stays incomplete even when the share is met', () => {
    const s = score(dhht, withAnswer(uniformAnswers(dhht, 1), 'N4', null));
    expect(evaluate(dhht, s, households(10, 10)).outcome).toBe('incomplete');
  });
});

describe('evaluate: hamlet community with a configurable GĐHT share', () => {
  const s = score(cdhtThon, uniformAnswers(cdhtThon, 1));
  it('uses the share from the set (70 % provisional)', () => {
    expect(
      evaluate(cdhtThon, s, { memberShares: { householdsWithGdht: { total: 100, withTitle: 70 } } }).recognised,
    ).toBe(true);
    const d = evaluate(cdhtThon, s, { memberShares: { householdsWithGdht: { total: 100, withTitle: 69 } } });
    expect(d.recognised).toBe(false);
    expect(d.reasons[0]!.message).toBe('Mới có 69/100 hộ (69 %) được công nhận Gia đình học tập; cần từ 70 % trở lên');
  });
});

describe('evaluate: consecutive years honour (CDHT, 5 years → tiêu biểu xuất sắc)', () => {
  const pass = score(cdht, uniformAnswers(cdht, 9), { group: 'nong-dan' });
  it('awards the honour in the fifth year in a row', () => {
    const d = evaluate(cdht, pass, { consecutiveYearsBefore: 4 });
    expect(d.recognised).toBe(true);
    expect(d.consecutiveYears).toBe(5);
    expect(d.honour).toEqual({ code: 'tieu-bieu-xuat-sac', label: 'Công dân học tập tiêu biểu xuất sắc' });
    expect(d.summary).toBe('Đủ điều kiện công nhận danh hiệu Công dân học tập — Công dân học tập tiêu biểu xuất sắc');
  });
  it('not in the fourth year, and never without the title this year', () => {
    expect(evaluate(cdht, pass, { consecutiveYearsBefore: 3 }).honour).toBeUndefined();
    const fail = score(cdht, uniformAnswers(cdht, 7), { group: 'nong-dan' });
    const d = evaluate(cdht, fail, { consecutiveYearsBefore: 10 });
    expect(d.recognised).toBe(false);
    expect(d.honour).toBeUndefined();
  });
  it('a set without prerequisites needs no facts', () => {
    expect(evaluate(cdht, pass).outcome).toBe('recognised');
    expect(evaluate(gdht, score(gdht, uniformAnswers(gdht, 8))).outcome).toBe('recognised');
  });
});

describe('evaluate: guards', () => {
  it('refuses a score computed with another set', () => {
    expect(() => evaluate(dhht, score(gdht, {}), {})).toThrow(/gdht-448-2015-v1/);
  });
});
