// Text navigation and edits the editor needs beyond the lint: which cell a position is in, and
// the edits of the fixes that are not a single replacement (adding a missing column).
import { DEFAULT_WORKFLOW_KEY, REQUIRED_COLUMNS, nearestColumn } from './columns';
import { Range } from './problem';
import { scanRecord } from './scan';
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

/** The header's names (first non-blank record), trimmed; empty when there is none. */
export function headerNames(text: string): string[] {
  let offset = 0;
  while (offset < text.length && isBlankAt(text, offset)) offset++;
  if (offset >= text.length) return [];
  const r = scanRecord(text, offset);
  return r.cells.map((c) => unquote(text.slice(c.start, c.end)).trim());
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
  let offset = 0;
  let record = 0;
  let header: string[] | undefined;
  while (offset < text.length) {
    if (isBlankAt(text, offset)) {
      if (offset === target) return undefined;
      offset += text.charCodeAt(offset) === 13 && text.charCodeAt(offset + 1) === 10 ? 2 : 1;
      continue;
    }
    const r = scanRecord(text, offset);
    if (!header) header = r.cells.map((c) => unquote(text.slice(c.start, c.end)).trim());
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
 * The edits that add the required columns the header lacks, as the first columns of every record:
 * `workflowDefinitionKey` filled with the default key, `customerInternalReference` left empty
 * (each row needs its own id, so the linter then points at every empty cell). A required column
 * that is only misspelt is not added (renaming it is the fix). Empty when nothing is missing or
 * the file cannot be scanned to its end.
 */
export function addMissingColumns(text: string, defaultWorkflowKey = DEFAULT_WORKFLOW_KEY): { columns: string[]; edits: TextEdit[] } {
  const header = headerNames(text);
  if (header.length === 0) return { columns: [], edits: [] };
  const columns = REQUIRED_COLUMNS.filter((c) => !header.includes(c) && !header.some((n) => nearestColumn(n, [c]) === c));
  if (columns.length === 0) return { columns, edits: [] };
  const index = new LineIndex(text);
  const starts: number[] = [];
  let offset = 0;
  while (offset < text.length) {
    if (isBlankAt(text, offset)) {
      offset += text.charCodeAt(offset) === 13 && text.charCodeAt(offset + 1) === 10 ? 2 : 1;
      continue;
    }
    const r = scanRecord(text, offset);
    if (r.error) return { columns: [], edits: [] };
    starts.push(offset);
    offset = r.next;
  }
  const values: Record<string, string> = { workflowDefinitionKey: defaultWorkflowKey, customerInternalReference: '' };
  const headerText = columns.join(',') + ',';
  const rowText = columns.map((c) => values[c] ?? '').join(',') + ',';
  const edits = starts.map((s, i) => {
    const at = index.positionAt(s);
    return { range: { start: at, end: at }, newText: i === 0 ? headerText : rowText };
  });
  return { columns: [...columns], edits };
}
