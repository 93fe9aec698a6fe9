import { createHash } from 'node:crypto';

/** Deterministic RFC 4122-shaped ids (v4 layout) from a label, distinct from the demo's. */
export function provinceSeedId(label: string): string {
  const h = createHash('sha256').update(`hoctap-province:${label}`).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A small fast PRNG: the same seed gives the same province on every machine. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Huỳnh', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương'];
const MALE_MID = ['Văn', 'Hữu', 'Minh', 'Thanh', 'Công', 'Quốc'];
const FEMALE_MID = ['Thị', 'Ngọc', 'Kim', 'Thanh', 'Mỹ'];
const MALE = ['An', 'Bình', 'Cường', 'Dũng', 'Hải', 'Hùng', 'Khoa', 'Lâm', 'Long', 'Nam', 'Phúc', 'Sơn', 'Tài', 'Trí'];
const FEMALE = ['Hoa', 'Lan', 'Mai', 'Hằng', 'Hương', 'Nga', 'Thảo', 'Trang', 'Yến', 'Nhung', 'Loan', 'Xuân'];

/** Place-name syllables of the Mekong delta; pairs give 100 distinct names. */
const PLACE_A = ['Tân', 'Mỹ', 'Phú', 'Long', 'An', 'Bình', 'Thạnh', 'Hòa', 'Phước', 'Trường'];
const PLACE_B = ['Hòa', 'Lợi', 'Thành', 'Hưng', 'Đông', 'Tây', 'Xuân', 'Khánh', 'Thuận', 'Điền'];

/** The i-th distinct two-syllable place name (i < 100), rotated so neighbours differ. */
export function placeName(i: number, offset = 0): string {
  const k = (i + offset) % 100;
  return `${PLACE_A[k % 10]} ${PLACE_B[Math.floor(k / 10)]}`;
}

export function personNames(rnd: () => number) {
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
  return {
    family: () => pick(FAMILY),
    male: (family = pick(FAMILY)) => `${family} ${pick(MALE_MID)} ${pick(MALE)}`,
    female: (family = pick(FAMILY)) => `${family} ${pick(FEMALE_MID)} ${pick(FEMALE)}`,
  };
}
