// Which argument ranges of a file are shorthand properties (`{ to, requestId }`). An argument replaced by
// a read of the context cannot stay shorthand: `{ requestId }` must become `{ requestId: <read> }`, or
// the object literal is a syntax error. The analysis records only the identifier's range, so the file's
// text is parsed (once, and only for files where an argument is replaced) and its shorthands listed.
import { ts } from 'ts-morph';

/** The offsets where the name of a shorthand property starts. */
export function shorthandStarts(sourceFile: ts.SourceFile): Set<number> {
  const starts = new Set<number>();
  const visit = (node: ts.Node): void => {
    if (ts.isShorthandPropertyAssignment(node)) starts.add(node.name.getStart(sourceFile));
    node.forEachChild(visit);
  };
  visit(sourceFile);
  return starts;
}
