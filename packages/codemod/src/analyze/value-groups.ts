// Which parameters of one name hold one value. A name is not a value: `req` may be the app's request
// object in one chain, an `IncomingMessage` in another and a queue item in a third. Parameters the value
// flows between (a caller passing its own parameter on, an interface member and its implementation)
// hold one value; unconnected ones hold the same value only when their declared types agree. The
// context key takes the type of one value; a parameter holding another keeps, with the reason.
import type { ts } from 'ts-morph';
import type { Keep, KeepReason } from '../public-types.js';
import type { CallInfo, KeyType, ThreadedParam } from '../types.js';
import type { Candidate, CandidateIndex } from './collect-functions.js';
import { readPositionalType, readPropertyType, type ParamType, type TypeReading } from './param-types.js';

interface Member {
  candidate: Candidate;
  param: ThreadedParam;
  read: ParamType;
}

/** Parameters connected by the values flowing between them, with what they agree on. */
interface Component {
  members: Member[];
  /** The member whose type every other member's type accepts (the most specific); absent when untyped. */
  representative?: Member;
  /** Why the component has no single type to name. */
  problem?: { reason: KeepReason; detail: string };
}

/**
 * Reads every threaded parameter's type (setting `optional`, `declaredOptional` and `type` on it), keeps
 * the functions whose parameter holds another value than the key's, and returns each key's type.
 * `chosen` maps a key to the type the user picked with `--param name:Type`.
 */
export function groupValues(
  index: CandidateIndex,
  calls: readonly CallInfo[],
  reading: TypeReading,
  chosen: ReadonlyMap<string, string>,
  existing: ReadonlyMap<string, ts.Type> = new Map(),
): Record<string, KeyType> {
  const members = new Map<string, Member>();
  for (const candidate of index.list) {
    if (candidate.info.kind === 'external') continue;
    for (const param of candidate.info.params) {
      const parameter = candidate.node.parameters[param.index];
      if (parameter === undefined) continue;
      const read =
        param.shape === 'positional'
          ? readPositionalType(parameter, reading)
          : readPropertyType(parameter, param.name ?? param.key, param.defaultText !== undefined, reading);
      param.optional ||= read.mayBeUndefined;
      if (read.declaredOptional) param.declaredOptional = true;
      if (read.type !== undefined) param.type = read.type;
      members.set(memberId(candidate.info.id, param.key), { candidate, param, read });
    }
  }

  const links = new UnionFind();
  for (const call of calls) {
    for (const arg of call.args) {
      if (arg.kind !== 'own-param' || arg.ownerId === undefined) continue;
      const callee = memberId(call.calleeId, arg.key);
      const owner = memberId(arg.ownerId, arg.key);
      if (members.has(callee) && members.has(owner)) links.union(callee, owner);
    }
  }
  for (const { candidate, param } of members.values()) {
    for (const other of candidate.info.linked) {
      const id = memberId(other, param.key);
      if (members.has(id)) links.union(memberId(candidate.info.id, param.key), id);
    }
  }

  const byKey = new Map<string, Map<string, Member[]>>();
  for (const [id, member] of members) {
    const components = byKey.get(member.param.key) ?? new Map<string, Member[]>();
    const root = links.find(id);
    components.set(root, [...(components.get(root) ?? []), member]);
    byKey.set(member.param.key, components);
  }

  const keyTypes: Record<string, KeyType> = {};
  for (const [key, grouped] of byKey) {
    const components = [...grouped.values()].map((list) => describeComponent(key, list, reading.checker));
    const type = chooseValue(key, components, reading.checker, chosen.get(key), existing.get(key));
    if (type !== undefined) keyTypes[key] = type;
  }
  return keyTypes;
}

function memberId(functionId: string, key: string): string {
  return `${functionId}\u0000${key}`;
}

function describeComponent(key: string, members: Member[], checker: ts.TypeChecker): Component {
  const component: Component = { members };
  const unnameable = members.find((m) => m.read.unnameable !== undefined);
  if (unnameable !== undefined) {
    component.problem = { reason: 'type-not-nameable', detail: `${key}: ${unnameable.read.unnameable}` };
    return component;
  }
  const typed = members.filter((m) => m.read.checkerType !== undefined);
  if (typed.length === 0) return component;
  // The value passed along a chain may be declared wider further down (a subtype handed to a function
  // taking its base): the context holds the most specific, which every reader accepts. Only a declared
  // type can be written in the context module; an inferred one (a callback's) is only checked against.
  const representative = typed.find(
    (m) => m.read.type !== undefined && typed.every((o) => o === m || checker.isTypeAssignableTo(m.read.checkerType!, o.read.checkerType!)),
  );
  if (representative === undefined && typed.every((m) => m.read.type === undefined)) {
    component.problem = { reason: 'type-not-nameable', detail: `${key}: its type (${display(typed[0]!, checker)}) is inferred, with no declaration to name` };
    return component;
  }
  if (representative === undefined) {
    const types = [...new Set(typed.map((m) => display(m, checker)))].join(', ');
    component.problem = { reason: 'another-value', detail: `${key} is passed between parameters of types no one type satisfies (${types})` };
    return component;
  }
  component.representative = representative;
  return component;
}

/** The value the key holds, keeping every parameter that holds another; undefined when no parameter declares a type. */
function chooseValue(
  key: string,
  components: Component[],
  checker: ts.TypeChecker,
  chosenType: string | undefined,
  existingType: ts.Type | undefined,
): KeyType | undefined {
  for (const component of components) if (component.problem !== undefined) keepAll(component.members, component.problem);
  const typed = components.filter((c) => c.representative !== undefined);
  // Unconnected parameters whose types agree both ways hold the same kind of value: one group.
  const groups: { representative: Member; members: Member[] }[] = [];
  for (const component of typed) {
    const type = component.representative!.read.checkerType!;
    const same = groups.find((g) => {
      const other = g.representative.read.checkerType!;
      return checker.isTypeAssignableTo(type, other) && checker.isTypeAssignableTo(other, type);
    });
    if (same !== undefined) same.members.push(...component.members);
    else groups.push({ representative: component.representative!, members: [...component.members] });
  }
  const untyped = components.filter((c) => c.representative === undefined && c.problem === undefined).flatMap((c) => c.members);
  if (groups.length === 0) return undefined;

  let main: (typeof groups)[number] | undefined;
  if (chosenType !== undefined) {
    main = groups.filter((g) => matchesChoice(g.representative, chosenType)).sort((a, b) => functionCount(b.members) - functionCount(a.members))[0];
  } else if (existingType !== undefined) {
    // The context module already types the key: its value is the one whose type it holds.
    const holds = (g: (typeof groups)[number]): boolean => checker.isTypeAssignableTo(checker.getNonNullableType(g.representative.read.checkerType!), existingType);
    main = groups.filter(holds).sort((a, b) => functionCount(b.members) - functionCount(a.members))[0];
  } else {
    const bySize = [...groups].sort((a, b) => functionCount(b.members) - functionCount(a.members));
    // A tie is the user's choice to make: neither value moves until `--param key:Type` says which.
    if (bySize.length === 1 || functionCount(bySize[0]!.members) > functionCount(bySize[1]!.members)) main = bySize[0];
  }
  const values = groups.map((g) => `${display(g.representative)} (${functionCount(g.members)} function(s))`).join(', ');
  for (const group of groups) {
    if (group === main) continue;
    const detail =
      main !== undefined
        ? `${key}: ${display(group.representative)} is another value than the context's ${key}: ${display(main.representative)}`
        : chosenType !== undefined
          ? `${key}: ${display(group.representative)} is not the type chosen with --param ${key}:${chosenType}`
          : existingType !== undefined
            ? `${key}: ${display(group.representative)} is another value than the context module's ${key}: ${checker.typeToString(existingType)}`
          : `${key} names ${groups.length} values, ${values}: choose one with --param ${key}:<type>`;
    keepAll(group.members, { reason: 'another-value', detail });
  }
  if (main === undefined) {
    keepAll(untyped, { reason: 'another-value', detail: `${key} names ${groups.length} values, ${values}: choose one with --param ${key}:<type>` });
    return undefined;
  }
  return main.representative.read.type;
}

function display(member: Member, checker?: ts.TypeChecker): string {
  return member.read.type?.display ?? (member.read.checkerType !== undefined && checker !== undefined ? checker.typeToString(member.read.checkerType) : 'unknown');
}

function functionCount(members: readonly Member[]): number {
  return new Set(members.map((m) => m.candidate.info.id)).size;
}

/** `--param req:BridgeRequest` names the type as written, as the checker prints it, or without its type arguments. */
function matchesChoice(member: Member, chosen: string): boolean {
  const type = member.read.type;
  if (type === undefined) return false;
  const squeeze = (s: string): string => s.replace(/\s+/g, '');
  const bare = (s: string): string => squeeze(s).replace(/<.*$/, '');
  const wanted = squeeze(chosen);
  return [type.text, type.display].some((t) => squeeze(t) === wanted || bare(t) === wanted);
}

function keepAll(members: readonly Member[], problem: { reason: KeepReason; detail: string }): void {
  for (const { candidate } of members) {
    const info = candidate.info;
    if (info.keeps.some((k) => k.reason === problem.reason)) continue;
    const keep: Keep = { reason: problem.reason, at: { file: info.file, line: info.line }, detail: problem.detail };
    info.keeps.push(keep);
  }
}

class UnionFind {
  private readonly parent = new Map<string, string>();

  find(id: string): string {
    let root = id;
    while (this.parent.has(root) && this.parent.get(root) !== root) root = this.parent.get(root)!;
    this.parent.set(id, root);
    return root;
  }

  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(ra, rb);
  }
}
