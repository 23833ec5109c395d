import { parseArgs } from 'node:util';
import { ResubmitFrom } from '../core';
import { BatchCutError } from '../node/batch/cutFolders';
import { RESUBMIT, resubmitBatchFolder } from '../node/batch/resubmit';
import { fileProgress, reportCutError } from './cutOutput';
import { count } from './format';
import { Io, UsageError, shownPath as shown } from './io';

export const RESUBMIT_USAGE = `Usage: jumio-batch resubmit <folder> (--from-row N | --from-reference REF) [--out DIR]

Makes a new batch of a batch's rows from one on, as Jumio asks after it stopped a batch at a
failing row (fix that row first): the header and data rows N to the end, exactly as written
(blank lines and a byte-order mark dropped), and a copy of only the images those rows reference,
at the same paths. Rows count from 1 as lint counts them (the header and blank lines are no
rows). It prints the line and reference of the row it starts from: check them against Jumio's
job information before uploading. The source folder is not changed.

Options:
  --from-row N          start at data row N
  --from-reference REF  start at the row whose customerInternalReference is REF (refused, listing
                        the rows, when several rows carry it)
  --out DIR             the new batch folder (default: <folder>-from-row-N beside the source); it
                        must not exist

Exit status: 0 made; 1 errors in the batch make it unsafe (as for split); 2 usage or I/O problem,
no such row or reference, a reference on several rows, or the new folder exists; 130 cancelled.
Unless 0, nothing was written.`;

/** `jumio-batch resubmit`: returns the exit status. */
export async function resubmitCommand(args: string[], io: Io, signal?: AbortSignal): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { 'from-row': { type: 'string' }, 'from-reference': { type: 'string' }, out: { type: 'string' } },
  });
  if (positionals.length !== 1) throw new UsageError('resubmit needs exactly one batch folder');
  const row = values['from-row'];
  const reference = values['from-reference'];
  if ((row === undefined) === (reference === undefined)) throw new UsageError('resubmit needs either --from-row N or --from-reference REF');
  if (row !== undefined && !/^\d+$/.test(row)) throw new UsageError(`--from-row needs a row number (1 is the first data row), got "${row}"`);
  if (reference !== undefined && reference.trim() === '') throw new UsageError('--from-reference needs a customerInternalReference');
  const from: ResubmitFrom = row !== undefined ? { row: Number(row) } : { reference: reference as string };

  const progress = fileProgress(io);
  try {
    const r = await resubmitBatchFolder(positionals[0], from, { out: values.out, signal, onProgress: progress.onProgress });
    progress.clear();
    io.stdout.write(`Starting at row ${r.start.row.toLocaleString('en-US')} of ${r.sourceRows.toLocaleString('en-US')} of ${shown(r.csvPath)}: line ${r.start.line + 1}, customerInternalReference "${r.start.reference}".\n`);
    io.stdout.write(`Made ${shown(r.folder)} with ${count(r.rows, 'row')} and ${count(r.images.length, 'image')}. The source is unchanged.\n`);
    io.stdout.write(`Check the first row against Jumio's job information, then upload it as a new batch: jumio-batch upload ${shown(r.folder)} --host H\n`);
    return 0;
  } catch (e) {
    progress.clear();
    if (!(e instanceof BatchCutError)) throw e;
    return reportCutError(e, io, RESUBMIT);
  }
}
