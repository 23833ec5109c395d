// New batches cut out of a batch CSV, row ranges at record boundaries, as `split` and `resubmit`
// make them: the header and each range's rows exactly as written, and the images those rows name.
import { IMAGE_COLUMNS } from './columns';
import { CsvRecord, isBlankRecord, parseCsv } from './csv';
import { checkHeader } from './header';
import { FolderIndex } from './images';
import { BATCH_CSV_NAME, lintCsv } from './lint';
import { Locator } from './locate';
import { LintOptions, lintOptions } from './options';
import { Problem } from './problem';
import { RuleCode } from './rules';
import { decodeCsv, LineIndex } from './text';

/**
 * Errors that stop any cut: the file cannot be cut into records faithfully (`encoding`,
 * `csv-syntax`, `delimiter`: fix the separator first), or it is wrong as a whole, which every new batch would inherit and which Jumio
 * answers by running no row at all (header errors, no rows): fixing them once beats fixing them
 * in every part.
 */
const FILE_BLOCKING_CODES: readonly RuleCode[] = ['encoding', 'delimiter', 'empty-file', 'no-rows', 'csv-syntax', 'missing-column', 'duplicate-column', 'blank-column-name'];

/**
 * Errors that stop a cut when they are in a row it carries: a row whose cells do not line up with
 * the header has no reliable image cells, and an image that is missing, outside the batch, of
 * another letter case or of a reserved name cannot be copied. Row-level value errors (a bad
 * e-mail, a workflow key) are carried as written: they can be fixed there as well as here.
 */
const ROW_BLOCKING_CODES: readonly RuleCode[] = ['column-count', 'image-missing', 'image-outside-batch', 'image-case-mismatch', 'image-name-unicode', 'image-reserved-name'];

/** Every code that can stop a cut (see the two lists above). */
export const CUT_BLOCKING_CODES: readonly RuleCode[] = [...FILE_BLOCKING_CODES, ...ROW_BLOCKING_CODES];

/** What a cut reads: the CSV's bytes, and the batch folder's listing to check image references against. */
export interface CutInput {
  /** The batch CSV's bytes. */
  bytes: Uint8Array;
  /**
   * The batch folder's files. When given, references to images that are missing, outside the
   * batch or of another letter case stop the cut; without it, image cells are not checked.
   */
  folder?: FolderIndex;
  /** Lint options that bear on the verdict (`extraColumns`); row limits do not. */
  options?: Partial<LintOptions>;
}

/** One data row of the source, as `lint` counts rows (blank lines are none). */
export interface BatchRow {
  /** 0-based source lines the row spans, first and last inclusive. */
  line: number;
  endLine: number;
  /** Its customerInternalReference, trimmed. */
  reference: string;
}

/** One new batch: its CSV text and what it needs beside it. */
export interface CutPart {
  /** The header line and this part's rows, each exactly as written, with its own line ending. */
  csv: string;
  /** Data rows in this part. */
  rows: number;
  /** Image paths this part's rows name in frontImage, backImage or faceImage, as written, each once, in file order. */
  images: string[];
  /** The 0-based source lines this part's rows span, first and last inclusive. */
  lines: { first: number; last: number };
}

/** Data rows `first` to `end` (0-based, end exclusive), not empty. */
export interface RowRange {
  first: number;
  end: number;
}

/** Parts that can be made, or the lint errors that make it unsafe. */
export type CutPlan =
  | { ok: true; /** The header line, without its line ending. */ header: string; /** Data rows in all parts. */ rows: number; parts: CutPart[] }
  | { ok: false; /** The blocking problems (codes in `CUT_BLOCKING_CODES`), in file order. */ problems: Problem[] };

/** A batch CSV read for cutting: its rows, and the cut itself. */
export interface BatchCutter {
  rows: readonly BatchRow[];
  /**
   * The parts made of these row ranges, or the blocking problems of the file and of the rows they
   * carry (an image missing in a row left out stops nothing).
   */
  cut(ranges: readonly RowRange[]): CutPlan;
}

/**
 * Reads a batch CSV for cutting at record boundaries, so that quoting, a quoted cell spanning
 * lines, and each line's ending stay as written; blank lines are dropped and a byte-order mark is
 * not copied. The linter decides what is safe: errors of the whole file refuse here, errors of
 * rows when a cut carries them. Pure; never throws on bad input.
 */
export function readForCut(input: CutInput): { ok: true; batch: BatchCutter } | { ok: false; problems: Problem[] } {
  const lint = lintCsv({ fileName: BATCH_CSV_NAME, bytes: input.bytes, folder: input.folder, options: input.options });
  const errors = lint.problems.filter((p) => p.severity === 'error');
  // Refused for the file: every blocking problem is named, the rows' ones too, in file order.
  if (errors.some((p) => FILE_BLOCKING_CODES.includes(p.code))) return { ok: false, problems: errors.filter((p) => CUT_BLOCKING_CODES.includes(p.code)) };
  const rowBlocking = errors.filter((p) => ROW_BLOCKING_CODES.includes(p.code));

  // The lint found the file valid UTF-8 (a BOM is stripped here) and free of syntax errors, so
  // this parse is the fast one and its records tile the text.
  const decoded = decodeCsv(input.bytes, BATCH_CSV_NAME);
  const text = decoded.text;
  const index = new LineIndex(text);
  const records: CsvRecord[] = parseCsv(text, index, decoded.utf8).records.filter((r) => !isBlankRecord(r));
  const [head, ...data] = records;
  const slice = (first: number, last: number): string => text.slice(index.offsetAt(first), index.offsetAt(last + 1));
  const header = checkHeader(head, lintOptions(input.options).extraColumns, new Locator(text, index), []);
  const imageColumns = IMAGE_COLUMNS.map((c) => header.columns.get(c)).filter((i): i is number => i !== undefined).sort((a, b) => a - b);
  const ref = header.columns.get('customerInternalReference') as number;
  const headerText = slice(head.line, head.endLine);
  const rows = data.map((r) => ({ line: r.line, endLine: r.endLine, reference: (r.cells[ref] ?? '').trim() }));

  const part = ({ first, end }: RowRange): CutPart => {
    const own = data.slice(first, end);
    const images = new Set<string>();
    for (const r of own) {
      // A row of the wrong width blocks the cut before this: its cells are those of the header.
      for (const c of imageColumns) if (r.cells[c].trim() !== '') images.add(r.cells[c]);
    }
    return {
      csv: headerText + own.map((r) => slice(r.line, r.endLine)).join(''),
      rows: own.length,
      images: [...images],
      lines: { first: own[0].line, last: own[own.length - 1].endLine },
    };
  };
  const cut = (ranges: readonly RowRange[]): CutPlan => {
    const carried = (p: Problem): boolean => ranges.some((r) => p.range.start.line >= rows[r.first].line && p.range.start.line <= rows[r.end - 1].endLine);
    const blocking = rowBlocking.filter(carried);
    if (blocking.length > 0) return { ok: false, problems: blocking };
    const parts = ranges.map(part);
    return { ok: true, header: text.slice(index.offsetAt(head.line), index.lineEnd(head.endLine)), rows: parts.reduce((n, p) => n + p.rows, 0), parts };
  };
  return { ok: true, batch: { rows, cut } };
}
