// What Jumio's portal would show for a batch, decided from the linter's problems: the sandbox
// reports it, the rehearsal prints it. Pure, so the verdict rules are tested without a server.
import type { Problem } from './problem';
import { counted } from './statusText';

/** One status of a batch, named as Jumio's portal names them. */
export interface BatchStatus {
  batchId: string;
  status: 'CREATED' | 'IN_PROGRESS' | 'COMPLETED' | 'ERROR';
  /** On ERROR: `INPUT_FILE_NOT_FOUND` (input.csv or an image is missing) or `INVALID_ROW`. */
  errorCode?: string;
  /** On ERROR: the 1-based line of the file where the first failing row starts, when there is one. */
  line?: number;
  /** On ERROR: the linter's rule code behind it. */
  code?: string;
  /** Data rows in input.csv, once it has been read. */
  rows?: number;
  /** ISO time the status was reached. */
  at: string;
}

/** A status before it is stamped with its batch and time. */
export type BatchOutcome = Omit<BatchStatus, 'batchId' | 'at'>;

/** Error codes that mean Jumio finds no file to read: the documented `INPUT_FILE_NOT_FOUND`. */
const FILE_NOT_FOUND_CODES: ReadonlySet<string> = new Set(['file-name', 'image-missing', 'image-case-mismatch']);

/**
 * The final status of a linted batch. A missing file wins over an invalid row because Jumio runs
 * no row at all when it cannot find its input; otherwise the first error (problems come sorted by
 * position) is the row that stops the batch. Warnings and infos never fail a batch.
 */
export function batchOutcome(problems: readonly Problem[], rows: number): BatchOutcome {
  const errors = problems.filter((p) => p.severity === 'error');
  const missing = errors.find((p) => FILE_NOT_FOUND_CODES.has(p.code));
  if (missing) {
    // file-name sits at 0:0 of a CSV that may not exist: a line number would mislead.
    const line = missing.code === 'file-name' ? {} : { line: missing.range.start.line + 1 };
    return { status: 'ERROR', errorCode: 'INPUT_FILE_NOT_FOUND', ...line, code: missing.code, rows };
  }
  const first = errors[0];
  if (first) return { status: 'ERROR', errorCode: 'INVALID_ROW', line: first.range.start.line + 1, code: first.code, rows };
  return { status: 'COMPLETED', rows };
}

/** One status as a log line: ids, codes and counts only, never CSV contents or problem messages. */
export function describeStatus(s: BatchStatus): string {
  const parts = [`batch ${s.batchId}: ${s.status}`];
  if (s.errorCode) parts.push(s.errorCode);
  if (s.line !== undefined) parts.push(`at line ${s.line}`);
  if (s.code) parts.push(`(${s.code})`);
  if (s.rows !== undefined) parts.push(`- ${counted(s.rows, 'row')}`);
  return parts.join(' ');
}
