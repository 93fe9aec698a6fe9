// The one drizzle schema; drizzle-kit generates ../../../migrations from it. One file per area.
export * from './system.ts';
