export { createContext, type Context, type ContextOptions, type ContextShape, type Store } from './context.js';
export { MissingContextError } from './errors.js';
export { snapshot, type ContextSnapshot } from './snapshot.js';
export { bindCallback, bindEmitter, type BindableContext } from './bind.js';
export { onAbort } from './abort.js';
export { runJob, type JobOptions } from './job.js';
export { runInTest, TestRun } from './run-in-test.js';
export { fields } from './fields.js';
export { isSafeRequestId, resolveRequestId } from './request-id.js';
