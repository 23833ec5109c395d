// Text navigation and edits the editor needs beyond the lint: which cell a position is in, and
// the edits of the fixes that are not a single replacement (adding a missing column, rewriting
// with commas, removing blank rows).
import { isBlankRow } from './blank';
import { DEFAULT_WORKFLOW_KEY, REQUIRED_COLUMNS, nearestColumn } from './columns';
import { Delimiter, detectDelimiter, headerOffset } from './delimiter';
import { Range } from './problem';
import { ScannedRecord, cellValue, csvField, scanRecord, scanRecords } from './scan';
import { LineIndex } from './text';

/** A change to the text: replace `range` (0-based, end exclusive) by `newText`. */
export interface TextEdit {
  range: Range;
  newText: string;
}

/** Where a position falls: which record (0 = the header) and which cell. */
export interface CellLocation {
  /** 0-based record number; blank lines are not records. */
  record: number;
  /** 0-based data row (the header is not a row); -1 for the header. */
  dataRow: number;
  column: number;
  /** The cell's text range, quotes included. */
  range: Range;
  /** The header's names, trimmed, as far as the header could be read. */
  header: string[];
}

/** True at a line break or the text's end: a blank line starts here. */
export function isBlankAt(text: string, offset: number): boolean {
  const c = text.charCodeAt(offset);
  return offset >= text.length || c === 10 || c === 13;
}

/** A cell's raw text without its quotes, `""` read as `"`. */
export function unquote(raw: string): string {
  return raw.startsWith('"') && raw.endsWith('"') && raw.length >= 2 ? raw.slice(1, -1).replace(/""/g, '"') : raw;
}

/** The header's names (first non-blank record, split by the file's separator), trimmed; empty when there is none. */
export function headerNames(text: string, delimiter: Delimiter = detectDelimiter(text)): string[] {
  const offset = headerOffset(text);
  if (offset < 0) return [];
  const r = scanRecord(text, offset, delimiter);
  return r.cells.map((c) => cellValue(text, c).trim());
}

/**
 * The cell at a 0-based position, found by scanning records from the top (a quoted cell may
 * span lines, so lines alone cannot tell). Undefined past a syntax error, on a blank line, or
 * past the end of the text.
 */
export function cellAt(text: string, line: number, character: number): CellLocation | undefined {
  const index = new LineIndex(text);
  const target = index.offsetAt(line) + character;
  if (line > index.positionAt(text.length).line) return undefined;
  const delimiter = detectDelimiter(text);
  let offset = 0;
  let record = 0;
  let header: string[] | undefined;
  while (offset < text.length) {
    if (isBlankAt(text, offset)) {
      if (offset === target) return undefined;
      offset += text.charCodeAt(offset) === 13 && text.charCodeAt(offset + 1) === 10 ? 2 : 1;
      continue;
    }
    const r = scanRecord(text, offset, delimiter);
    if (!header) header = r.cells.map((c) => cellValue(text, c).trim());
    const last = r.cells[r.cells.length - 1];
    if (target <= (last ? last.end : offset)) {
      if (r.error && r.error.offset <= target) return undefined;
      const column = r.cells.findIndex((c) => target <= c.end);
      const cell = r.cells[column];
      return { record, dataRow: record - 1, column, range: index.rangeOf(cell.start, cell.end), header };
    }
    if (r.error || r.next <= offset) return undefined;
    offset = r.next;
    record++;
  }
  return undefined;
}

/**
 * One edit (or none) for each record, from `edit`; none at all when the file cannot be scanned to
 * its end (past a syntax error records cannot be told apart with certainty).
 */
function editRecords(text: string, delimiter: Delimiter, edit: (offset: number, record: ScannedRecord, index: LineIndex) => TextEdit | undefined): TextEdit[] {
  const index = new LineIndex(text);
  const edits: TextEdit[] = [];
  for (const { offset, record } of scanRecords(text, delimiter)) {
    if (record.error) return [];
    const e = edit(offset, record, index);
    if (e) edits.push(e);
  }
  return edits;
}

function isBlank(text: string, record: ScannedRecord): boolean {
  return isBlankRow(record.cells.map((c) => cellValue(text, c)));
}

/**
 * The edits that add the required columns the header lacks, as the first columns of every record:
 * `workflowDefinitionKey` filled with the default key, `customerInternalReference` left empty
 * (each row needs its own id, so the linter then points at every empty cell). Blank rows are left
 * as they are, and the file's own separator is used. A required column that is only misspelt is
 * not added (renaming it is the fix). Empty when nothing is missing or the file cannot be scanned
 * to its end.
 */
export function addMissingColumns(text: string, defaultWorkflowKey = DEFAULT_WORKFLOW_KEY, delimiter: Delimiter = detectDelimiter(text)): { columns: string[]; edits: TextEdit[] } {
  const header = headerNames(text, delimiter);
  if (header.length === 0) return { columns: [], edits: [] };
  const columns = REQUIRED_COLUMNS.filter((c) => !header.includes(c) && !header.some((n) => nearestColumn(n, [c]) === c));
  if (columns.length === 0) return { columns, edits: [] };
  const values: Record<string, string> = { workflowDefinitionKey: defaultWorkflowKey, customerInternalReference: '' };
  const headerText = columns.join(delimiter) + delimiter;
  const rowText = columns.map((c) => values[c] ?? '').join(delimiter) + delimiter;
  let first = true;
  const edits = editRecords(text, delimiter, (offset, record, index) => {
    if (isBlank(text, record)) return undefined;
    const at = index.positionAt(offset);
    const newText = first ? headerText : rowText;
    first = false;
    return { range: { start: at, end: at }, newText };
  });
  return { columns: [...columns], edits };
}

/**
 * The edits that remove every blank row (an empty line, or a row whose cells are all empty or
 * spaces, as
 * `isBlankRow` tells for the lint's `blank-row`), each with its line break, the file read with
 * its separator. Empty when there is none or the file cannot be scanned to its end.
 */
export function removeBlankRows(text: string, delimiter: Delimiter = detectDelimiter(text)): TextEdit[] {
  return editRecords(text, delimiter, (offset, record, index) => (isBlank(text, record) ? { range: index.rangeOf(offset, record.next), newText: '' } : undefined));
}

/**
 * The edits that rewrite a file separated by another delimiter with commas: each record's cells
 * joined by `,`, a cell that holds a comma put in quotes (quoted cells stay as written: their
 * quoting means the same with any separator). Line breaks, blank lines and unchanged records are
 * not touched. Empty when the file is already comma-separated or cannot be scanned to its end.
 */
export function commaEdits(text: string, delimiter: Delimiter = detectDelimiter(text)): TextEdit[] {
  if (delimiter === ',') return [];
  return editRecords(text, delimiter, (offset, record, index) => {
    const cells = record.cells;
    const end = cells[cells.length - 1].end;
    const written = cells.map((c) => (c.quoted ? text.slice(c.start, c.end) : csvField(cellValue(text, c)))).join(',');
    return written !== text.slice(offset, end) ? { range: index.rangeOf(offset, end), newText: written } : undefined;
  });
}
