// @hoctap/shared — the contract between server and mini app: the criteria model, the pure
// scoring engine and the Vietnamese vocabulary. The shipped criteria sets are a separate entry
// point (@hoctap/shared/catalog) so code that only scores does not have to load them.
export * from './criteria/index.ts';
export * from './i18n/index.ts';
export * from './format.ts';
