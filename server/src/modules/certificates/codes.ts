import { randomBytes as nodeRandomBytes } from 'node:crypto';

/**
 * Certificate verification codes: 26 characters of Crockford's base32 (no I, L, O, U), i.e. 130
 * random bits — unguessable, and short enough to type from paper. Printed in groups of five
 * ("7K3MQ-9XD2A-…"); typing is forgiving (case, spaces, hyphens, O for 0, I/L for 1).
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const CODE_LENGTH = 26;
const CODE = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export type RandomBytes = (n: number) => Buffer;

export function newCertificateCode(random: RandomBytes = nodeRandomBytes): string {
  const bytes = random(17); // 136 bits, of which the first 130 are used
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5 && out.length < CODE_LENGTH) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return out;
}

/** The stored form of what someone typed or scanned, or null when it cannot be a code. */
export function normaliseCode(input: string): string | null {
  if (input.length > 64) return null;
  const s = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return CODE.test(s) ? s : null;
}

/** "7K3MQ-9XD2A-B4C5D-E6F7G-H8J9K0": how the code is printed under the QR. */
export function formatCode(code: string): string {
  return code
    .match(/.{1,5}/g)!
    .join('-')
    .replace(/-(.)$/, '$1');
}

/** The public page a certificate's QR opens. */
export function verifyUrl(base: string, code: string): string {
  return `${base.replace(/\/$/, '')}/v/${code}`;
}
