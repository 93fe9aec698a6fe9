// The criteria model and the pure scoring engine. No I/O here: the same code runs in the server
// and in the mini app (browser), so a household sees the verdict the server stores.
export * from './subject-types.ts';
export * from './schema.ts';
export * from './reasons.ts';
export { compile, roundPoints, isAllowedPoints, scoringViews } from './compile.ts';
export type { CompiledSet, CompiledView, CompiledIndicator, CompiledRules } from './compile.ts';
export * from './validate.ts';
export * from './score.ts';
export * from './evaluate.ts';
export * from './provenance.ts';
