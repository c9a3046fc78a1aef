// `settings.unthread`, as the recogniser and the configs read it.
import type { ContextKind } from './context-names.js';

export interface ConfiguredContextName {
  name: string;
  kind?: ContextKind;
}

/** The shape of `settings.unthread` that the recogniser reads. */
export interface UnthreadSettings {
  asyncContexts?: (string | ConfiguredContextName)[];
  useTypeInformation?: boolean;
}

export function readSettings(settings: Readonly<Record<string, unknown>>): UnthreadSettings {
  const raw = settings['unthread'];
  return typeof raw === 'object' && raw !== null ? raw : {};
}
