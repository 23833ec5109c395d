import * as path from 'node:path';
import { BATCH_CSV_NAME, CsvLint, FolderEntry, FolderIndex, ImageFacts, LintOptions, Problem, ProblemCounts, capProblems, countProblems, pointRange, problem, readCsv } from '../../core';
import { CsvFile, readCsvFile } from './csvFile';
import { FolderTooLargeError, listBatchFolder, readImageFacts } from './folder';
import { InputError, errnoText, resolveBatchTarget } from './target';

export { InputError } from './target';

export interface BatchLint {
  /** The CSV that was linted, or where `input.csv` should be when the folder has none. */
  csvPath: string;
  /** The batch folder (the CSV's folder). */
  folder: string;
  rows: number;
  /** Sorted, and at most `maxProblems` (see `capProblems`). */
  problems: Problem[];
  /** Every problem found, by severity, including those `problems` leaves out. */
  counts: ProblemCounts;
  /** The CSV's size and every referenced image that exists and could be read, with its size. */
  csvBytes: number;
  images: { path: string; size: number }[];
}

function describe(e: unknown, target: string): string {
  if (e instanceof FolderTooLargeError) return e.message;
  // Name the path that failed (say the folder's input.csv), not only the one the user gave.
  return `${(e as NodeJS.ErrnoException)?.path ?? target}: ${errnoText(e)}`;
}

/**
 * The checks of the referenced images' contents, from the facts an adapter read; an image that
 * exists but could not be read (no facts) is reported too.
 */
export function imageProblems(lint: CsvLint, facts: ReadonlyMap<string, ImageFacts>): Problem[] {
  const unreadable = lint.images.filter((p) => !facts.has(p)).map((p) =>
    problem('image-missing', pointRange(0, 0), `"${p}" is in the batch folder but cannot be read: check its permissions.`));
  return [...lint.checkImages(facts), ...unreadable];
}

/** The problems as reported (capped) beside the counts of all of them. */
function reported(problems: Problem[], options: Partial<LintOptions>): { problems: Problem[]; counts: ProblemCounts } {
  return { problems: capProblems(problems, options), counts: countProblems(problems) };
}

/** The batch's CSV among the folder's top-level files: input.csv, else the nearest candidate. */
export function pickCsv(entries: FolderEntry[]): string | undefined {
  // A link counts: reading it then either lints its target or fails as an I/O problem.
  const names = entries.map((e) => e.path).filter((p) => !p.includes('/') && /\.csv$/i.test(p)).sort();
  return names.find((n) => n === BATCH_CSV_NAME) ?? names.find((n) => n.toLowerCase() === BATCH_CSV_NAME) ?? names[0];
}

/**
 * Lints a batch given as its folder (its `input.csv`) or as a CSV file (against the folder it
 * sits in): the CSV, image references from one folder listing, and the referenced images' first
 * bytes and sizes (skipped with `imageContents: false`, which leaves `images` empty). With
 * `bytes`, those are linted as the CSV's content instead of what is on disk (`fix --dry-run`:
 * what a fix would leave). Throws `InputError` only when the path cannot be read at all.
 */
export async function lintBatchPath(target: string, options: Partial<LintOptions> = {}, { imageContents = true, bytes: instead }: { imageContents?: boolean; bytes?: Uint8Array } = {}): Promise<BatchLint> {
  const { given } = await resolveBatchTarget(target);
  try {
    // The paths keep the spelling the user gave (the CLI prints them); the decision is the rule's.
    const folder = given === 'folder' ? target : path.dirname(target);
    // The folder is listed on the thread pool while the CSV is read and parsed on this thread;
    // the same listing finds the CSV when the folder has no input.csv.
    const listing = listBatchFolder(folder);
    listing.catch(() => undefined); // awaited below; an early failure must not go unhandled
    let csvPath = given === 'folder' ? path.join(folder, BATCH_CSV_NAME) : target;
    const readFile = (p: string): Promise<CsvFile> => (instead ? Promise.resolve({ bytes: Buffer.from(instead), size: instead.length }) : readCsvFile(p, options));
    let file = await readFile(csvPath).catch((e: NodeJS.ErrnoException) => {
      if (given === 'folder' && e.code === 'ENOENT') return undefined;
      throw e;
    });
    if (!file) {
      const name = pickCsv(await listing);
      if (!name) {
        const missing = problem('file-name', pointRange(0, 0), `the batch folder ${target} has no ${BATCH_CSV_NAME}: add one (a header row and one row per transaction).`);
        return { csvPath, folder, rows: 0, csvBytes: 0, images: [], ...reported([missing], options) };
      }
      csvPath = path.join(folder, name);
      file = await readFile(csvPath);
    }
    if (file.tooLarge) return { csvPath, folder, rows: 0, csvBytes: file.size, images: [], ...reported([file.tooLarge], options) };
    const bytes = file.bytes;
    const read = readCsv({ fileName: path.basename(csvPath), bytes, options });
    const lint = read.check(new FolderIndex(await listing));
    const base = { csvPath, folder, rows: lint.rows, csvBytes: bytes.length };
    if (!imageContents) return { ...base, ...reported(lint.problems, options), images: [] };
    const facts = await readImageFacts(folder, lint.images);
    return {
      ...base,
      ...reported([...lint.problems, ...imageProblems(lint, facts)], options),
      images: lint.images.filter((p) => facts.has(p)).map((p) => ({ path: p, size: (facts.get(p) as { size: number }).size })),
    };
  } catch (e) {
    throw new InputError(describe(e, target));
  }
}
