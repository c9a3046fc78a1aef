// ESM entry: re-exports the CommonJS build (one copy of the package per process; see index.mts).
export * from './winston.js';
