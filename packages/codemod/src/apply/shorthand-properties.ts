// Which argument ranges of a file are shorthand properties (`{ to, requestId }`). An argument replaced by
// a read of the context cannot stay shorthand: `{ requestId }` must become `{ requestId: <read> }`, or
// the object literal is a syntax error. The analysis records only the identifier's range, so the file's
// text is parsed here, once, and only for files where an argument is replaced.
import { ts } from 'ts-morph';

/** A test of "is the identifier starting at this offset the name of a shorthand property?" for one file text. */
export function shorthandStarts(text: string, fileName: string): (start: number) => boolean {
  let starts: Set<number> | undefined;
  return (start) => {
    if (starts === undefined) {
      starts = new Set();
      const found = starts;
      const visit = (node: ts.Node): void => {
        if (ts.isShorthandPropertyAssignment(node)) found.add(node.name.getStart(sourceFile));
        node.forEachChild(visit);
      };
      const sourceFile = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
      visit(sourceFile);
    }
    return starts.has(start);
  };
}
