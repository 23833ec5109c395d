/**
 * A position finder for one CSV record. csv-parse decides what the cells are; this scanner only
 * finds where they stand in the text (csv-parse reports no cell offsets), and where a syntax
 * error sits. It follows the same dialect: `,` (or the file's own separator, see `delimiter.ts`)
 * between cells, `"` quotes, `""` inside quotes, CRLF/LF/CR between records.
 */
export interface CellSpan {
  /** Offset of the cell's first character (its opening quote when quoted). */
  start: number;
  /** Offset just past the cell (past its closing quote when quoted). */
  end: number;
  quoted: boolean;
}

export type SyntaxErrorKind = 'unclosed-quote' | 'quote-in-unquoted' | 'text-after-quote';

export interface ScannedRecord {
  cells: CellSpan[];
  /** Offset just past the record's line break (or the text's end). */
  next: number;
  error?: { kind: SyntaxErrorKind; offset: number };
}

function isBreak(c: number): boolean {
  return c === 10 || c === 13;
}

function skipBreak(text: string, i: number): number {
  if (text.charCodeAt(i) === 13 && text.charCodeAt(i + 1) === 10) return i + 2;
  return i < text.length ? i + 1 : i;
}

/** A cell separator the scanner and csv-parse accept: the comma, or what a spreadsheet wrote instead. */
export type Delimiter = ',' | ';' | '\t' | '|';

/** Scans the record that starts at `offset`. Stops at the first syntax error. */
export function scanRecord(text: string, offset: number, delimiter: Delimiter = ','): ScannedRecord {
  const sep = delimiter.charCodeAt(0);
  const cells: CellSpan[] = [];
  let i = offset;
  const n = text.length;
  for (;;) {
    const start = i;
    if (text.charCodeAt(i) === 34) {
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) return { cells, next: n, error: { kind: 'unclosed-quote', offset: start } };
        if (text.charCodeAt(q + 1) === 34) { j = q + 2; continue; }
        i = q + 1;
        break;
      }
      cells.push({ start, end: i, quoted: true });
      const c = text.charCodeAt(i);
      if (i < n && c !== sep && !isBreak(c)) return { cells, next: n, error: { kind: 'text-after-quote', offset: i } };
    } else {
      while (i < n) {
        const c = text.charCodeAt(i);
        if (c === sep || isBreak(c)) break;
        if (c === 34) return { cells, next: n, error: { kind: 'quote-in-unquoted', offset: i } };
        i++;
      }
      cells.push({ start, end: i, quoted: false });
    }
    if (i >= n) return { cells, next: n };
    if (text.charCodeAt(i) === sep) { i++; continue; }
    return { cells, next: skipBreak(text, i) };
  }
}

/** A value as one CSV cell: quoted, quotes doubled, when it holds the separator, a quote or a line break. */
export function csvField(value: string, delimiter: Delimiter = ','): string {
  const needsQuotes = /["\r\n]/.test(value) || value.includes(delimiter);
  return needsQuotes ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A cell's value as written: unquoted, `""` read as `"`. */
export function cellValue(text: string, cell: CellSpan): string {
  const raw = text.slice(cell.start, cell.end);
  return cell.quoted ? raw.slice(1, -1).replace(/""/g, '"') : raw;
}

/**
 * The text offset of the `index`-th character of a cell's value (after unquoting), so that a
 * problem can point at one character inside a quoted cell that holds `""` escapes. `from` must
 * lie in the same cell at or before `index`.
 */
export function valueOffset(text: string, cell: CellSpan, index: number, from: ValueCursor = { index: 0, offset: cell.start + 1 }): number {
  if (!cell.quoted) return cell.start + index;
  let raw = from.offset;
  for (let k = from.index; k < index; k++) raw += text.charCodeAt(raw) === 34 ? 2 : 1;
  return raw;
}

/** A known (value index, text offset) pair inside a quoted cell, to resume `valueOffset` from. */
export interface ValueCursor {
  index: number;
  offset: number;
}

/** One record found by `scanRecords`: where it starts, and its scan. */
export interface ScannedAt {
  offset: number;
  record: ScannedRecord;
}

/**
 * Every record of the text in order, blank lines included (as one empty cell), up to and with
 * the first that has a syntax error: past it, records cannot be told apart with certainty.
 */
export function* scanRecords(text: string, delimiter: Delimiter = ','): Generator<ScannedAt> {
  let offset = 0;
  while (offset < text.length) {
    const record = scanRecord(text, offset, delimiter);
    yield { offset, record };
    if (record.error || record.next <= offset) return;
    offset = record.next;
  }
}
