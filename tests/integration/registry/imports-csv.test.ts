import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { households } from '@hoctap/server/db/schema/index.ts';
import { manualClock } from '@hoctap/server/lib/clock.ts';
import { DEMO, seedDemo } from '@hoctap/server/db/seed/demo.ts';
import { REGISTRY_FIXTURES_DIR } from '../../fixtures/make-registry-xlsx.ts';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { loginAs, upload } from './helpers.ts';

let t: TestApp;
const clock = manualClock('2025-10-20T02:00:00Z');
beforeAll(async () => {
  t = await createTestApp({ MAX_EVENT_LOOP_DELAY_MS: '0' }, { clock });
  await seedDemo(t.db.database.db, clock);
});
afterAll(async () => t?.close());

describe('household list import (CSV: UTF-8 BOM, ";" separated, NFD text)', () => {
  it('previews, commits, and re-imports as unchanged', async () => {
    const officer = await loginAs(t.app, DEMO.users.officer);
    const csv = readFileSync(join(REGISTRY_FIXTURES_DIR, 'households-300.csv'));
    expect(csv.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const p = (await upload(t.app, officer.token, 'danh-sach.csv', csv)).json();
    expect(p.summary).toMatchObject({ total: 300, create: 300, error: 0 });
    expect(p.rows[0].headName).toBe(p.rows[0].headName.normalize('NFC'));
    // "Mỹ Hòa" written NFD and as "mỹ hoà" resolve to the seeded ấp: nothing new is created.
    expect(p.summary.newHamlets).toEqual([]);
    const commit = await t.app.inject({
      method: 'POST',
      url: `/api/v1/imports/${p.id}/commit`,
      headers: { authorization: `Bearer ${officer.token}` },
    });
    expect(commit.json()).toMatchObject({ created: 300, updated: 0 });
    const [n] = await t.db.database.db
      .select({ n: sql<number>`count(*)::int`.mapWith(Number) })
      .from(households)
      .where(eq(households.communeId, DEMO.communeId));
    expect(n!.n).toBe(700);

    const again = (await upload(t.app, officer.token, 'danh-sach.csv', csv)).json();
    expect(again.summary).toMatchObject({ total: 300, unchanged: 300, create: 0, update: 0 });
    // An edited cell shows up as one update naming the field.
    const edited = csv
      .toString('utf8')
      .replace(/\r\n([^;\r\n]*;[^;\r\n]*;[^;\r\n]*;[^;\r\n]*;)[^;\r\n]*;/, '\r\n$10912999888;');
    const upd = (await upload(t.app, officer.token, 'danh-sach.csv', Buffer.from(edited))).json();
    expect(upd.summary).toMatchObject({ update: 1, unchanged: 299 });
    expect(upd.rows[0]).toMatchObject({ row: 2, action: 'update', changes: ['số điện thoại'] });
  });
});
