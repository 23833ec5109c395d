// A new batch of a batch's rows from one on: Jumio stops a batch at a failing row, and its
// documentation says to fix that row and send the rest as a new batch.
import { BatchRow, CutInput, CutPart, readForCut } from './cut';
import { Problem } from './problem';

/** Where the new batch starts: a data row (1-based, as `lint` counts rows), or the row with this customerInternalReference. */
export type ResubmitFrom = { row: number } | { reference: string };

/** A data row with its number (1-based, as `lint` counts rows). */
export type NumberedRow = BatchRow & { row: number };

/** The new batch, or why there is none. */
export type ResubmitPlan =
  | { ok: true; /** The row it starts from. */ start: NumberedRow; /** Data rows in the source. */ sourceRows: number; part: CutPart }
  | { ok: false; reason: 'unsafe'; /** The lint errors that stop it (see `CUT_BLOCKING_CODES`). */ problems: Problem[] }
  | { ok: false; reason: 'out-of-range'; /** Data rows in the source. */ rows: number }
  | { ok: false; reason: 'no-such-reference' }
  | { ok: false; reason: 'ambiguous'; /** Every row that carries the reference. */ matches: NumberedRow[] };

/**
 * Plans the new batch: the header and the data rows from `from` to the end, exactly as written
 * (cut as `planSplit` cuts), and the images those rows name. A reference must be carried by one
 * row only (trimmed, exact); errors that stop it are those of the file and of the rows carried.
 * Pure; never throws on bad input (only on a row number that is not an integer).
 */
export function planResubmit(input: CutInput, from: ResubmitFrom): ResubmitPlan {
  if ('row' in from && !Number.isInteger(from.row)) throw new RangeError(`the row must be an integer, got ${from.row}`);
  const read = readForCut(input);
  if (!read.ok) return { ok: false, reason: 'unsafe', problems: read.problems };
  const rows = read.batch.rows;
  let first: number;
  if ('row' in from) {
    if (from.row < 1 || from.row > rows.length) return { ok: false, reason: 'out-of-range', rows: rows.length };
    first = from.row - 1;
  } else {
    const wanted = from.reference.trim();
    const matches = rows.flatMap((r, i) => (r.reference === wanted ? [{ ...r, row: i + 1 }] : []));
    if (matches.length === 0) return { ok: false, reason: 'no-such-reference' };
    if (matches.length > 1) return { ok: false, reason: 'ambiguous', matches };
    first = matches[0].row - 1;
  }
  const plan = read.batch.cut([{ first, end: rows.length }]);
  if (!plan.ok) return { ok: false, reason: 'unsafe', problems: plan.problems };
  return { ok: true, start: { ...rows[first], row: first + 1 }, sourceRows: rows.length, part: plan.parts[0] };
}
