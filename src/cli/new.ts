import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { STEPS_FILE_NAME, ScaffoldError, scaffoldBatchFolder } from '../node/batch/scaffold';
import { Io, UsageError } from './io';

export const NEW_USAGE = `Usage: jumio-batch new [parent] [--name NAME]

Creates a batch folder in parent (default: the current folder) named NAME (default: batch; when
taken, NAME-2, NAME-3, …). It holds an input.csv with only the header row (the two required
columns, frontImage, backImage, faceImage and the five userConsent columns) and ${STEPS_FILE_NAME}, which
says what to do next.

Exit status: 0 created; 2 usage or I/O problem (nothing created).`;

/** `jumio-batch new`: returns the exit status. */
export async function newCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { name: { type: 'string' } } });
  if (positionals.length > 1) throw new UsageError('new takes at most one parent folder');
  try {
    const { folder, csvPath } = await scaffoldBatchFolder(positionals[0] ?? '.', values.name);
    const rel = (p: string): string => path.relative(process.cwd(), p) || '.';
    io.stdout.write(`Created ${rel(folder)}${path.sep} with ${path.basename(csvPath)} (header only) and ${STEPS_FILE_NAME}.\n`
      + `Next: add one row per transaction to ${rel(csvPath)}, put the images beside it, then run: jumio-batch lint ${rel(folder)}\n`);
    return 0;
  } catch (e) {
    if (!(e instanceof ScaffoldError)) throw e;
    io.stderr.write(`jumio-batch: ${e.message}\n`);
    return 2;
  }
}
