import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { LintOptions, Problem, oversizedCsv } from '../../core';

/** A batch CSV's bytes, or the one problem saying it is too large to be read. */
export type CsvFile = { bytes: Buffer; size: number; tooLarge?: undefined } | { tooLarge: Problem; size: number; bytes?: undefined };

/**
 * Reads a batch CSV unless it is larger than `maxCsvBytes`: its size is looked at first, on the
 * open file, so an oversized file (a wrong file picked, a runaway export) is never loaded into
 * memory. Throws what the file system throws (ENOENT, EACCES, EISDIR).
 */
export async function readCsvFile(csvPath: string, options: Partial<LintOptions> = {}): Promise<CsvFile> {
  const handle = await fs.open(csvPath, 'r');
  try {
    const { size } = await handle.stat();
    const tooLarge = oversizedCsv(size, options, path.basename(csvPath));
    if (tooLarge) return { tooLarge, size };
    const bytes = await handle.readFile();
    return { bytes, size: bytes.length };
  } finally {
    await handle.close();
  }
}
