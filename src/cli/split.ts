import { parseArgs } from 'node:util';
import { DEFAULT_MAX_ROWS } from '../core';
import { SPLIT, SplitError, splitBatchFolder } from '../node/batch/split';
import { fileProgress, reportCutError } from './cutOutput';
import { count } from './format';
import { Io, UsageError, positiveNumber, shownPath as shown } from './io';

export const SPLIT_USAGE = `Usage: jumio-batch split <folder> [--rows N] [--out DIR]

Splits a batch into batches of at most N rows, in row order and of even size (25,000 rows make
8,334 + 8,333 + 8,333): <folder>-part1, <folder>-part2, … beside it, or in DIR. Each part gets
its rows' input.csv (the header and rows exactly as written; blank lines and a byte-order mark
dropped) and a copy of every image those rows reference. The source folder is not changed.
Nothing is written when the batch has errors that make splitting unsafe (unreadable CSV, header
errors, missing images…) or when a part's folder already exists.

Options:
  --rows N    most rows per part (default: ${DEFAULT_MAX_ROWS})
  --out DIR   create the parts in DIR (default: the batch folder's parent)

Exit status: 0 split; 1 errors in the batch make splitting unsafe; 2 usage or I/O problem, or a
part's folder exists; 130 cancelled. Unless 0, nothing was written.`;

/** `jumio-batch split`: returns the exit status. */
export async function splitCommand(args: string[], io: Io, signal?: AbortSignal): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { rows: { type: 'string' }, out: { type: 'string' } } });
  if (positionals.length !== 1) throw new UsageError('split needs exactly one batch folder');
  const maxRows = positiveNumber(values.rows, '--rows', DEFAULT_MAX_ROWS);
  if (!Number.isInteger(maxRows)) throw new UsageError(`--rows needs a whole number of rows, got "${values.rows}"`);

  const progress = fileProgress(io);
  try {
    const r = await splitBatchFolder(positionals[0], { maxRows, outDir: values.out, signal, onProgress: progress.onProgress });
    progress.clear();
    io.stdout.write(`Split ${shown(r.csvPath)} (${count(r.rows, 'row')}) into ${count(r.parts.length, 'batch', 'batches')} of at most ${count(maxRows, 'row')}:\n`);
    for (const p of r.parts) io.stdout.write(`  ${shown(p.folder)}  ${count(p.rows, 'row')}, ${count(p.images.length, 'image')}\n`);
    io.stdout.write(`The source is unchanged. Upload each part as its own batch: jumio-batch upload ${shown(r.parts[0].folder)} --host H\n`);
    return 0;
  } catch (e) {
    progress.clear();
    if (!(e instanceof SplitError)) throw e;
    return reportCutError(e, io, SPLIT);
  }
}
