// `jumio-batch lint`, and what `fix` shares with it: the options that say what to check and how
// to print what is found, and the exit status that follows from it.
import { parseArgs } from 'node:util';
import { BYTES_PER_MB, DEFAULT_MAX_IMAGE_MB, DEFAULT_MAX_IMAGE_PIXELS, DEFAULT_MAX_ROWS, LintOptions } from '../core';
import { BatchLint, lintBatchPath } from '../node/batch/lintPath';
import { formatGithub } from './github';
import { formatJson, formatText, totals } from './format';
import { Io, UsageError, positiveNumber } from './io';
import { formatSarif } from './sarif';

/** How the problems can be printed, each a function of the results. */
const FORMATS = {
  text: (results: BatchLint[], color: boolean) => formatText(results, color),
  json: (results: BatchLint[]) => formatJson(results) + '\n',
  sarif: (results: BatchLint[]) => formatSarif(results, process.cwd()) + '\n',
  github: (results: BatchLint[]) => formatGithub(results, process.cwd()),
};

export type ReportFormat = keyof typeof FORMATS;

/** The options of `lint`, which `fix` takes too. */
export const LINT_OPTIONS = {
  format: { type: 'string', default: 'text' },
  'max-rows': { type: 'string' },
  'max-image-mb': { type: 'string' },
  'max-image-px': { type: 'string' },
  'no-color': { type: 'boolean', default: false },
} as const;

export const LINT_OPTIONS_HELP = `  --format F           how to print the problems (default: text):
                         text    one line per problem, path:line:col: severity code message
                         json    one JSON document
                         sarif   a SARIF 2.1.0 log (GitHub code scanning and other CI dashboards)
                         github  GitHub Actions workflow commands (annotations on the file)
  --max-rows N         most data rows a batch may hold (default: ${DEFAULT_MAX_ROWS})
  --max-image-mb N     largest image before image-too-large, in MB (default: ${DEFAULT_MAX_IMAGE_MB})
  --max-image-px N     widest or highest image before image-dimensions, in pixels (default: ${DEFAULT_MAX_IMAGE_PIXELS})
  --no-color           never colour the output (colour is used only on a terminal)`;

export const LINT_EXIT_STATUS = 'Exit status: 0 no error (warnings allowed), 1 errors found, 2 usage or I/O problem.';

export const LINT_USAGE = `Usage: jumio-batch lint <path>... [options]

Lints Jumio batches. A path is a batch folder (its input.csv is linted against the files beside
it) or a CSV file (linted against its folder).

Options:
${LINT_OPTIONS_HELP}

${LINT_EXIT_STATUS}`;

/** What the shared options say, checked. */
export interface ReportSettings {
  format: ReportFormat;
  options: Partial<LintOptions>;
  color: boolean;
}

export function reportSettings(values: { format?: string; 'max-rows'?: string; 'max-image-mb'?: string; 'max-image-px'?: string; 'no-color'?: boolean }, io: Io): ReportSettings {
  const format = values.format ?? 'text';
  if (!Object.hasOwn(FORMATS, format)) throw new UsageError(`--format must be ${Object.keys(FORMATS).join(', ')}; got "${format}"`);
  const options = {
    maxRows: Math.floor(positiveNumber(values['max-rows'], '--max-rows', DEFAULT_MAX_ROWS)),
    maxImageBytes: Math.floor(positiveNumber(values['max-image-mb'], '--max-image-mb', DEFAULT_MAX_IMAGE_MB) * BYTES_PER_MB),
    maxImagePixels: positiveNumber(values['max-image-px'], '--max-image-px', DEFAULT_MAX_IMAGE_PIXELS),
  };
  // A limit that rounds down to 0 would silently become the default in lintOptions.
  if (options.maxRows < 1) throw new UsageError(`--max-rows needs at least 1 row, got "${values['max-rows']}"`);
  if (options.maxImageBytes < 1) throw new UsageError(`--max-image-mb is smaller than one byte, got "${values['max-image-mb']}"`);
  if (!Number.isInteger(options.maxImagePixels)) throw new UsageError(`--max-image-px needs a whole number of pixels, got "${values['max-image-px']}"`);
  const color = !values['no-color'] && !!io.stdout.isTTY && !io.env.NO_COLOR;
  return { format: format as ReportFormat, options, color };
}

/** Prints the results as the settings say; returns lint's exit status (1 when any error). */
export function report(results: BatchLint[], settings: ReportSettings, io: Io): number {
  io.stdout.write(FORMATS[settings.format](results, settings.color));
  return totals(results).errors > 0 ? 1 : 0;
}

/** `jumio-batch lint`: returns the exit status. */
export async function lintCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: LINT_OPTIONS });
  const settings = reportSettings(values, io);
  if (positionals.length === 0) throw new UsageError('lint needs at least one batch folder or CSV file');
  const results: BatchLint[] = [];
  for (const p of positionals) results.push(await lintBatchPath(p, settings.options));
  return report(results, settings, io);
}
