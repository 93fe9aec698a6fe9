import { describe, expect, it } from 'vitest';
import { submitKey } from '../src/services/drafts.ts';

// Issue 13, item 10: a household returned twice must be able to resubmit from the same phone.
describe('the Idempotency-Key of a submit', () => {
  const id = '7f1d6c2e-9a51-4b8e-8f43-0c1e2d3a4b5c';

  it('is the same for a retry of the same version (the server replays, nothing is sent twice)', () => {
    expect(submitKey({ id, version: 4 })).toBe(submitKey({ id, version: 4 }));
    expect(submitKey({ id, version: 4 })).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('is new after each return (a newer version), so every resubmit is its own request', () => {
    const first = submitKey({ id, version: 4 });
    const afterFirstReturn = submitKey({ id, version: 6 });
    const afterSecondReturn = submitKey({ id, version: 8 });
    expect(new Set([first, afterFirstReturn, afterSecondReturn]).size).toBe(3);
    expect(submitKey({ id: '0b5e9f6a-1c2d-4e3f-8a9b-0c1d2e3f4a5b', version: 4 })).not.toBe(first);
  });
});
