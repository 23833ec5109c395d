import { parseArgs } from 'node:util';
import { FIXERS, FIX_BLOCKING_CODES, RuleCode, unifiedDiff } from '../core';
import { FixedFile, fixBatchPath } from '../node/batch/fixPath';
import { BatchLint, lintBatchPath } from '../node/batch/lintPath';
import { count } from './format';
import { Io, UsageError } from './io';
import { LINT_EXIT_STATUS, LINT_OPTIONS, LINT_OPTIONS_HELP, report, reportSettings } from './lint';

/** `text` broken at spaces into lines of at most 96 characters, the later ones indented by `indent`. */
function wrap(text: string, indent: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && indent + line.length + 1 + word.length > 96) { lines.push(line); line = word; } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines.join(`\n${' '.repeat(indent)}`);
}

export const FIX_USAGE = `Usage: jumio-batch fix <path>... [--dry-run] [options]

Applies every certain fix that the editor offers as a quick fix, in one run, to problems of
these codes (where the right text is known):
  ${wrap(Object.keys(FIXERS).join(', '), 2)}
Each file is written in place atomically (a temporary file renamed over it), keeping its line
endings and every byte it has no reason to touch. A file that is not valid UTF-8 or not valid
CSV (${FIX_BLOCKING_CODES.join(', ')}) is never written. Then prints what is left, as lint does. A path
is a batch folder or a CSV file, as for lint.

Options:
  --dry-run            write nothing: print the changes as a unified diff (patch -p0 applies
                       it), then what would be left (with --format text or github)
${LINT_OPTIONS_HELP}

What was fixed is said on stderr. ${LINT_EXIT_STATUS.replace('errors found', 'errors left')}`;

const TEXT = new TextDecoder('utf-8', { ignoreBOM: true });

/** `3 problems (2 whitespace, 1 country-code)`. */
function fixedList(fixed: { [C in RuleCode]?: number }): string {
  const entries = Object.entries(fixed) as [RuleCode, number][];
  const n = entries.reduce((sum, [, k]) => sum + k, 0);
  return `${count(n, 'problem')} (${entries.map(([code, k]) => `${k} ${code}`).join(', ')})`;
}

/** The line on stderr that says what happened to one file. */
function note(f: FixedFile, dryRun: boolean): string {
  if (f.refused) {
    const codes = [...new Set(f.refused.map((p) => p.code))].join(', ');
    return `Not fixed: ${f.csvPath} cannot be read cell for cell (${codes}, below); fix that first. It was not changed.`;
  }
  if (!f.changed) return `Nothing to fix in ${f.csvPath}.`;
  return `${dryRun ? 'Would fix' : 'Fixed'} ${fixedList(f.fixed)} in ${f.csvPath}.`;
}

/** `jumio-batch fix`: returns lint's exit status for what is left. */
export async function fixCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...LINT_OPTIONS, 'dry-run': { type: 'boolean', default: false } } });
  const settings = reportSettings(values, io);
  if (positionals.length === 0) throw new UsageError('fix needs at least one batch folder or CSV file');
  const dryRun = values['dry-run'];
  if (dryRun && (settings.format === 'json' || settings.format === 'sarif')) {
    throw new UsageError(`--dry-run prints a diff on stdout, which --format ${settings.format} cannot share: use --format text or github, or lint the file after fixing it`);
  }
  const results: BatchLint[] = [];
  for (const p of positionals) {
    const f = await fixBatchPath(p, settings.options, { write: !dryRun });
    if (f) io.stderr.write(note(f, dryRun) + '\n');
    if (f && dryRun && f.changed) {
      io.stdout.write(unifiedDiff(TEXT.decode(f.before), TEXT.decode(f.after), f.csvPath, f.csvPath));
      results.push(await lintBatchPath(f.csvPath, settings.options, { bytes: f.after }));
    } else {
      results.push(await lintBatchPath(p, settings.options));
    }
  }
  return report(results, settings, io);
}
