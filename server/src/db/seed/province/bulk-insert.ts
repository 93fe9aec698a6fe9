import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** A column of a bulk load and how its values are written. */
export interface BulkColumn {
  name: string;
  type: 'uuid' | 'text' | 'int' | 'smallint' | 'bigint' | 'float8' | 'bool' | 'date' | 'timestamptz' | 'jsonb';
}

/**
 * Loads rows with COPY … FROM STDIN (text format): the fastest way into PostgreSQL that still
 * goes through every constraint and index of the table. Rows are streamed in chunks, so a
 * commune's ~100,000 answer rows never sit in memory as one string.
 */
export async function bulkInsert(
  client: pg.PoolClient,
  table: string,
  columns: readonly BulkColumn[],
  rows: readonly (readonly unknown[])[],
): Promise<void> {
  if (rows.length === 0) return;
  const names = columns.map((c) => c.name).join(', ');
  const stream = client.query(copyFrom(`copy ${table} (${names}) from stdin`));
  await pipeline(Readable.from(lines(columns, rows)), stream);
}

function* lines(columns: readonly BulkColumn[], rows: readonly (readonly unknown[])[]): Generator<string> {
  const CHUNK = 2000;
  for (let start = 0; start < rows.length; start += CHUNK) {
    let out = '';
    for (const row of rows.slice(start, start + CHUNK)) {
      out += columns.map((c, i) => field(c, row[i])).join('\t') + '\n';
    }
    yield out;
  }
}

function field(column: BulkColumn, v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  if (v instanceof Date) return v.toISOString();
  if (column.type === 'jsonb') return escape(JSON.stringify(v));
  if (typeof v === 'boolean') return v ? 't' : 'f';
  return escape(String(v));
}

/** COPY text format: backslash, tab, newline and carriage return are escaped. */
function escape(s: string): string {
  return /[\\\t\n\r]/.test(s)
    ? s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
    : s;
}
