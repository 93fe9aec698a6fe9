import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The layering rule, checked on the source text: repos hold SQL, services hold rules, routes call
 * one service method. No file under `modules/`, `notify/` or `ops/` other than a `*.repo.ts` may
 * import drizzle, import the schema's tables or the connection, write `sql\`…\``, or build a
 * query on a handle (services, routes, DTO mappers, the notification dispatcher, the reminder job
 * alike); a routes file or an HTTP plugin may not import a repo. Services may still open a transaction
 * (`db.transaction(tx => …)`): where a unit of work starts and ends is a rule, and the `tx` is
 * passed on to repo functions untouched. No server source file may exceed 500 lines.
 */

const SERVER_SRC = join(dirname(fileURLToPath(import.meta.url)), '../../../server/src');
const MAX_LINES = 500;

/**
 * Over the limit when this check landed, in another helper's area; the lead splits or removes the
 * entry. The test fails once an entry fits, so the list only shrinks.
 */
const OVERSIZED_PENDING: ReadonlySet<string> = new Set([]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

const files = sourceFiles(SERVER_SRC).map((abs) => ({
  path: relative(SERVER_SRC, abs).split('\\').join('/'),
  text: readFileSync(abs, 'utf8'),
}));

/** Value (not `import type`) imports and their module specifiers. */
function valueImports(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/^import\s+(?!type\b)[\s\S]*?from\s+'([^']+)'/gm)) out.push(m[1]!);
  for (const m of text.matchAll(/^import\s+'([^']+)'/gm)) out.push(m[1]!);
  return out;
}

function allImports(text: string): string[] {
  return [...text.matchAll(/^import\s+[\s\S]*?from\s+'([^']+)'/gm)].map((m) => m[1]!);
}

const QUERY_ON_HANDLE =
  /\b(?:db|tx|executor|database|pool|client|\w+\.db)\s*\.\s*(select|selectDistinct|selectDistinctOn|insert|update|delete|execute|query|with|\$count)\s*[(<]/;

/** What is wrong with one file, as readable lines (empty = fine). */
export function layerViolations(path: string, text: string): string[] {
  const out: string[] = [];
  const name = path.split('/').pop()!;
  const isServiceOrRoutes =
    name.endsWith('.service.ts') ||
    name.endsWith('.routes.ts') ||
    (/^(modules|notify|ops)\//.test(path) && !name.endsWith('.repo.ts'));
  const isHttpEdge = name.endsWith('.routes.ts') || path.startsWith('plugins/');
  if (isServiceOrRoutes) {
    for (const spec of allImports(text)) {
      if (spec === 'drizzle-orm' || spec.startsWith('drizzle-orm/')) out.push(`imports ${spec}`);
    }
    // A `*-cli.ts` is an entry point like main.ts: it opens the connection it hands on.
    const opensConnection = name.endsWith('-cli.ts');
    for (const spec of valueImports(text)) {
      if (/(^|\/)db\/schema(\/|\.ts$|$)/.test(spec)) out.push(`imports tables from ${spec}`);
      if (/(^|\/)db\/connect(\.ts)?$/.test(spec) && !opensConnection) out.push(`imports the connection from ${spec}`);
    }
    if (/\bsql\s*`/.test(text)) out.push('writes sql`…`');
    const q = text.match(QUERY_ON_HANDLE);
    if (q) out.push(`builds a query: ${q[0]}`);
  }
  if (isHttpEdge) {
    for (const spec of allImports(text)) if (spec.endsWith('.repo.ts')) out.push(`calls a repo (${spec})`);
    if (/\bservices\.db\b|\bdatabase\.db\b/.test(text)) out.push('reaches the raw database');
  }
  return out;
}

describe('server layering', () => {
  it('no drizzle or SQL outside the repos of modules/, notify/ and ops/; no repo calls from routes and plugins', () => {
    const found = files.flatMap((f) => layerViolations(f.path, f.text).map((v) => `${f.path}: ${v}`));
    expect(found).toEqual([]);
  });

  it('services.ts hands no raw database to the routes', () => {
    const text = files.find((f) => f.path === 'services.ts')!.text;
    const returned = text.slice(text.lastIndexOf('  return {'));
    expect(returned.slice(0, returned.indexOf('\n  };'))).not.toMatch(/^\s*(db|database)\b/m);
  });

  it(`no server source file is over ${MAX_LINES} lines`, () => {
    const long = files
      .map((f) => ({ path: f.path, lines: f.text.split('\n').length - (f.text.endsWith('\n') ? 1 : 0) }))
      .filter((f) => f.lines > MAX_LINES && !OVERSIZED_PENDING.has(f.path))
      .map((f) => `${f.path}: ${f.lines} lines`);
    expect(long).toEqual([]);
  });

  it('the oversized allow-list only names files that are still over the limit', () => {
    const fits = [...OVERSIZED_PENDING].filter((p) => {
      const f = files.find((x) => x.path === p);
      return !f || f.text.split('\n').length <= MAX_LINES + 1;
    });
    expect(fits).toEqual([]);
  });

  it('the checks catch what they are meant to catch', () => {
    expect(layerViolations('modules/x/x.service.ts', "import { eq } from 'drizzle-orm';\n")).toHaveLength(1);
    expect(
      layerViolations('modules/x/x.service.ts', "import { users } from '../../db/schema/index.ts';\n"),
    ).toHaveLength(1);
    expect(layerViolations('modules/x/x.service.ts', "import type { Db } from '../../db/types.ts';\n")).toEqual([]);
    expect(layerViolations('modules/x/x.routes.ts', 'const r = await db.execute(sql`select 1`);\n')).toHaveLength(2);
    expect(layerViolations('modules/x/x.service.ts', 'await tx.select().from(t);\n')).toHaveLength(1);
    expect(layerViolations('modules/x/x.service.ts', 'await db.transaction(async (tx) => f(tx));\n')).toEqual([]);
    expect(layerViolations('modules/x/x.routes.ts', "import { findX } from './x.repo.ts';\n")).toHaveLength(1);
    expect(layerViolations('plugins/auth.ts', "import { loadActor } from '../users.repo.ts';\n")).toHaveLength(1);
    expect(layerViolations('modules/x/x.repo.ts', 'await db.execute(sql`select 1`);\n')).toEqual([]);
    expect(layerViolations('notify/dispatcher.ts', "import { and } from 'drizzle-orm';\n")).toHaveLength(1);
    expect(layerViolations('notify/webhook.ts', 'await db.update(users).set({});\n')).toHaveLength(1);
    expect(layerViolations('modules/x/dto.ts', "import { outbox } from '../../db/schema/index.ts';\n")).toHaveLength(1);
    expect(layerViolations('ops/consistency.ts', "await client.query('select 1');\n")).toHaveLength(1);
    expect(layerViolations('ops/consistency-cli.ts', "import { connect } from '../db/connect.ts';\n")).toEqual([]);
    expect(layerViolations('ops/consistency.ts', "import { connect } from '../db/connect.ts';\n")).toHaveLength(1);
    expect(layerViolations('notify/outbox.repo.ts', "import { and } from 'drizzle-orm';\n")).toEqual([]);
  });
});
