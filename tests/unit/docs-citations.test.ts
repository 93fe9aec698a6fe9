import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The design lives in the repository's own docs/. This test keeps it that way: no source, test,
 * script or document may cite a design document outside the repository, and every
 * `docs/<file>.md §N` citation must land on an existing file with a heading numbered N.
 * It also keeps the configuration table of docs/operations.md §2 complete.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SELF = relative(ROOT, fileURLToPath(import.meta.url));

/** What is scanned: folders (recursively) and single files, relative to the repository root. */
const SCAN = [
  'server',
  'shared',
  'mini-app/src',
  'mini-app/tests',
  'mini-app/e2e',
  'mini-app/README.md',
  'tests',
  'scripts',
  'docs',
  'README.md',
  'pnpm-workspace.yaml',
  '.ci/run',
];
const SKIP_DIRS = new Set(['node_modules', 'fixtures', 'www', 'dist', 'data', '.git']);
const EXTENSIONS = /\.(ts|tsx|mts|mjs|js|md|yaml)$/;

function files(): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    const abs = join(ROOT, rel);
    if (!existsSync(abs)) return;
    if (statSync(abs).isDirectory()) {
      for (const e of readdirSync(abs, { withFileTypes: true })) {
        if (e.isDirectory() && SKIP_DIRS.has(e.name)) continue;
        walk(join(rel, e.name));
      }
    } else if (EXTENSIONS.test(rel) || rel === '.ci/run') {
      out.push(rel);
    }
  };
  SCAN.forEach(walk);
  return out.filter((f) => f !== SELF);
}

interface Problem {
  file: string;
  line: number;
  text: string;
  why: string;
}

/** Citations of documents that are not in this repository. */
const OUTSIDE: { re: RegExp; why: string }[] = [
  {
    re: /(?:\.\.\/)+shared\/(?:design|reference)|\/work\/shared|\bshared\/(?:design|reference)\//,
    why: 'path outside the repository',
  },
  { re: /\.\.\/reference\b|reference\/plans\b/, why: 'path outside the repository' },
  { re: /\bARCHITECTURE\b/, why: 'ARCHITECTURE is not in the repository: cite docs/architecture.md §N' },
  { re: /\b(?:DOMAIN|API)\.md\b/, why: 'not in the repository: cite docs/domain.md or docs/architecture.md' },
  { re: /\b(?:stack|criteria|peers)\.md\b/, why: 'reference note outside the repository: cite a docs/ document' },
];

/** `zalo.md`, `security.md` … are only ours when written as docs/… (or from inside docs/). */
const DOC_NAME = /(?<![\w/.-])(zalo|security|architecture|domain|operations)\.md\b/g;

/** Every `xxx.md` mention on a line, with where it ends, to attach a following `§`. */
const MD_REF = /(?:\.\/)?([\w./-]*?)([\w-]+\.md)\b/g;

const headingCache = new Map<string, Set<string>>();
function headingsOf(repoPath: string): Set<string> | null {
  const cached = headingCache.get(repoPath);
  if (cached) return cached;
  const abs = join(ROOT, repoPath);
  if (!existsSync(abs)) return null;
  const set = new Set<string>();
  for (const l of readFileSync(abs, 'utf8').split('\n')) {
    const m = /^#{1,6}\s+(\d+(?:\.\d+)*)[.\s]/.exec(l);
    if (m) set.add(m[1]!);
  }
  headingCache.set(repoPath, set);
  return set;
}

/** Checks one file's text; `file` is its path relative to the repository root. */
function checkText(file: string, text: string): Problem[] {
  const problems: Problem[] = [];
  const inDocs = file.startsWith('docs/');
  text.split('\n').forEach((line, i) => {
    const add = (why: string) => problems.push({ file, line: i + 1, text: line.trim().slice(0, 160), why });
    for (const o of OUTSIDE) if (o.re.test(line)) add(o.why);
    if (!inDocs) {
      for (const m of line.matchAll(DOC_NAME)) {
        add(`"${m[0]}" is ambiguous: write docs/${m[0]}`);
      }
    }
    // Every docs/ path mentioned must exist.
    for (const m of line.matchAll(/\bdocs\/([\w-]+\.md)\b/g)) {
      if (!existsSync(join(ROOT, 'docs', m[1]!))) add(`docs/${m[1]} does not exist`);
    }
    // Every § must follow a docs/ document on the same line (inside docs/, a bare § is the file itself).
    const refs = [...line.matchAll(MD_REF)].map((m) => ({ end: m.index + m[0].length, dir: m[1]!, name: m[2]! }));
    for (const s of line.matchAll(/§\s*(\d+(?:\.\d+)*)/g)) {
      const ref = refs.filter((r) => r.end <= s.index).at(-1);
      let target: string | null = null;
      if (ref) {
        if (ref.dir === 'docs/' || ref.dir.endsWith('/docs/')) target = `docs/${ref.name}`;
        else if (inDocs && (ref.dir === '' || ref.dir === './')) target = `docs/${ref.name}`;
      } else if (inDocs) {
        target = file;
      }
      if (!target) {
        add(`"§${s[1]}" does not name a docs/ document`);
        continue;
      }
      const headings = headingsOf(target);
      if (!headings) add(`${target} does not exist`);
      else if (!headings.has(s[1]!)) add(`${target} has no heading numbered ${s[1]}`);
    }
  });
  return problems;
}

const show = (ps: Problem[]) => ps.map((p) => `${p.file}:${p.line}: ${p.why}\n    ${p.text}`).join('\n');

describe('documentation citations', () => {
  it('the checker catches outside documents, bare and unresolved §', () => {
    const bad = [
      'ARCHITECTURE §2: clock injected',
      '// see ../shared/design/ARCHITECTURE.md',
      '(zalo.md §4.7)',
      'security.md T21',
      'per DOMAIN.md "Targets"',
      'stack.md §3.1',
      '(§4.1)',
      'docs/architecture.md §99',
      'docs/nowhere.md',
    ];
    for (const line of bad) expect(checkText('server/src/x.ts', line), line).not.toEqual([]);
    const good = [
      'docs/architecture.md §4',
      'docs/architecture.md §7.1 and §7.5',
      'docs/zalo-setup.md',
      'SECURITY.md at the root',
      "resolve(root, '../shared/src')",
    ];
    for (const line of good) expect(checkText('server/src/x.ts', line), line).toEqual([]);
    expect(checkText('docs/zalo.md', 'see §10 and [architecture.md §6](architecture.md)')).toEqual([]);
    expect(checkText('docs/zalo.md', 'see §99')).not.toEqual([]);
  });

  it('no file cites a document outside the repository, and every § resolves', () => {
    const all = files();
    expect(all.length).toBeGreaterThan(100);
    const problems = all.flatMap((f) => checkText(f, readFileSync(join(ROOT, f), 'utf8')));
    expect(problems, show(problems)).toEqual([]);
  });

  it('every configuration variable is in the table of docs/operations.md §2', () => {
    const config = readFileSync(join(ROOT, 'server/src/config.ts'), 'utf8');
    const schema = config.slice(config.indexOf('const envSchema'), config.indexOf('.superRefine'));
    const vars = [...schema.matchAll(/^\s{4}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!);
    expect(vars.length).toBeGreaterThan(20);
    const ops = readFileSync(join(ROOT, 'docs/operations.md'), 'utf8');
    const table = ops.slice(ops.indexOf('<!-- config-table:start -->'), ops.indexOf('<!-- config-table:end -->'));
    const missing = vars.filter((v) => !table.includes(`\`${v}\``));
    expect(missing).toEqual([]);
  });
});
