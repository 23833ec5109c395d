import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { BATCH_CSV_NAME, FolderIndex, LintOptions, Problem, RuleCode, fixCsv } from '../../core';
import { readCsvFile } from './csvFile';
import { listBatchFolder } from './folder';
import { pickCsv } from './lintPath';
import { InputError, errnoText, resolveBatchTarget } from './target';

/** What `fixBatchPath` did to one batch CSV. */
export interface FixedFile {
  /** The CSV, spelled as `lintBatchPath` spells it (the path given, or the folder's CSV). */
  csvPath: string;
  /** Its bytes as read, and as fixed (the same object when nothing changed). */
  before: Uint8Array;
  after: Uint8Array;
  changed: boolean;
  /** Problems fixed, by code. */
  fixed: { [C in RuleCode]?: number };
  /** The problems that stopped the fix (`encoding`, `csv-syntax`); nothing was changed. */
  refused?: Problem[];
  /** Whether the file on disk was replaced. */
  written: boolean;
}

/**
 * Replaces a file's content by writing a temporary file beside it and renaming it over the file,
 * so a reader sees the old content or the new, never a mix, and a failure leaves the old. A link
 * is followed: its target is replaced and the link stays. The file keeps its permissions. Refuses
 * when the file changed on disk since `seen` (an editor saved it meanwhile).
 */
async function replaceFile(file: string, bytes: Uint8Array, seen: { size: number; mtimeMs: number }): Promise<void> {
  const real = await fs.realpath(file);
  const temp = path.join(path.dirname(real), `.${path.basename(real)}.fix-${randomBytes(6).toString('hex')}`);
  try {
    const { mode } = await fs.stat(real);
    const handle = await fs.open(temp, 'wx', mode & 0o7777);
    try {
      await handle.writeFile(bytes);
      await handle.chmod(mode & 0o7777);
      await handle.sync();
    } finally {
      await handle.close();
    }
    const now = await fs.stat(real);
    if (now.size !== seen.size || now.mtimeMs !== seen.mtimeMs) throw new InputError(`${file} changed on disk while it was being fixed: nothing was written; fix it again.`);
    await fs.rename(temp, real);
  } catch (e) {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    if (e instanceof InputError) throw e;
    throw new InputError(`cannot write ${file}: ${errnoText(e)} (it was not changed)`);
  }
}

/**
 * Applies every certain fix (`fixCsv`) to the CSV that `lintBatchPath` would lint for this path,
 * against its folder's listing (image letter case), and writes it in place (`replaceFile`) unless
 * `write` is false. Undefined when there is no CSV to fix (a folder without one) or it is too
 * large to read: linting says why. Throws `InputError` when the path cannot be read or written.
 */
export async function fixBatchPath(target: string, options: Partial<LintOptions> = {}, { write = true } = {}): Promise<FixedFile | undefined> {
  const { given } = await resolveBatchTarget(target);
  const folder = given === 'folder' ? target : path.dirname(target);
  const listing = listBatchFolder(folder);
  listing.catch(() => undefined); // awaited below; an early failure must not go unhandled
  const fail = (e: unknown, p: string): never => { throw new InputError(`${(e as NodeJS.ErrnoException)?.path ?? p}: ${errnoText(e)}`); };
  let csvPath = given === 'folder' ? path.join(folder, BATCH_CSV_NAME) : target;
  if (given === 'folder' && !(await fs.lstat(csvPath).then(() => true, () => false))) {
    const name = pickCsv(await listing.catch((e) => fail(e, folder)));
    if (!name) return undefined;
    csvPath = path.join(folder, name);
  }
  const seen = await fs.stat(csvPath).catch((e) => fail(e, csvPath));
  const file = await readCsvFile(csvPath, options).catch((e) => fail(e, csvPath));
  if (file.tooLarge) return undefined;
  const before = file.bytes;
  const index = new FolderIndex(await listing.catch((e) => fail(e, folder)));
  const result = fixCsv({ fileName: path.basename(csvPath), bytes: before, folder: index, options });
  if (!result.ok) return { csvPath, before, after: before, changed: false, fixed: {}, refused: result.problems, written: false };
  const written = write && result.changed;
  if (written) await replaceFile(csvPath, result.bytes, seen);
  return { csvPath, before, after: result.bytes, changed: result.changed, fixed: result.fixed, written };
}
