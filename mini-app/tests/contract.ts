/**
 * The mini app's fake API checked against the shared contract (@hoctap/shared/api): what a fake
 * endpoint answers must have the shape the server's response schema has, so a field renamed,
 * added or retyped on the server fails the screen tests that fake it. The shape is checked, not
 * string formats: fixtures keep readable ids ('hh-1') where the server sends UUIDs. Unknown keys
 * fail too, so a field the contract dropped cannot live on in a fake.
 */
/** A zod 4 schema as seen from here (the mini app does not depend on zod itself). */
type Schema = { _zod: { def: object } };
type Def = { type: string; [k: string]: unknown };
const defOf = (s: Schema): Def => s._zod.def as Def;
const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Where `value` departs from the shape of `schema` (empty when it fits). */
export function shapeProblems(schema: Schema, value: unknown, path = '$'): string[] {
  const d = defOf(schema);
  const bad = (want: string) => [
    `${path}: expected ${want}, got ${kind(value)} ${JSON.stringify(value)?.slice(0, 60)}`,
  ];
  switch (d.type) {
    case 'optional':
      return value === undefined ? [] : shapeProblems(d['innerType'] as Schema, value, path);
    case 'nullable':
      return value === null ? [] : shapeProblems(d['innerType'] as Schema, value, path);
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
      return value === undefined ? [] : shapeProblems(d['innerType'] as Schema, value, path);
    case 'pipe':
      return shapeProblems(d['in'] as Schema, value, path);
    case 'lazy':
      return shapeProblems((d['getter'] as () => Schema)(), value, path);
    case 'string':
      return typeof value === 'string' ? [] : bad('string');
    case 'number':
    case 'int':
      return typeof value === 'number' ? [] : bad('number');
    case 'boolean':
      return typeof value === 'boolean' ? [] : bad('boolean');
    case 'null':
      return value === null ? [] : bad('null');
    case 'unknown':
    case 'any':
      return [];
    case 'literal':
      return (d['values'] as unknown[]).includes(value) ? [] : bad(`one of ${JSON.stringify(d['values'])}`);
    case 'enum': {
      const values = Object.values(d['entries'] as Record<string, unknown>);
      return values.includes(value) ? [] : bad(`one of ${JSON.stringify(values)}`);
    }
    case 'array':
      if (!Array.isArray(value)) return bad('array');
      return value.flatMap((v, i) => shapeProblems(d['element'] as Schema, v, `${path}[${i}]`));
    case 'record':
      if (kind(value) !== 'object') return bad('object');
      return Object.entries(value as object).flatMap(([k, v]) =>
        shapeProblems(d['valueType'] as Schema, v, `${path}.${k}`),
      );
    case 'object': {
      if (kind(value) !== 'object') return bad('object');
      const shape = d['shape'] as Record<string, Schema>;
      const obj = value as Record<string, unknown>;
      const unknownKeys = Object.keys(obj)
        .filter((k) => !(k in shape))
        .map((k) => `${path}.${k}: not in the contract`);
      return [...unknownKeys, ...Object.entries(shape).flatMap(([k, s]) => shapeProblems(s, obj[k], `${path}.${k}`))];
    }
    case 'union': {
      const options = d['options'] as Schema[];
      const each = options.map((o) => shapeProblems(o, value, path));
      return each.some((p) => p.length === 0)
        ? []
        : (each.sort((a, b) => a.length - b.length)[0] ?? bad('a union member'));
    }
    case 'intersection':
      return [...shapeProblems(d['left'] as Schema, value, path), ...shapeProblems(d['right'] as Schema, value, path)];
    default:
      return [`${path}: the contract check does not know zod type "${d.type}"`];
  }
}

/**
 * Departures seen during the current test. A screen may catch the error a fake throws and show
 * it as a failed request, so setup.ts also fails the test from this list afterwards.
 */
export const contractViolations: string[] = [];

/** Returns `value` when it has the contract's shape; throws, naming every departure, when not. */
export function conforming<T>(schema: Schema, value: T, what: string): T {
  const problems = shapeProblems(schema, value);
  if (problems.length === 0) return value;
  const message = `${what} does not match the shared contract:\n  ${problems.join('\n  ')}`;
  contractViolations.push(message);
  throw new Error(message);
}
