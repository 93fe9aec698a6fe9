/**
 * Named prepared statements (server/src/db/named-statement.ts, and on PGlite pglite-named.ts,
 * which runs them through PGlite's wire protocol itself): the same rows and types as an unnamed
 * statement, inside and outside transactions, through errors and rollbacks, prepared once.
 */
import { eq, sql } from 'drizzle-orm';
import { integer, pgTable, text } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeNamed, preparedOnce } from '@hoctap/server/db/named-statement.ts';
import type { Executor } from '@hoctap/server/db/types.ts';
import { queryNamed } from '@hoctap/server/db/pglite-named.ts';
import { testEngine } from '../../helpers/engine.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await t.database.db.execute(
    sql.raw(`create table named_probe (id int primary key, at timestamptz, doc jsonb, tags text[], note text)`),
  );
});
afterAll(async () => t.close());

const probe = pgTable('named_probe', { id: integer('id').primaryKey(), note: text('note') });

const rowsOf = (r: unknown) => (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows);
const insert = (id: number, note: string | null) =>
  sql`insert into named_probe (id, at, doc, tags, note)
      values (${id}, ${new Date('2026-11-15T03:04:05.678Z')}, ${JSON.stringify({ điểm: 9.5, ok: true })}::jsonb,
              ${sql.param(['một', 'hai'])}::text[], ${note})
      returning id, at, doc, tags, note`;
const byId = (id: number) => sql`select id, at, doc, tags, note from named_probe where id = ${id}`;

describe('named prepared statements', () => {
  it('return the same rows and types as the unnamed statement', async () => {
    const { db } = t.database;
    const named = rowsOf(await executeNamed(db, insert(1, 'có dấu')));
    const plain = rowsOf(await db.execute(byId(1)));
    expect(named).toEqual(plain);
    expect(named[0]).toMatchObject({ id: 1, doc: { điểm: 9.5, ok: true }, tags: ['một', 'hai'], note: 'có dấu' });
    // A null parameter and a second execution of the same statement with other values.
    const second = rowsOf(await executeNamed(db, insert(2, null)));
    expect(second[0]).toMatchObject({ id: 2, note: null });
    expect(rowsOf(await executeNamed(db, byId(2)))).toEqual(rowsOf(await db.execute(byId(2))));
    expect(rowsOf(await executeNamed(db, byId(404)))).toEqual([]);
  });

  it('work inside a transaction, and a rolled-back transaction leaves neither rows nor a broken statement', async () => {
    const { db } = t.database;
    await expect(
      db.transaction(async (tx) => {
        await executeNamed(tx, insert(10, 'trong giao dịch'));
        expect(rowsOf(await executeNamed(tx, byId(10)))).toHaveLength(1);
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect(rowsOf(await executeNamed(db, byId(10)))).toEqual([]);
    await db.transaction(async (tx) => {
      await executeNamed(tx, insert(11, 'đã lưu'));
    });
    expect(rowsOf(await executeNamed(db, byId(11)))[0]).toMatchObject({ note: 'đã lưu' });
  });

  it("surface PostgreSQL's error code, roll the transaction back, and keep working afterwards", async () => {
    const { db } = t.database;
    const failed = await db
      .transaction(async (tx) => {
        await executeNamed(tx, insert(20, 'a'));
        await executeNamed(tx, insert(20, 'b')); // the same primary key
      })
      .then(
        () => null,
        (e: unknown) => e,
      );
    const codeOf = (e: unknown): string | undefined =>
      (e as { code?: string })?.code ?? (e ? codeOf((e as { cause?: unknown }).cause) : undefined);
    expect(codeOf(failed)).toBe('23505');
    expect(rowsOf(await executeNamed(db, byId(20)))).toEqual([]);
    // The same statement outside a transaction, after the error.
    await expect(executeNamed(db, insert(1, 'trùng'))).rejects.toSatisfy((e: unknown) => codeOf(e) === '23505');
    expect(rowsOf(await executeNamed(db, insert(21, 'sau lỗi')))).toHaveLength(1);
  });

  it('run concurrently outside transactions without mixing results', async () => {
    const { db } = t.database;
    const ids = Array.from({ length: 40 }, (_, i) => 100 + i);
    await Promise.all(ids.map((id) => executeNamed(db, insert(id, `hộ ${id}`))));
    const read = await Promise.all(ids.map((id) => executeNamed(db, byId(id))));
    expect(read.map((r) => (rowsOf(r)[0] as { note: string }).note)).toEqual(ids.map((id) => `hộ ${id}`));
  });

  it.runIf(testEngine() === 'pglite')('are prepared once on PGlite (one connection)', async () => {
    const { db } = t.database;
    for (let i = 0; i < 3; i++) await executeNamed(db, byId(i));
    const prepared = rowsOf(
      await db.execute(
        sql`select statement from pg_prepared_statements where statement like '%from named_probe where id%'`,
      ),
    );
    expect(prepared).toHaveLength(1);
  });

  it.runIf(testEngine() === 'pglite')('refuse one name for two texts on PGlite, as node-postgres does', async () => {
    if (t.database.kind !== 'pglite') throw new Error('expected PGlite');
    const { client } = t.database;
    await queryNamed(client, false, 'probe_name', 'select 1 as n', []);
    await expect(queryNamed(client, false, 'probe_name', 'select 2 as n', [])).rejects.toThrow(/another text/);
    expect((await queryNamed<{ n: number }>(client, false, 'probe_name', 'select 1 as n', [])).rows).toEqual([
      { n: 1 },
    ]);
  });

  it('a query object kept by preparedOnce serves the later transactions on its connection', async () => {
    const { db } = t.database;
    const built: unknown[] = [];
    const prepare = (h: Executor) => {
      const q = h
        .select({ note: probe.note })
        .from(probe)
        .where(eq(probe.id, sql.placeholder('id')))
        .prepare('probe_note_by_id');
      built.push(q);
      return q;
    };
    const cache = new WeakMap<object, ReturnType<typeof prepare>>();
    const notes: unknown[] = [];
    for (const id of [1, 2, 11]) {
      await db.transaction(async (tx) => {
        notes.push(await preparedOnce(tx, cache, prepare).execute({ id }));
      });
    }
    expect(notes).toEqual([[{ note: 'có dấu' }], [{ note: null }], [{ note: 'đã lưu' }]]);
    // PGlite: one for every transaction; PostgreSQL: one per pooled client (the same idle client
    // is handed out again to sequential transactions).
    expect(built.length).toBeLessThanOrEqual(testEngine() === 'pglite' ? 1 : 2);
    // Outside a transaction: its own object, and the same rows.
    expect(await preparedOnce(db, cache, prepare).execute({ id: 1 })).toEqual([{ note: 'có dấu' }]);
  });
  it('let the event loop turn between statements while many requests wait for the database', async () => {
    // PGlite runs statements on this thread; without a turn between them, the statements of every
    // request in flight ran back to back and a new connection waited for all of them.
    const { db } = t.database;
    let turns = 0;
    let ticking = true;
    const tick = () => {
      turns++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const statementsEach = 6;
    const request = async (n: number) => {
      for (let i = 0; i < statementsEach; i++) await executeNamed(db, byId(n * 100 + i));
      await db.transaction(async (tx) => {
        await tx.execute(byId(n));
        await executeNamed(tx, byId(n));
      });
    };
    const before = turns;
    await Promise.all(Array.from({ length: 20 }, (_, n) => request(n)));
    ticking = false;
    // At least one turn per statement of a request (20 requests wait together each time).
    expect(turns - before).toBeGreaterThanOrEqual(statementsEach + 2);
  });
});
