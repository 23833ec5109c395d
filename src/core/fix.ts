// Every certain fix of a batch CSV, applied until none is left: the same edits the editor's quick
// fixes make (one engine, so that a command-line `fix` cannot drift from them). A fix is certain
// when the linter knows the exact text: a problem's `replacement`, the rewrite with commas, the
// removal of blank rows, the missing required columns.
import { utf8 } from './decoder';
import { detectDelimiter } from './delimiter';
import { TextEdit, addMissingColumns, commaEdits, removeBlankRows } from './edits';
import { FolderIndex } from './images';
import { lintCsv } from './lint';
import { LintOptions, lintOptions } from './options';
import { Position, Problem } from './problem';
import { LineIndex } from './text';

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

/**
 * The problems with a replacement that can be applied together: in text order, each starting at
 * or after the end of the one before (an editor refuses a set of edits that overlap).
 */
export function nonOverlapping(problems: readonly Problem[]): Problem[] {
  const sorted = problems.filter((p) => p.replacement !== undefined)
    .sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  const out: Problem[] = [];
  let end: Position = { line: -1, character: 0 };
  for (const p of sorted) {
    if (before(p.range.start, end)) continue;
    out.push(p);
    end = p.range.end;
  }
  return out;
}

/** The edits of those problems' replacements (see `nonOverlapping`). */
export function replacementEdits(problems: readonly Problem[]): TextEdit[] {
  return nonOverlapping(problems).map((p) => ({ range: p.range, newText: p.replacement as string }));
}

/** The text with the edits made; they must not overlap (edits at one point apply in their order). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const index = new LineIndex(text);
  const offset = (p: Position): number => Math.min(index.offsetAt(p.line) + p.character, text.length);
  const spans = edits.map((e, i) => ({ start: offset(e.range.start), end: offset(e.range.end), text: e.newText, i }))
    .sort((a, b) => a.start - b.start || a.i - b.i);
  let out = '';
  let at = 0;
  for (const s of spans) {
    out += text.slice(at, s.start) + s.text;
    at = Math.max(at, s.end);
  }
  return out + text.slice(at);
}

function firstNonEmpty(kinds: (() => TextEdit[])[]): TextEdit[] {
  for (const kind of kinds) {
    const edits = kind();
    if (edits.length > 0) return edits;
  }
  return [];
}

/** Past this many rounds the fixes are taken to undo one another, and the text is returned as it is. */
const MAX_ROUNDS = 10;

export interface FixInput {
  /** The batch folder, for the fixes of image references (letter case, Unicode form). */
  folder?: FolderIndex;
  options?: Partial<LintOptions>;
}

/**
 * The text (as an editor holds it: decoded, without a byte-order mark) with every certain fix
 * applied, in rounds, each relinting what the last one left: a
 * file separated by another character is rewritten with commas first (every other edit depends on
 * how the cells are split), then blank rows go, then missing required columns are added, then
 * every replacement is made. Done when a round has nothing to do, so fixing the result again
 * changes nothing. `rounds` counts the rounds that changed the text.
 */
export function fixCsv(text: string, input: FixInput = {}): { text: string; rounds: number } {
  let current = text;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const lint = lintCsv({ fileName: 'input.csv', bytes: utf8(current), folder: input.folder, options: input.options });
    const has = (code: Problem['code']): boolean => lint.problems.some((p) => p.code === code);
    const delimiter = detectDelimiter(current, lintOptions(input.options).extraColumns);
    const edits = has('delimiter') ? commaEdits(current, delimiter)
      : firstNonEmpty([
        () => (has('blank-row') ? removeBlankRows(current, delimiter) : []),
        () => (has('missing-column') ? addMissingColumns(current, undefined, delimiter).edits : []),
        () => replacementEdits(lint.problems),
      ]);
    const next = applyEdits(current, edits);
    if (next === current) return { text: current, rounds: round };
    current = next;
  }
  return { text: current, rounds: MAX_ROUNDS };
}
