// The rule registry: one import and one entry per rule, sorted by id. Configs are derived from each
// rule's `meta.docs`, so adding a rule here is all it takes to ship it.
import type { TSESLint } from '@typescript-eslint/utils';
import type { UnthreadRuleDocs } from '../utils/create-rule.js';
import noDisableInRequest from './no-disable-in-request.js';
import noFloatingRun from './no-floating-run.js';
import noLargeStore from './no-large-store.js';
import noLongLivedResourceInRun from './no-long-lived-resource-in-run.js';
import noSharedRequestState from './no-shared-request-state.js';
import noSharedStore from './no-shared-store.js';
import noStoragePerCall from './no-storage-per-call.js';
import noStoreMutation from './no-store-mutation.js';
import noThreadedContext from './no-threaded-context.js';
import noUnboundCallback from './no-unbound-callback.js';
import noUnsafeEnterWith from './no-unsafe-enter-with.js';
import noUnsupportedStorageApi from './no-unsupported-storage-api.js';
import requireStoreGuard from './require-store-guard.js';

export type UnthreadRule = TSESLint.RuleModule<string, readonly unknown[], UnthreadRuleDocs>;

export const rules = {
  'no-disable-in-request': noDisableInRequest,
  'no-floating-run': noFloatingRun,
  'no-large-store': noLargeStore,
  'no-long-lived-resource-in-run': noLongLivedResourceInRun,
  'no-shared-request-state': noSharedRequestState,
  'no-shared-store': noSharedStore,
  'no-storage-per-call': noStoragePerCall,
  'no-store-mutation': noStoreMutation,
  'no-threaded-context': noThreadedContext,
  'no-unbound-callback': noUnboundCallback,
  'no-unsafe-enter-with': noUnsafeEnterWith,
  'no-unsupported-storage-api': noUnsupportedStorageApi,
  'require-store-guard': requireStoreGuard,
} satisfies Record<string, UnthreadRule>;
