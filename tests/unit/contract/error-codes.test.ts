import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ERRORS, ERROR_CODES, errorCodeSchema, isErrorCode } from '@hoctap/shared/api';

const SERVER_SRC = join(dirname(fileURLToPath(import.meta.url)), '../../../server/src');

describe('the shared error-code registry', () => {
  it('gives every code an error status and a Vietnamese default message', () => {
    for (const code of ERROR_CODES) {
      const e = ERRORS[code];
      expect(e.status, code).toBeGreaterThanOrEqual(400);
      expect(e.status, code).toBeLessThan(600);
      expect(e.message, code).toMatch(/[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]/i);
      expect(e.message.trim(), code).toMatch(/[.!?]$/);
    }
    expect(errorCodeSchema.parse('VERSION_CONFLICT')).toBe('VERSION_CONFLICT');
    expect(isErrorCode('NO_SUCH_CODE')).toBe(false);
  });

  it('registers the codes the error handler and the load shedder answer with', () => {
    // Service errors are typed on the registry; these two files send bodies directly.
    for (const file of ['plugins/error-handler.ts', 'app.ts']) {
      const text = readFileSync(join(SERVER_SRC, file), 'utf8');
      const codes = [...text.matchAll(/request\.id, '([A-Z_]+)'\)/g), ...text.matchAll(/\bcode: '([A-Z_]+)'/g)].map(
        (m) => m[1]!,
      );
      expect(codes.length, file).toBeGreaterThan(0);
      for (const code of codes) expect(isErrorCode(code), `${file}: ${code}`).toBe(true);
    }
  });
});
