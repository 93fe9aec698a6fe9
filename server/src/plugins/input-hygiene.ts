import type { FastifyInstance } from 'fastify';
import { badRequest } from '../lib/errors.ts';

/**
 * Rejects text that PostgreSQL cannot store anywhere in a request's body, query or path
 * parameters, before any schema or service sees it:
 * - the NUL character (U+0000): `text` cannot hold it;
 * - a lone UTF-16 surrogate (`\ud800` without its pair): not Unicode at all; `jsonb` (audit
 *   details, answers) refuses its escape and `text` would silently turn it into U+FFFD.
 * Either would otherwise surface as a database error (a 500) deep inside a write. One hook covers
 * every route, present and future; JSON carries both only as escapes, which parse into them.
 */
export function registerInputHygiene(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    for (const [where, value] of [
      ['params', request.params],
      ['querystring', request.query],
      ['body', request.body],
    ] as const) {
      const found = findBadText(value, where);
      if (found?.kind === 'nul') {
        throw badRequest(
          `Dữ liệu gửi lên chứa ký tự không hợp lệ (ký tự NUL, mã U+0000) ở ${found.path.slice(0, 120)}. Vui lòng xóa ký tự này rồi gửi lại.`,
          'NUL_CHARACTER',
        );
      }
      if (found) {
        throw badRequest(
          `Dữ liệu gửi lên chứa ký tự không hợp lệ (ký tự Unicode bị cắt dở) ở ${found.path.slice(0, 120)}. Vui lòng gõ lại đoạn chữ này rồi gửi lại.`,
          'INVALID_TEXT',
        );
      }
    }
  });
}

type BadText = { kind: 'nul' | 'surrogate'; path: string };

function badTextKind(s: string): BadText['kind'] | null {
  if (s.includes('\u0000')) return 'nul';
  return LONE_SURROGATE.test(s) ? 'surrogate' : null;
}
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The first string (value or key) holding U+0000 or a lone surrogate, with its path, or null. Iterative: deep input cannot overflow the stack. */
export function findBadText(root: unknown, rootPath: string): BadText | null {
  const stack: [unknown, string][] = [[root, rootPath]];
  while (stack.length) {
    const [value, path] = stack.pop()!;
    if (typeof value === 'string') {
      const kind = badTextKind(value);
      if (kind) return { kind, path };
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => stack.push([v, `${path}.${i}`]));
    } else if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
      for (const [k, v] of Object.entries(value)) {
        const kind = badTextKind(k);
        if (kind) return { kind, path };
        stack.push([v, `${path}.${k}`]);
      }
    }
  }
  return null;
}
