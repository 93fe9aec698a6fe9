// The one drizzle schema; drizzle-kit generates ../../../migrations from it. One file per area.
export * from './system.ts';
export * from './identity.ts';
export * from './registry.ts';
export * from './criteria.ts';
export * from './workflow.ts';
export * from './evidence.ts';
export * from './notify.ts';
export * from './reports.ts';
export * from './transparency.ts';
