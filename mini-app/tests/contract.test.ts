import { meSchema } from '@hoctap/shared/api';
import { describe, expect, it } from 'vitest';
import { contractViolations, shapeProblems } from './contract.ts';
import { fakeApi, meFixture } from './helpers.tsx';

describe('the fake API is held to the shared contract', () => {
  it('a fixture that fits has no problems', () => {
    expect(shapeProblems(meSchema, meFixture())).toEqual([]);
  });

  it('names a missing field, a retyped field, an unknown field and a value outside an enum', () => {
    const { phone: _phone, ...withoutPhone } = meFixture();
    expect(shapeProblems(meSchema, withoutPhone)).toEqual(['$.phone: expected string, got undefined undefined']);
    expect(shapeProblems(meSchema, { ...meFixture(), householdId: 7 })).toEqual([
      '$.householdId: expected string, got number 7',
    ]);
    expect(shapeProblems(meSchema, { ...meFixture(), nickname: 'Hoa' })).toEqual(['$.nickname: not in the contract']);
    const household = { role: 'household', unitId: 't1', unitLevel: 'group', unitName: 'Tổ 3' };
    expect(shapeProblems(meSchema, { ...meFixture(), roles: [household] })[0]).toMatch(
      /^\$\.roles\[0\]\.role: expected one of/,
    );
  });

  it('a fake endpoint answering off-contract rejects, and the test is marked failed afterwards', async () => {
    const api = fakeApi({ me: async () => ({ ...meFixture(), consents: { evaluation: true } }) as never });
    await expect(api.me()).rejects.toThrow(/fake me\(\) does not match the shared contract/);
    // setup.ts fails the test from this list; taken here so this test itself passes.
    expect(contractViolations.splice(0)).toHaveLength(1);
  });
});
