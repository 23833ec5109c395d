import * as path from 'node:path';
import { LintOptions, planSplit } from '../../core';
import { CutProgress, CutVerb, readCutSource, unsafeError, writeBatchFolders } from './cutFolders';

/** Why a split did not happen (see `BatchCutError`); nothing was written. */
export { BatchCutError as SplitError } from './cutFolders';

/** How to split; every field is optional. */
export interface SplitOptions {
  /** Most data rows per part (default 10,000); a positive integer, else `planSplit`'s RangeError. */
  maxRows?: number;
  /** The folder the parts are created in (default: the source folder's parent); made if missing. */
  outDir?: string;
  signal?: AbortSignal;
  /** Called after each file written (every part's input.csv and images). */
  onProgress?: (p: SplitProgress) => void;
  /** Lint options that bear on the verdict (`extraColumns`). */
  lintOptions?: Partial<LintOptions>;
}

/** Files written so far, of all the parts' CSVs and images. */
export type SplitProgress = CutProgress;

/** One batch folder the split made. */
export interface SplitFolder {
  /** Its absolute path, `<outDir>/<source name>-part<N>`. */
  folder: string;
  rows: number;
  /** The images copied into it, relative to it, with `/` between folders. */
  images: string[];
}

/** The batch folders made, in row order. */
export interface SplitResult {
  /** The source `input.csv`. */
  csvPath: string;
  /** Data rows in all parts. */
  rows: number;
  parts: SplitFolder[];
}

export const SPLIT: CutVerb = { verb: 'split', gerund: 'splitting' };

/**
 * Splits a batch folder (or its `input.csv`) into batches of at most `maxRows` rows, in row
 * order, as sibling folders `<name>-part1`, `<name>-part2`, … (or in `outDir`). Each part gets
 * its rows' `input.csv` (see `planSplit`) and a copy of every image its rows reference, at the
 * same relative path; an image referenced from two parts is copied into both (see
 * `writeBatchFolders`: nothing is left behind on a refusal, a failure or a cancellation). The
 * source folder is only read. Throws `InputError` when the source cannot be read at all, else
 * `SplitError`.
 */
export async function splitBatchFolder(target: string, opts: SplitOptions = {}): Promise<SplitResult> {
  const source = await readCutSource(target, SPLIT);
  const plan = planSplit({ bytes: source.bytes, maxRows: opts.maxRows, folder: source.index, options: opts.lintOptions });
  if (!plan.ok) throw unsafeError(source.csvPath, plan.problems, SPLIT);
  const parent = path.resolve(opts.outDir ?? path.dirname(source.folder));
  const name = path.basename(source.folder);
  const folders = plan.parts.map((p, i) => ({ folder: path.join(parent, `${name}-part${i + 1}`), csv: p.csv, images: p.images }));
  const images = await writeBatchFolders(source, folders, SPLIT, opts);
  return {
    csvPath: source.csvPath,
    rows: plan.rows,
    parts: plan.parts.map((p, i) => ({ folder: folders[i].folder, rows: p.rows, images: images[i] })),
  };
}
