/**
 * JSON parsing that never loses digits of a Zalo id.
 *
 * Zalo ids exceed 2^53 (docs/zalo.md §2, docs/architecture.md §10). The documented responses carry them as
 * strings, but if any endpoint ever emits a bare number, `JSON.parse` would silently round it.
 * Node 20's `JSON.parse` has no access to the source text of a number, so before parsing we quote
 * every integer literal that is not a safe integer. Strings are skipped while scanning, so text
 * content is never touched.
 */
export function quoteUnsafeIntegers(text: string): string {
  let out = '';
  let last = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text.charCodeAt(i);
    if (ch === 0x22 /* " */) {
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i += 2;
        else if (d === 0x22) {
          i++;
          break;
        } else i++;
      }
      continue;
    }
    // Outside strings a '-' or a digit can only start a number (true/false/null have no digits).
    if (ch === 0x2d || (ch >= 0x30 && ch <= 0x39)) {
      const start = i;
      i++;
      while (i < n && isNumberChar(text.charCodeAt(i))) i++;
      const literal = text.slice(start, i);
      if (/^-?\d+$/.test(literal) && !Number.isSafeInteger(Number(literal))) {
        out += `${text.slice(last, start)}"${literal}"`;
        last = i;
      }
      continue;
    }
    i++;
  }
  return out + text.slice(last);
}

function isNumberChar(code: number): boolean {
  return (
    (code >= 0x30 && code <= 0x39) || code === 0x2e || code === 0x65 || code === 0x45 || code === 0x2b || code === 0x2d
  );
}

/** `JSON.parse` with unsafe integers turned into strings. Throws SyntaxError like JSON.parse. */
export function parseJsonPreservingIds(text: string): unknown {
  return JSON.parse(quoteUnsafeIntegers(text));
}
