// Bounds on a lint, so that no input makes it read or report without end: the CSV's size before
// it is read, and the number of problems reported for one file.
import { BATCH_CSV_NAME } from './lint';
import { LintOptions, BYTES_PER_MB, lintOptions } from './options';
import { Problem, pointRange, problem, sortProblems } from './problem';

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

/** How many problems of each severity. */
export interface ProblemCounts {
  errors: number;
  warnings: number;
  infos: number;
}

export function countProblems(problems: readonly Problem[]): ProblemCounts {
  const counts = { errors: 0, warnings: 0, infos: 0 };
  for (const p of problems) {
    if (p.severity === 'error') counts.errors++;
    else if (p.severity === 'warning') counts.warnings++;
    else counts.infos++;
  }
  return counts;
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * A file's problems as they are reported: sorted, and at most `maxProblems` of them (a pasted
 * blob can make hundreds of thousands, more than anyone reads or an editor shows smoothly). When
 * there are more, the first `maxProblems - 1` are kept and one last problem counts the hidden
 * ones; it has the worst severity among them (an error stays an error), the code and range of the
 * first of them, and no replacement. The one place both the CLI and the editor cap their lists.
 */
export function capProblems(problems: Problem[], options: Partial<LintOptions> = {}): Problem[] {
  const sorted = sortProblems(problems);
  const { maxProblems } = lintOptions(options);
  if (sorted.length <= maxProblems) return sorted;
  const kept = sorted.slice(0, maxProblems - 1);
  const hidden = sorted.slice(maxProblems - 1);
  const counts = countProblems(hidden);
  const severity = counts.errors ? 'error' : counts.warnings ? 'warning' : 'info';
  const parts = [
    counts.errors && plural(counts.errors, 'error'),
    counts.warnings && plural(counts.warnings, 'warning'),
    counts.infos && plural(counts.infos, 'info'),
  ].filter(Boolean);
  const first = hidden[0];
  kept.push({
    code: first.code,
    severity,
    range: first.range,
    message: `… and ${plural(hidden.length, 'more problem')} (${parts.join(', ')}) not shown: fix the ones above and lint again.`,
  });
  return kept;
}
