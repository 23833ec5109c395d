import { FolderIndex, LintOptions, Position, Problem, TextEdit, applyEdits, fixCsv, fixDocument } from '../../src/core';

/** The text with every certain fix applied by the engine (`fixCsv`), or the text itself when it refuses. */
export function fixText(text: string, input: { folder?: FolderIndex; options?: Partial<LintOptions> } = {}): string {
  const r = fixCsv({ fileName: 'input.csv', bytes: new TextEncoder().encode(text), folder: input.folder, options: input.options });
  return r.ok ? new TextDecoder().decode(r.bytes) : text;
}

/** The text with non-overlapping edits applied. */
export function applyText(text: string, edits: readonly TextEdit[]): string {
  return applyEdits(fixDocument(text), edits);
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

/** The edits of the problems' replacements, in text order, none overlapping one taken before it. */
export function replacementEdits(problems: readonly Problem[]): TextEdit[] {
  const sorted = problems.filter((p) => p.replacement !== undefined)
    .sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  const out: TextEdit[] = [];
  let end: Position = { line: -1, character: 0 };
  for (const p of sorted) {
    if (before(p.range.start, end)) continue;
    out.push({ range: p.range, newText: p.replacement as string });
    end = p.range.end;
  }
  return out;
}
