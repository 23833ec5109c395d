// Bounds on a lint, so that no input makes it read or report without end: the CSV's size before
// it is read, and the number of problems reported for one file.
import { BATCH_CSV_NAME } from './lint';
import { LintOptions, BYTES_PER_MB, lintOptions } from './options';
import { Problem, pointRange, problem } from './problem';

function size(bytes: number): string {
  return bytes < BYTES_PER_MB ? `${bytes.toLocaleString('en-US')} bytes` : `${(bytes / BYTES_PER_MB).toLocaleString('en-US', { maximumFractionDigits: 1 })} MB`;
}

/**
 * The one problem of a CSV too large to read (over `maxCsvBytes`), or undefined when it may be
 * read. `bytes` is the file's size, or the length of an editor's text.
 */
export function oversizedCsv(bytes: number, options: Partial<LintOptions> = {}, fileName = BATCH_CSV_NAME): Problem | undefined {
  const { maxCsvBytes, maxRows } = lintOptions(options);
  if (bytes <= maxCsvBytes) return undefined;
  return problem('row-limit', pointRange(0, 0),
    `${fileName} is ${size(bytes)}, far more than a batch of at most ${maxRows.toLocaleString('en-US')} rows holds, so it was not read: split it into several batches, or check that it is the right file.`);
}
