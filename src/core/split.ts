import { IMAGE_COLUMNS } from './columns';
import { isBlankRecord, parseCsv } from './csv';
import { checkHeader } from './header';
import { FolderIndex } from './images';
import { BATCH_CSV_NAME, lintCsv } from './lint';
import { Locator } from './locate';
import { DEFAULT_MAX_ROWS, LintOptions, lintOptions } from './options';
import { Problem } from './problem';
import { RuleCode } from './rules';
import { decodeCsv, LineIndex } from './text';

/**
 * The lint errors that stop a split. Two kinds: the file cannot be cut into records faithfully
 * (`encoding`, `csv-syntax`, `column-count`: a row whose cells do not line up with the header has
 * no reliable image cells), and errors of the file as a whole, which every part would inherit and
 * which Jumio answers by running no row at all (header errors, no rows): fixing them once before
 * splitting beats fixing them in every part. With a folder, image references that cannot be
 * copied stop it too. Row-level value errors (a bad e-mail, a workflow key) are carried into the
 * parts as written: they can be fixed there as well as here.
 */
export const SPLIT_BLOCKING_CODES: readonly RuleCode[] = [
  'encoding', 'delimiter', 'empty-file', 'no-rows', 'csv-syntax', 'column-count',
  'missing-column', 'duplicate-column', 'blank-column-name',
  'image-missing', 'image-outside-batch', 'image-case-mismatch', 'image-reserved-name',
];

/** What `planSplit` needs: the CSV's bytes, and the batch folder's listing to check image references against. */
export interface SplitInput {
  /** The batch CSV's bytes. */
  bytes: Uint8Array;
  /** Most data rows per part (default 10,000, Jumio's limit); a positive integer. */
  maxRows?: number;
  /**
   * The batch folder's files. When given, references to images that are missing, outside the
   * batch or of another letter case stop the split; without it, image cells are not checked.
   */
  folder?: FolderIndex;
  /** Lint options that bear on the verdict (`extraColumns`); row limits do not. */
  options?: Partial<LintOptions>;
}

/** One future batch: its CSV text and what it needs beside it. */
export interface SplitPart {
  /** The header line and this part's rows, each exactly as written, with its own line ending. */
  csv: string;
  /** Data rows in this part. */
  rows: number;
  /** Image paths this part's rows name in frontImage, backImage or faceImage, as written, each once, in file order. */
  images: string[];
  /** The 0-based source lines this part's rows span, first and last inclusive. */
  lines: { first: number; last: number };
}

/** A split that can be done, or the lint errors that make it unsafe. */
export type SplitPlan =
  | { ok: true; /** The header line, without its line ending. */ header: string; /** Data rows in all parts. */ rows: number; parts: SplitPart[] }
  | { ok: false; /** The blocking problems (codes in `SPLIT_BLOCKING_CODES`), in file order. */ problems: Problem[] };

/**
 * Sizes of `k = ceil(rows / maxRows)` parts that differ by at most one row, larger ones first:
 * 25,000 rows at 10,000 make 8,334 + 8,333 + 8,333, not 10,000 + 10,000 + 5,000. The number of
 * parts is the least possible either way; even parts upload and process in about the same time
 * and leave every part the same headroom below the limit.
 */
export function partSizes(rows: number, maxRows: number): number[] {
  if (rows <= 0) return [];
  const k = Math.ceil(rows / maxRows);
  const base = Math.floor(rows / k);
  const extra = rows % k;
  return Array.from({ length: k }, (_, i) => base + (i < extra ? 1 : 0));
}

/**
 * Plans how to split a batch CSV into batches of at most `maxRows` rows, keeping row order. The
 * linter decides whether that is safe (see `SPLIT_BLOCKING_CODES`); a safe file is then cut at
 * record boundaries, so quoting, a quoted cell spanning lines, and each line's ending stay as
 * written. Blank rows are dropped and a byte-order mark is not copied. Pure; never throws on
 * bad input (only on a `maxRows` that is not a positive integer).
 */
export function planSplit(input: SplitInput): SplitPlan {
  const maxRows = input.maxRows ?? DEFAULT_MAX_ROWS;
  if (!Number.isInteger(maxRows) || maxRows < 1) throw new RangeError(`maxRows must be a positive integer, got ${maxRows}`);
  const lint = lintCsv({ fileName: BATCH_CSV_NAME, bytes: input.bytes, folder: input.folder, options: input.options });
  const blocking = lint.problems.filter((p) => p.severity === 'error' && SPLIT_BLOCKING_CODES.includes(p.code));
  if (blocking.length > 0) return { ok: false, problems: blocking };

  // The lint found the file valid UTF-8 (a BOM is stripped here) and free of syntax errors, so
  // this parse is the fast one and its records tile the text.
  const decoded = decodeCsv(input.bytes, BATCH_CSV_NAME);
  const text = decoded.text;
  const index = new LineIndex(text);
  const records = parseCsv(text, index, decoded.utf8).records.filter((r) => !isBlankRecord(r));
  const [head, ...rows] = records;
  const slice = (first: number, last: number): string => text.slice(index.offsetAt(first), index.offsetAt(last + 1));
  const header = checkHeader(head, lintOptions(input.options).extraColumns, new Locator(text, index), []);
  const imageColumns = IMAGE_COLUMNS.map((c) => header.columns.get(c)).filter((i): i is number => i !== undefined).sort((a, b) => a - b);
  const headerText = slice(head.line, head.endLine);

  const parts: SplitPart[] = [];
  let next = 0;
  for (const size of partSizes(rows.length, maxRows)) {
    const own = rows.slice(next, next + size);
    next += size;
    const images = new Set<string>();
    for (const r of own) {
      for (const c of imageColumns) if (r.cells[c].trim() !== '') images.add(r.cells[c]);
    }
    parts.push({
      csv: headerText + own.map((r) => slice(r.line, r.endLine)).join(''),
      rows: size,
      images: [...images],
      lines: { first: own[0].line, last: own[own.length - 1].endLine },
    });
  }
  return { ok: true, header: text.slice(index.offsetAt(head.line), index.lineEnd(head.endLine)), rows: rows.length, parts };
}
