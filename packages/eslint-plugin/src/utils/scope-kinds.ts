// The scope manager's enum values the rules compare against, spelled as the strings they are. Reading
// them from `@typescript-eslint/utils` at run time (`TSESLint.Scope.DefinitionType`) loads the whole
// scope manager, about 0.2 s of every lint run's start for six strings; their types stay the enums'
// members, so comparisons still narrow a definition to its kind.
import type { TSESLint } from '@typescript-eslint/utils';

type Definitions = typeof TSESLint.Scope.DefinitionType;
type Scopes = typeof TSESLint.Scope.ScopeType;

export const DefinitionKind: {
  readonly ClassName: Definitions['ClassName'];
  readonly ImportBinding: Definitions['ImportBinding'];
  readonly Parameter: Definitions['Parameter'];
  readonly Variable: Definitions['Variable'];
} = {
  ClassName: 'ClassName' as unknown as Definitions['ClassName'],
  ImportBinding: 'ImportBinding' as unknown as Definitions['ImportBinding'],
  Parameter: 'Parameter' as unknown as Definitions['Parameter'],
  Variable: 'Variable' as unknown as Definitions['Variable'],
} as const;

export const ScopeKind: { readonly global: Scopes['global']; readonly module: Scopes['module'] } = {
  global: 'global' as unknown as Scopes['global'],
  module: 'module' as unknown as Scopes['module'],
} as const;
