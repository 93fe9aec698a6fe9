import { badRequest } from './errors.ts';

/** Opaque keyset cursors: base64url of a JSON tuple (sort key, id). */
export function encodeCursor(parts: (string | number)[]): string {
  return Buffer.from(JSON.stringify(parts), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined, arity: number): (string | number)[] | null {
  if (!cursor) return null;
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === arity && v.every((x) => typeof x === 'string' || typeof x === 'number'))
      return v;
  } catch {
    // fall through
  }
  throw badRequest('Con trỏ phân trang không hợp lệ.', 'BAD_CURSOR');
}
