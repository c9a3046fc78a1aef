// The ESM entry re-exports the CommonJS build: importing and requiring the API in one process share
// one copy of it (one InputError class for instanceof checks).
export * from './index.js';
