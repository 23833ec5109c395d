import { parseCsv, isBlankRecord, CsvRecord } from './csv';
import { DELIMITER_NAMES, detectDelimiter } from './delimiter';
import { checkHeader } from './header';
import { FolderIndex, IMAGE_EXTENSIONS, ImageFacts, sniffImage } from './images';
import { Locator } from './locate';
import { LintOptions, lintOptions, BYTES_PER_MB } from './options';
import { Problem, pointRange, problem, sortProblems } from './problem';
import { ImageReference, RowChecker } from './rows';
import { decodeCsv, LineIndex } from './text';

export const BATCH_CSV_NAME = 'input.csv';

export interface LintInput {
  /** The CSV's file name (not its path): anything but `input.csv` is a `file-name` error. */
  fileName: string;
  bytes: Uint8Array;
  /** The batch folder's files; without it, image references are not checked. */
  folder?: FolderIndex;
  options?: Partial<LintOptions>;
}

/** The result of linting the CSV and the folder listing. Image contents come second. */
export interface CsvLint {
  problems: Problem[];
  /** Data rows (blank lines not counted). */
  rows: number;
  /** Every distinct image file the rows reference that exists: read these for `checkImages`. */
  images: string[];
  /** Format and size checks of the referenced images, from facts an adapter read. */
  checkImages(facts: ReadonlyMap<string, ImageFacts>): Problem[];
}

const SYNTAX_MESSAGES = {
  'unclosed-quote': 'this quote opens a value that is never closed: close it, or double it ("") if it belongs to the value.',
  'quote-in-unquoted': 'a quote inside a value that does not start with a quote: put the whole value in quotes and double this quote ("").',
  'text-after-quote': 'text after a closing quote: put the whole value in quotes and double the quotes inside it ("").',
};

/** Reports CRLF and LF mixed as record endings (line breaks inside quoted cells do not count). */
function checkLineEndings(text: string, records: CsvRecord[], index: LineIndex, problems: Problem[]): void {
  if (!text.includes('\r\n') || !/(^|[^\r])\n/.test(text)) return;
  const ending = (r: CsvRecord): string => (text.charCodeAt(index.lineEnd(r.endLine)) === 13 ? 'CRLF' : 'LF');
  const last = records.length && index.lineEnd(records[records.length - 1].endLine) === text.length ? records.length - 1 : records.length;
  if (last < 1) return;
  const first = ending(records[0]);
  for (let i = 1; i < last; i++) {
    const e = ending(records[i]);
    if (e !== first) {
      const end = index.lineEnd(records[i].endLine);
      problems.push(problem('line-endings', index.rangeOf(end, end), `this line ends with ${e} but the first line with ${first}: save the file with one kind of line ending.`));
      return;
    }
  }
}

/**
 * Lints a batch CSV against its folder: every rule of the batch format except the image
 * contents, which need file reads (see `CsvLint.checkImages`). Never throws on bad input.
 */
export function lintCsv(input: LintInput): CsvLint {
  return readCsv(input).check(input.folder);
}

/** A CSV decoded, parsed and its header read: the part of a lint that needs no folder. */
export interface ReadCsv {
  /** The row and image rules against the folder (or without image checks when absent). */
  check(folder?: FolderIndex): CsvLint;
}

/**
 * The first half of `lintCsv`, so that an adapter can list the batch folder (I/O) while the CSV
 * is parsed (CPU), then call `check` with the listing.
 */
export function readCsv(input: Omit<LintInput, 'folder'>): ReadCsv {
  const options = lintOptions(input.options);
  const early: Problem[] = [];
  const done = (rows: number, problems: Problem[], checker?: RowChecker, text = '', index?: LineIndex): CsvLint => ({
    problems: sortProblems(problems),
    rows,
    images: checker ? checker.referenced() : [],
    checkImages: (facts) => (checker && index ? imageProblems(checker.references, facts, options, new Locator(text, index)) : []),
  });
  const finished = (rows: number): ReadCsv => ({ check: () => done(rows, [...early]) });

  if (input.fileName !== BATCH_CSV_NAME) {
    const how = input.fileName.toLowerCase() === BATCH_CSV_NAME ? 'the name is case-sensitive' : 'any other name is refused';
    early.push(problem('file-name', pointRange(0, 0), `the batch CSV is named "${input.fileName}"; Jumio accepts only "${BATCH_CSV_NAME}" (${how}): rename it.`));
  }
  const decoded = decodeCsv(input.bytes, input.fileName);
  early.push(...decoded.problems);
  if (decoded.binary) return finished(0);
  const text = decoded.text;
  if (text.trim() === '') {
    early.push(problem('empty-file', pointRange(0, 0), `${input.fileName} is empty: it needs a header row (workflowDefinitionKey,customerInternalReference,…) and one row per transaction.`));
    return finished(0);
  }

  const index = new LineIndex(text);
  // A header separated by another character is read as such, so that every other problem shows.
  const delimiter = detectDelimiter(text, options.extraColumns);
  const at = new Locator(text, index, delimiter);
  const parsed = parseCsv(text, index, decoded.utf8, delimiter);
  for (const e of parsed.errors) {
    early.push(problem('csv-syntax', index.rangeOf(e.offset, e.offset + 1), e.kind === 'other' ? 'this row cannot be read as CSV: check its quotes and commas.' : SYNTAX_MESSAGES[e.kind]));
  }
  checkLineEndings(text, parsed.records, index, early);

  const records = parsed.records;
  let h = 0;
  for (; h < records.length && isBlankRecord(records[h]); h++) {
    early.push(problem('blank-row', at.wholeRecord(records[h]), 'an empty row before the header: the header must be the first line; remove it.'));
  }
  if (h === records.length) return finished(0);
  if (delimiter !== ',') {
    const name = DELIMITER_NAMES[delimiter];
    early.push(problem('delimiter', at.wholeRecord(records[h]),
      `the header is separated by ${name}, not commas, so Jumio reads it as one unknown column: save the file as "CSV UTF-8 (Comma delimited)" or rewrite it with commas. The rest of the file is checked as if split by ${name}.`));
  }
  const header = checkHeader(records[h], options.extraColumns, at, early);

  return {
    check: (folder) => {
      const problems = [...early];
      const checker = new RowChecker(header, options, folder, at, problems);
      let rows = 0;
      for (let i = h + 1; i < records.length; i++) {
        const r = records[i];
        if (isBlankRecord(r)) {
          problems.push(problem('blank-row', at.wholeRecord(r), index.lineEnd(r.line) === index.offsetAt(r.line)
            ? 'an empty line: Jumio may read it as a row with no values; remove it.'
            : 'a row with nothing but empty cells or spaces (spreadsheets save formatted empty rows so): Jumio may read it as a row with no values; remove it.'));
          continue;
        }
        rows++;
        if (rows === options.maxRows + 1) {
          problems.push(problem('row-limit', at.wholeRecord(r), `row ${rows} is past the limit of ${options.maxRows.toLocaleString('en-US')} row${options.maxRows === 1 ? '' : 's'} per batch: split the file into several batches.`));
        }
        if (r.cells.length !== header.width) {
          const more = r.cells.length > header.width;
          problems.push(problem('column-count', at.wholeRecord(r),
            `this row has ${r.cells.length} cells but the header has ${header.width}${more ? `: a value with ${delimiter === ',' ? 'a comma' : `one of the ${DELIMITER_NAMES[delimiter]}`} must be put in double quotes` : ': add the missing cells (empty ones are fine)'}.`));
          continue;
        }
        checker.check(r);
      }
      if (rows === 0 && parsed.errors.length === 0) {
        problems.push(problem('no-rows', at.wholeRecord(records[h]), `${input.fileName} has a header but no data row: add one row per transaction.`));
      }
      if (folder) unreferencedImages(folder, checker.marks, options, problems);
      return done(rows, problems, checker, text, index);
    },
  };
}

function unreferencedImages(folder: FolderIndex, marks: Uint8Array, options: LintOptions, problems: Problem[]): void {
  const unreferenced: string[] = [];
  for (let i = 0; i < marks.length; i++) if (marks[i] === 0 && IMAGE_EXTENSIONS.test(folder.paths[i])) unreferenced.push(folder.paths[i]);
  unreferenced.sort();
  const shown = unreferenced.slice(0, options.maxUnreferencedReports);
  for (const f of shown) {
    problems.push(problem('image-unreferenced', pointRange(0, 0), `"${f}" is in the batch folder but no row references it: it will not be uploaded.`));
  }
  if (unreferenced.length > shown.length) {
    problems.push(problem('image-unreferenced', pointRange(0, 0), `${unreferenced.length - shown.length} more images in the batch folder are referenced by no row.`));
  }
}

function imageProblems(references: ImageReference[], facts: ReadonlyMap<string, ImageFacts>, options: LintOptions, at: Locator): Problem[] {
  const problems: Problem[] = [];
  for (const ref of references) {
    const f = facts.get(ref.path);
    if (!f) continue;
    const kind = sniffImage(f.head, f.size);
    if (kind === 'empty') {
      problems.push(problem('image-format', at.cell(ref.record, ref.column), `"${ref.path}" is an empty file: upload the real image.`));
    } else if (kind !== 'JPEG' && kind !== 'PNG') {
      problems.push(problem('image-format', at.cell(ref.record, ref.column), `"${ref.path}" is not a JPEG or PNG image (its first bytes say: ${kind}): convert it to JPEG or PNG.`));
    }
    if ((kind === 'JPEG' || kind === 'PNG') && f.ends === false) {
      problems.push(problem('image-corrupt', at.cell(ref.record, ref.column), kind === 'PNG'
        ? `"${ref.path}" ends before its IEND chunk: the PNG was cut short (an interrupted copy or download?); copy or export it again.`
        : `"${ref.path}" ends before its end-of-image marker: the JPEG was cut short (an interrupted copy or download?); copy or export it again.`));
    }
    const longest = Math.max(f.width ?? 0, f.height ?? 0);
    if (longest > options.maxImagePixels) {
      const px = (n: number | undefined): string => (n === undefined ? '?' : n.toLocaleString('en-US'));
      problems.push(problem('image-dimensions', at.cell(ref.record, ref.column),
        `"${ref.path}" is ${px(f.width)} × ${px(f.height)} pixels; images may be at most ${options.maxImagePixels.toLocaleString('en-US')} pixels wide and high: scale it down.`));
    }
    if (f.size > options.maxImageBytes) {
      problems.push(problem('image-too-large', at.cell(ref.record, ref.column),
        `"${ref.path}" is ${(f.size / BYTES_PER_MB).toFixed(1)} MB; images may be at most ${(options.maxImageBytes / BYTES_PER_MB).toFixed(0)} MB: shrink or recompress it.`));
    }
  }
  return sortProblems(problems);
}
