// Request/response schemas shared by the server (route schemas) and the mini app (typed client).
export * from './common.ts';
export * from './identity.ts';
export * from './registry.ts';
export * from './onboarding.ts';
export * from './reports.ts';
export * from './workflow.ts';
export * from './notify.ts';
export * from '../errors.ts';
export * from './transparency.ts';
export * from './history.ts';
