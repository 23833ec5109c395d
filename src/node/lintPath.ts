import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { BATCH_CSV_NAME, FolderIndex, LintOptions, Problem, lintCsv, pointRange, problem, sortProblems } from '../core';
import { FolderTooLargeError, listBatchFolder, readImageFacts } from './folder';

/** A path that cannot be linted at all (missing, unreadable): exit status 2 in the CLI. */
export class InputError extends Error {}

export interface BatchLint {
  /** The CSV that was linted, or where `input.csv` should be when the folder has none. */
  csvPath: string;
  /** The batch folder (the CSV's folder). */
  folder: string;
  rows: number;
  problems: Problem[];
  /** The CSV's size and every referenced image that exists and could be read, with its size. */
  csvBytes: number;
  images: { path: string; size: number }[];
}

function describe(e: unknown, target: string): string {
  // Name the path that failed (say the folder's input.csv), not only the one the user gave.
  const p = (e as NodeJS.ErrnoException)?.path ?? target;
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return `${p}: no such file or folder`;
  if (code === 'EACCES' || code === 'EPERM') return `${p}: permission denied`;
  if (code === 'EISDIR') return `${p}: is a folder`;
  if (e instanceof FolderTooLargeError) return e.message;
  return `${p}: ${(e as Error)?.message ?? String(e)}`;
}

async function findCsv(folder: string): Promise<string | undefined> {
  // A link counts: reading it then either lints its target or fails as an I/O problem.
  const names = (await fs.readdir(folder, { withFileTypes: true })).filter((d) => (d.isFile() || d.isSymbolicLink()) && /\.csv$/i.test(d.name)).map((d) => d.name).sort();
  return names.find((n) => n === BATCH_CSV_NAME) ?? names.find((n) => n.toLowerCase() === BATCH_CSV_NAME) ?? names[0];
}

/**
 * Lints a batch given as its folder (its `input.csv`) or as a CSV file (against the folder it
 * sits in): the CSV, image references from one folder listing, and the referenced images' first
 * bytes and sizes. Throws `InputError` only when the path cannot be read at all.
 */
export async function lintBatchPath(target: string, options: Partial<LintOptions> = {}): Promise<BatchLint> {
  try {
    const stat = await fs.stat(target);
    let folder = path.dirname(target);
    let csvPath = target;
    if (stat.isDirectory()) {
      folder = target;
      const name = await findCsv(target);
      if (!name) {
        csvPath = path.join(target, BATCH_CSV_NAME);
        return { csvPath, folder, rows: 0, csvBytes: 0, images: [], problems: [problem('file-name', pointRange(0, 0), `the batch folder ${target} has no ${BATCH_CSV_NAME}: add one (a header row and one row per transaction).`)] };
      }
      csvPath = path.join(target, name);
    }
    const [bytes, entries] = await Promise.all([fs.readFile(csvPath), listBatchFolder(folder)]);
    const lint = lintCsv({ fileName: path.basename(csvPath), bytes, folder: new FolderIndex(entries), options });
    const facts = await readImageFacts(folder, lint.images);
    const unreadable = lint.images.filter((p) => !facts.has(p)).map((p) =>
      problem('image-missing', pointRange(0, 0), `"${p}" is in the batch folder but cannot be read: check its permissions.`));
    return {
      csvPath,
      folder,
      rows: lint.rows,
      problems: sortProblems([...lint.problems, ...lint.checkImages(facts), ...unreadable]),
      csvBytes: bytes.length,
      images: lint.images.filter((p) => facts.has(p)).map((p) => ({ path: p, size: (facts.get(p) as { size: number }).size })),
    };
  } catch (e) {
    throw new InputError(describe(e, target));
  }
}
