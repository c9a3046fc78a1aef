// The ESM entry re-exports the CommonJS build, so that importing and requiring the package in one
// process share one copy of it (one AsyncLocalStorage per context, one MissingContextError class).
export * from './index.js';
