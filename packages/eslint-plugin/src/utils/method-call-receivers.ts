// Whether a name in a file's text receives a call of an instance method: `als.run(`, `als?.getStore(`,
// or through one property, `context.als.run(` (a namespace import or a required module object). The
// recogniser resolves an imported name only when it does (async-context-model.ts), since reading the
// imported module from disk is the costly part of its model.
//
// The text is searched for the few imported names a file has, not scanned for every receiver: a
// scan with a leading `([\w$]+)` tries a match at every identifier of the file, which cost more than
// the rest of the model. The answers are the same: a name counts where it stands as a whole
// identifier (no identifier character just before it) and is followed by `.method(`.
import { INSTANCE_METHODS } from './context-names.js';

const METHOD_NAMES = [...INSTANCE_METHODS].join('|');
// Sticky: tried right after an occurrence of the name. The optional middle segment is the property of
// `context.als.run(`.
const METHOD_CALL_AFTER_NAME = new RegExp(String.raw`\s*\??\.\s*(?:[\w$]+\s*\??\.\s*)?(?:${METHOD_NAMES})\s*\(`, 'uy');
const IDENTIFIER_CHARACTER = /[\w$]/u;
const RECEIVER_NAME = /^[\w$]+$/u;

// The test for the file being linted: the prefilter (mayHoldInstances) and the model's import pass ask
// about the same names of the same text, one after the other. Only the last text is kept, as ESLint
// lints one file after the other.
let lastTest: { text: string; test: (name: string) => boolean } | undefined;

/** A test of names against `text`, remembering each answer (a file asks about a name once or twice). */
export function createReceiverTest(text: string): (name: string) => boolean {
  if (lastTest?.text === text) return lastTest.test;
  const answers = new Map<string, boolean>();
  const test = (name: string): boolean => {
    let answer = answers.get(name);
    if (answer === undefined) {
      answer = receivesMethodCall(text, name);
      answers.set(name, answer);
    }
    return answer;
  };
  lastTest = { text, test };
  return test;
}

function receivesMethodCall(text: string, name: string): boolean {
  // Only names made of `[\w$]` characters can be found this way (as before: `é` is no identifier
  // character to the receiver pattern).
  if (!RECEIVER_NAME.test(name)) return false;
  for (let index = text.indexOf(name); index !== -1; index = text.indexOf(name, index + 1)) {
    if (index > 0 && IDENTIFIER_CHARACTER.test(text[index - 1]!)) continue;
    METHOD_CALL_AFTER_NAME.lastIndex = index + name.length;
    if (METHOD_CALL_AFTER_NAME.test(text)) return true;
  }
  return false;
}
