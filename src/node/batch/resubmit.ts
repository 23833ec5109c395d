import * as path from 'node:path';
import { LintOptions, NumberedRow, ResubmitFrom, planResubmit } from '../../core';
import { BatchCutError, CutProgress, CutVerb, readCutSource, unsafeError, writeBatchFolders } from './cutFolders';

export interface ResubmitOptions {
  /** The new batch folder (default: `<folder>-from-row-<N>` beside the source); it must not exist. */
  out?: string;
  signal?: AbortSignal;
  /** Called after each file written (the input.csv and every image). */
  onProgress?: (p: CutProgress) => void;
  /** Lint options that bear on the verdict (`extraColumns`). */
  lintOptions?: Partial<LintOptions>;
}

/** The batch folder made. */
export interface ResubmitResult {
  /** The source `input.csv`. */
  csvPath: string;
  /** The new batch folder, absolute. */
  folder: string;
  /** The row it starts from: its number (1-based), its 0-based lines and its reference. */
  start: NumberedRow;
  /** Data rows in the new batch, and in the source. */
  rows: number;
  sourceRows: number;
  /** The images copied into it, relative to it, with `/` between folders. */
  images: string[];
}

export const RESUBMIT: CutVerb = { verb: 'resubmit', gerund: 'resubmitting' };

/** Rows named one by one when a reference is carried by several. */
const LISTED_ROWS = 10;

/**
 * Makes a new batch folder of a batch's data rows from one on (see `planResubmit`): the header
 * and those rows exactly as written, and a copy of only the images they reference, at the same
 * paths, written as `writeBatchFolders` writes (nothing left behind on a refusal, a failure or a
 * cancellation). The source is only read. Throws `InputError` when the source cannot be read at
 * all, else `BatchCutError`: `row` when the row is out of range, or the reference is on no row
 * or on several (the message lists them), `target` when the new folder exists.
 */
export async function resubmitBatchFolder(target: string, from: ResubmitFrom, opts: ResubmitOptions = {}): Promise<ResubmitResult> {
  const source = await readCutSource(target, RESUBMIT);
  const { csvPath } = source;
  const plan = planResubmit({ bytes: source.bytes, folder: source.index, options: opts.lintOptions }, from);
  if (!plan.ok) {
    switch (plan.reason) {
      case 'unsafe': throw unsafeError(csvPath, plan.problems, RESUBMIT);
      case 'out-of-range': throw new BatchCutError('row', `${csvPath} has ${plan.rows.toLocaleString('en-US')} data row${plan.rows === 1 ? '' : 's'}: there is no row ${(from as { row: number }).row} to start from (rows count from 1, as lint counts them; nothing was written).`, csvPath);
      case 'no-such-reference': throw new BatchCutError('row', `no row of ${csvPath} has the customerInternalReference "${(from as { reference: string }).reference}" (nothing was written).`, csvPath);
      case 'ambiguous': {
        const listed = plan.matches.slice(0, LISTED_ROWS).map((m) => `row ${m.row} (line ${m.line + 1})`);
        const more = plan.matches.length > LISTED_ROWS ? ` and ${plan.matches.length - LISTED_ROWS} more` : '';
        throw new BatchCutError('row', `${plan.matches.length} rows of ${csvPath} have the customerInternalReference "${(from as { reference: string }).reference}": ${listed.join(', ')}${more}; start from one of them by its row number instead (nothing was written).`, csvPath);
      }
    }
  }
  const folder = path.resolve(opts.out ?? path.join(path.dirname(source.folder), `${path.basename(source.folder)}-from-row-${plan.start.row}`));
  const [images] = await writeBatchFolders(source, [{ folder, csv: plan.part.csv, images: plan.part.images }], RESUBMIT, opts);
  return { csvPath, folder, start: plan.start, rows: plan.part.rows, sourceRows: plan.sourceRows, images };
}
