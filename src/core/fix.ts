// The fix engine, one for the editor's quick fixes and for `jumio-batch fix`. FIXERS is a table by
// rule code: a fixer turns one problem into a Fix (text edits, or dropping the byte-order mark).
// `mergeFixes` takes as many fixes as can be applied together; `fixCsv` repeats lint and merge on
// a file's bytes until no certain fix is left, so fixes that overlap (a trimmed cell that also
// has a forbidden character) all land in one run.
import { DEFAULT_WORKFLOW_KEY } from './columns';
import { DELIMITER_NAMES, detectDelimiter } from './delimiter';
import { TextEdit, addMissingColumns, commaEdits, removeBlankRows } from './edits';
import { LintInput, lintCsv } from './lint';
import { Problem } from './problem';
import { RuleCode } from './rules';
import { LineIndex, decodeCsv } from './text';

/** The text a fixer works on: the decoded CSV (no byte-order mark), with its line index. */
export interface FixDocument {
  text: string;
  lines: LineIndex;
  /** Further column names the user's workflow has: they tell a header separated by `;` from a value. */
  extraColumns: readonly string[];
}

export function fixDocument(text: string, extraColumns: readonly string[] = []): FixDocument {
  return { text, lines: new LineIndex(text), extraColumns };
}

/** One certain fix: what it does, in words, and the change it makes. */
export interface Fix {
  /** What the fix does, as a quick fix's title. */
  title: string;
  /** Edits of the document's text, 0-based, not overlapping one another. */
  edits: TextEdit[];
  /** The fix drops the UTF-8 byte-order mark (a fact of the bytes: no text edit can). */
  dropBom?: true;
}

/** How one rule code is fixed. */
export interface Fixer {
  /**
   * `problem`: each problem has a fix of its own. `file`: one fix mends every problem of the code
   * at once (adding all missing columns), so any of them yields the same fix.
   */
  scope: 'problem' | 'file';
  /** The certain fix of `p`, or undefined when the right text is not known. Never throws. */
  fix(p: Problem, doc: FixDocument): Fix | undefined;
  /** The title of fixing all `n` problems of the code in a file at once; absent: not offered. */
  all?: (n: number) => string;
  /**
   * The fix rewrites the cells' separators throughout (`delimiter`): every other fix is computed
   * on the cells as the old separator splits them, so it is applied alone, in a round of its own.
   */
  alone?: true;
}

/** A fixer that writes the `replacement` the linter computed over the problem's range. */
function replacing(one: (p: Problem) => string, all: (n: number) => string): Fixer {
  return {
    scope: 'problem',
    fix: (p) => (p.replacement === undefined ? undefined : { title: one(p), edits: [{ range: p.range, newText: p.replacement }] }),
    all,
  };
}

/**
 * Every certain fix, by rule code. A code that is absent has no fix: the right text is not known
 * (personal data in a reference, a missing image). See the README's "Adding a fix".
 */
export const FIXERS: { readonly [C in RuleCode]?: Fixer } = {
  'bom': { scope: 'file', fix: () => ({ title: 'Remove the byte-order mark', edits: [], dropBom: true }) },
  'delimiter': {
    scope: 'file',
    alone: true,
    fix: (_p, doc) => {
      const separator = detectDelimiter(doc.text, doc.extraColumns);
      const edits = commaEdits(doc.text, separator);
      return edits.length === 0 ? undefined : { title: `Rewrite the file with commas instead of ${DELIMITER_NAMES[separator]}`, edits };
    },
  },
  'blank-row': {
    scope: 'file',
    fix: (_p, doc) => {
      const edits = removeBlankRows(doc.text, detectDelimiter(doc.text, doc.extraColumns));
      return edits.length === 0 ? undefined : { title: 'Remove all blank rows', edits };
    },
  },
  'missing-column': {
    scope: 'file',
    fix: (_p, doc) => {
      const add = addMissingColumns(doc.text, undefined, detectDelimiter(doc.text, doc.extraColumns));
      if (add.edits.length === 0) return undefined;
      const key = add.columns.includes('workflowDefinitionKey') ? ` (workflow key ${DEFAULT_WORKFLOW_KEY})` : '';
      return { title: `Add the column${add.columns.length > 1 ? 's' : ''} ${add.columns.join(', ')}${key}`, edits: add.edits };
    },
  },
  'whitespace': replacing(() => 'Trim the spaces', (n) => `Trim the spaces of all ${n} cells`),
  'forbidden-character': replacing(() => 'Remove the forbidden character', (n) => `Remove all ${n} forbidden characters`),
  'unknown-column': replacing((p) => `Rename the column to "${p.replacement}"`, (n) => `Rename all ${n} misspelt columns`),
  'image-case-mismatch': replacing((p) => `Write "${p.replacement}" (the file's real letter case)`, (n) => `Correct the letter case of all ${n} image references`),
  'country-code': replacing((p) => `Use "${p.replacement}"`, (n) => `Correct all ${n} country codes`),
  'timestamp': replacing((p) => `Rewrite as ${p.replacement}`, (n) => `Rewrite all ${n} timestamps as UTC YYYY-MM-DDThh:mm:ss.SSSZ`),
  'consent-value': replacing((p) => `Use "${p.replacement}"`, (n) => `Correct all ${n} consent values`),
  'phone-number': replacing(() => 'Keep only the digits (and a leading +)', (n) => `Clean all ${n} phone numbers`),
  'excel-damage': replacing((p) => `Restore the leading zero: "${p.replacement}"`, (n) => `Restore the leading zeros of all ${n} ZIP codes`),
  'image-name-unicode': replacing(() => "Write the name in the Unicode form of the file's own name", (n) => `Write all ${n} image names in the Unicode form of their files' names`),
};

/** The certain fix of one problem, or undefined. */
export function fixOf(p: Problem, doc: FixDocument): Fix | undefined {
  return FIXERS[p.code]?.fix(p, doc);
}

/** Fixes that can be applied together. */
export interface MergedFix {
  /** Their edits, in text order, none overlapping another. */
  edits: TextEdit[];
  dropBom: boolean;
  /** The problems these edits fix (for a `file` fix, every problem of its code). */
  fixed: Problem[];
}

/** Edit extents already taken, as sorted offsets, to test a new fix against. */
class Taken {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  private lowerBound(s: number): number {
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid] < s) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Whether [s, e) can be applied beside what is taken: it must not overlap a taken edit, nor
   * start where one starts (two edits at one place have no defined order), nor sit inside one.
   */
  fits(s: number, e: number): boolean {
    const i = this.lowerBound(s);
    if (i < this.starts.length && (this.starts[i] === s || this.starts[i] < e)) return false;
    return !(i > 0 && this.ends[i - 1] > s);
  }

  add(s: number, e: number): void {
    const i = this.lowerBound(s);
    this.starts.splice(i, 0, s);
    this.ends.splice(i, 0, e);
  }
}

function offsetOf(doc: FixDocument, p: { line: number; character: number }): number {
  return doc.lines.offsetAt(p.line) + p.character;
}

/**
 * As many of the problems' fixes as can be applied together, taken in the order given: a fix
 * with an edit that clashes with one already taken is left out (its problem is still there at the
 * next lint, and `fixCsv` takes it then). A `file` fix is made once and counts for every problem
 * of its code. Problems without a fixer are ignored.
 */
export function mergeFixes(problems: readonly Problem[], doc: FixDocument): MergedFix {
  const taken = new Taken();
  const edits: { start: number; edit: TextEdit }[] = [];
  const fixed: Problem[] = [];
  const fileFixes = new Map<RuleCode, boolean>();
  let dropBom = false;
  for (const p of problems) {
    const fixer = FIXERS[p.code];
    if (!fixer) continue;
    if (fixer.scope === 'file' && fileFixes.has(p.code)) {
      if (fileFixes.get(p.code)) fixed.push(p);
      continue;
    }
    // A fix that must be alone waits for a round that has taken nothing else, and ends it.
    if (fixer.alone && (edits.length > 0 || dropBom)) continue;
    const fix = fixer.fix(p, doc);
    const spans = fix?.edits.map((edit) => ({ edit, start: offsetOf(doc, edit.range.start), end: offsetOf(doc, edit.range.end) })) ?? [];
    const fits = fix !== undefined && spans.every((s) => taken.fits(s.start, s.end));
    if (fits && fixer.alone) {
      return { edits: spans.map((s) => s.edit), dropBom: false, fixed: problems.filter((q) => q.code === p.code) };
    }
    if (fixer.scope === 'file') fileFixes.set(p.code, fits);
    if (!fits) continue;
    for (const s of spans) {
      taken.add(s.start, s.end);
      edits.push(s);
    }
    if (fix.dropBom) dropBom = true;
    fixed.push(p);
  }
  edits.sort((a, b) => a.start - b.start);
  return { edits: edits.map((e) => e.edit), dropBom, fixed };
}

/** The text with the edits applied; the edits must not overlap (as `mergeFixes` gives them). */
export function applyEdits(doc: FixDocument, edits: readonly TextEdit[]): string {
  const sorted = edits.map((e) => ({ e, start: offsetOf(doc, e.range.start), end: offsetOf(doc, e.range.end) })).sort((a, b) => a.start - b.start);
  const pieces: string[] = [];
  let at = 0;
  for (const { e, start, end } of sorted) {
    pieces.push(doc.text.slice(at, start), e.newText);
    at = end;
  }
  pieces.push(doc.text.slice(at));
  return pieces.join('');
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/** The bytes without a leading UTF-8 byte-order mark, or undefined when they have none. */
export function withoutBom(bytes: Uint8Array): Uint8Array | undefined {
  return UTF8_BOM.every((b, i) => bytes[i] === b) ? bytes.subarray(UTF8_BOM.length) : undefined;
}

// TextEncoder is in every JavaScript runtime but not in the ECMAScript library src/core is
// compiled against (as TextDecoder in text.ts).
const encoder = new (globalThis as unknown as { TextEncoder: new () => { encode(s: string): Uint8Array } }).TextEncoder();

/**
 * The codes that stop `fixCsv`: a file that is not valid UTF-8 or not valid CSV cannot be read
 * back cell for cell, so rewriting it could change what nobody asked to change.
 */
export const FIX_BLOCKING_CODES: readonly RuleCode[] = ['encoding', 'csv-syntax'];

/**
 * Rounds of lint and merge at the most: each round fixes every fix that does not clash; a clash
 * waits a round (a trimmed cell with a forbidden character), and a cell with more forbidden
 * characters than are reported one by one (20) needs a round per 20.
 */
const MAX_ROUNDS = 100;

/** What `fixCsv` did: the new bytes, or the problems that stopped it. */
export type FixCsvResult =
  | {
    ok: true;
    /** The fixed file: untouched bytes as they were, line endings included; the input itself when nothing changed. */
    bytes: Uint8Array;
    changed: boolean;
    /** Problems fixed, by code, over all rounds. */
    fixed: { [C in RuleCode]?: number };
  }
  | { ok: false; /** The `FIX_BLOCKING_CODES` problems found; nothing was fixed. */ problems: Problem[] };

/**
 * Applies every certain fix (see `FIXERS`) to a batch CSV's bytes, as `jumio-batch fix` does:
 * lints, merges the fixes that fit together, applies them, and lints again until no fix is left.
 * Only the edited cells change: everything else, line endings included, stays byte for byte.
 * Refuses, changing nothing, a file with `encoding` or `csv-syntax` problems. Pure; never throws.
 */
export function fixCsv(input: LintInput): FixCsvResult {
  const first = lintCsv(input);
  const blocking = first.problems.filter((p) => FIX_BLOCKING_CODES.includes(p.code));
  if (blocking.length > 0) return { ok: false, problems: blocking };
  let bom = withoutBom(input.bytes) !== undefined;
  let bytes = bom ? (withoutBom(input.bytes) as Uint8Array) : input.bytes;
  let problems = first.problems;
  let changed = false;
  const fixed: { [C in RuleCode]?: number } = {};
  for (let round = 0; round < MAX_ROUNDS; round++) {
    // The lint found valid UTF-8, so the text encodes back to the very same bytes.
    const doc = fixDocument(decodeCsv(bytes, input.fileName).text, input.options?.extraColumns);
    const merged = mergeFixes(problems, doc);
    if (merged.fixed.length === 0) break;
    for (const p of merged.fixed) fixed[p.code] = (fixed[p.code] ?? 0) + 1;
    if (merged.dropBom) bom = false;
    if (merged.edits.length > 0) bytes = encoder.encode(applyEdits(doc, merged.edits));
    changed = true;
    problems = lintCsv({ ...input, bytes }).problems;
  }
  if (!changed) return { ok: true, bytes: input.bytes, changed, fixed };
  if (!bom) return { ok: true, bytes, changed, fixed };
  const out = new Uint8Array(UTF8_BOM.length + bytes.length);
  out.set(UTF8_BOM);
  out.set(bytes, UTF8_BOM.length);
  return { ok: true, bytes: out, changed, fixed };
}
