import { describe, expect, it } from 'vitest';
import { classifyZaloError, ZALO_ERROR_TABLE, ZaloError } from '@hoctap/server/zalo/errors.ts';
import { parseJsonPreservingIds } from '@hoctap/server/zalo/safe-json.ts';
import { computeAppSecretProof } from '@hoctap/server/zalo/appsecret-proof.ts';

describe('classifyZaloError (docs/zalo.md §8)', () => {
  it.each([
    [-216, 'refresh_token_then_retry'],
    [-220, 'refresh_token_then_retry'],
    [-124, 'refresh_token_then_retry'],
    [-32, 'rate_limited'],
    [-133, 'reschedule_morning'],
    [-234, 'reschedule_morning'],
    [-144, 'reschedule_tomorrow'],
    [-147, 'reschedule_tomorrow'],
    [-1441, 'reschedule_tomorrow'],
    [-237, 'dead'],
    [-230, 'dead'],
    [-213, 'dead'],
    [-108, 'dead'],
    [-242, 'alert_human'],
    [-209, 'alert_human'],
    [112, 'alert_human'],
    [-14003, 'alert_human'],
  ] as const)('code %i → %s', (code, action) => {
    expect(classifyZaloError(code, 200).action).toBe(action);
  });

  it('transport and HTTP-only failures', () => {
    expect(classifyZaloError(null, null)).toMatchObject({ action: 'retry', retryable: true });
    expect(classifyZaloError(null, 502)).toMatchObject({ action: 'retry', retryable: true });
    expect(classifyZaloError(null, 429)).toMatchObject({ action: 'rate_limited', retryable: true });
    expect(classifyZaloError(null, 403)).toMatchObject({ action: 'alert_human', retryable: false });
  });

  it('unknown codes hold for a human rather than retrying or dropping', () => {
    expect(classifyZaloError(-999999, 200)).toMatchObject({ action: 'alert_human', retryable: false, alert: true });
  });

  it('-237 is dead but still alerts ops; retryable is false for dead/alert_human only', () => {
    expect(classifyZaloError(-237, 200)).toMatchObject({ action: 'dead', alert: true, retryable: false });
    for (const cls of ZALO_ERROR_TABLE.values()) {
      expect(cls.retryable).toBe(cls.action !== 'dead' && cls.action !== 'alert_human');
    }
  });

  it('graph user-token errors mean "re-authenticate", not "refresh"', () => {
    expect(classifyZaloError(-216, 200, 'graph').action).toBe('dead');
  });

  it('mini app codes are looked up only on the miniapp channel', () => {
    expect(classifyZaloError(-2104, 200, 'miniapp').action).toBe('reschedule_morning');
    expect(classifyZaloError(-2104, 200, 'oa').action).toBe('alert_human');
  });

  it('ZaloError serialises its classification', () => {
    const e = new ZaloError({
      kind: 'api',
      channel: 'oa',
      endpoint: 'POST /x',
      code: -32,
      httpStatus: 200,
      message: 'rl',
      retryAfterMs: 1000,
    });
    expect(e.toJSON()).toMatchObject({ code: -32, action: 'rate_limited', retryAfterMs: 1000, retryable: true });
    expect(e).toBeInstanceOf(Error);
  });
});

describe('parseJsonPreservingIds', () => {
  it('turns unsafe integers into strings and leaves everything else alone', () => {
    const text =
      '{"id":12345678901234567890,"n":42,"neg":-9007199254740993,"f":1.5e3,"s":"99999999999999999999","a":[1,18446744073709551615]}';
    expect(parseJsonPreservingIds(text)).toEqual({
      id: '12345678901234567890',
      n: 42,
      neg: '-9007199254740993',
      f: 1500,
      s: '99999999999999999999',
      a: [1, '18446744073709551615'],
    });
  });

  it('does not touch digits inside strings with escapes', () => {
    expect(parseJsonPreservingIds('{"t":"a\\"12345678901234567890\\"b","x":1}')).toEqual({
      t: 'a"12345678901234567890"b',
      x: 1,
    });
  });
});

describe('computeAppSecretProof', () => {
  it('is lowercase hex HMAC-SHA256(key=secret, msg=token)', () => {
    // Expected value computed independently: echo -n tok | openssl dgst -sha256 -hmac sec
    expect(computeAppSecretProof('tok', 'sec')).toBe(
      'b13512356d1403d2449aa2e7369214f0459f0d3c08cb742b0aff4fe57aae36f5',
    );
  });
});
