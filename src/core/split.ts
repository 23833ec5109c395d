import { CUT_BLOCKING_CODES, CutInput, CutPart, CutPlan, readForCut } from './cut';
import { DEFAULT_MAX_ROWS } from './options';
import { RuleCode } from './rules';

/** The lint errors that stop a split: those of any cut (see `CUT_BLOCKING_CODES`), every row being carried. */
export const SPLIT_BLOCKING_CODES: readonly RuleCode[] = CUT_BLOCKING_CODES;

/** What `planSplit` needs: the CSV's bytes, the folder's listing, and the most rows per part. */
export interface SplitInput extends CutInput {
  /** Most data rows per part (default 10,000, Jumio's limit); a positive integer. */
  maxRows?: number;
}

/** One future batch of a split. */
export type SplitPart = CutPart;

/** A split that can be done, or the lint errors that make it unsafe. */
export type SplitPlan = CutPlan;

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
  const read = readForCut(input);
  if (!read.ok) return read;
  const ranges = [];
  let first = 0;
  for (const size of partSizes(read.batch.rows.length, maxRows)) {
    ranges.push({ first, end: first + size });
    first += size;
  }
  return read.batch.cut(ranges);
}
