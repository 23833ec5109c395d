import { Range } from './problem';
import { CsvRecord } from './csv';
import { LineIndex } from './text';
import { CellSpan, Delimiter, ValueCursor, scanRecord, valueOffset } from './scan';

/**
 * Turns (record, column) into text ranges. Cell offsets are found only when a problem needs
 * them, one scan per record, so a clean file pays nothing for positions.
 */
export class Locator {
  private record: CsvRecord | undefined;
  private spans: CellSpan[] = [];
  /** The last character found in a quoted cell: problems come left to right, so the next walk resumes here. */
  private cursor: { span: CellSpan; at: ValueCursor } | undefined;

  constructor(readonly text: string, readonly index: LineIndex, readonly delimiter: Delimiter = ',') {}

  private cells(record: CsvRecord): CellSpan[] {
    if (record !== this.record) {
      this.record = record;
      this.spans = scanRecord(this.text, this.index.offsetAt(record.line), this.delimiter).cells;
    }
    return this.spans;
  }

  /** The whole record, from its first character to the end of its last line. */
  wholeRecord(record: CsvRecord): Range {
    return this.index.rangeOf(this.index.offsetAt(record.line), this.index.lineEnd(record.endLine));
  }

  /** The cell's text, quotes included. */
  cell(record: CsvRecord, column: number): Range {
    const span = this.cells(record)[column];
    return span ? this.index.rangeOf(span.start, span.end) : this.wholeRecord(record);
  }

  /** Characters of the cell's value, as written (a `""` escape is both its quotes). */
  character(record: CsvRecord, column: number, valueIndex: number, length = 1): Range {
    const span = this.cells(record)[column];
    if (!span) return this.wholeRecord(record);
    const start = this.offsetOf(span, valueIndex);
    return this.index.rangeOf(start, valueOffset(this.text, span, valueIndex + length, { index: valueIndex, offset: start }));
  }

  /** `valueOffset`, resumed from the last character found in the same cell (linear, not quadratic, for many). */
  private offsetOf(span: CellSpan, valueIndex: number): number {
    const c = this.cursor;
    const from = c && c.span === span && c.at.index <= valueIndex ? c.at : undefined;
    const offset = valueOffset(this.text, span, valueIndex, from);
    this.cursor = { span, at: { index: valueIndex, offset } };
    return offset;
  }
}
