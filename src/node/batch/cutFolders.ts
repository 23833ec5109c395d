// Writing new batch folders cut out of a batch (split, resubmit): each gets its input.csv and a
// copy of the images its rows reference, all written in a hidden staging folder and renamed into
// place only when complete, so that a refusal, a failure or a cancellation leaves nothing behind.
import { constants, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { BATCH_CSV_NAME, FolderIndex, Problem, lookUpImage, pointRange, problem, runPool } from '../../core';
import { isInside, listBatchFolder } from './folder';
import { InputError, errnoText, resolveBatchTarget } from './target';

/**
 * Why no new batch folder was made; nothing was written. `unsafe`: the source has errors that
 * block the cut (`problems`, 0-based; the message gives them with 1-based lines); `target`: a
 * folder to make is already there, or would be inside the source; `row`: the row to start from
 * is not there or not one (resubmit); `cancelled`: the signal fired; `io`: a file could not be
 * read or written.
 */
export class BatchCutError extends Error {
  constructor(
    readonly kind: 'unsafe' | 'target' | 'row' | 'cancelled' | 'io',
    message: string,
    readonly csvPath: string,
    readonly problems: Problem[] = [],
  ) {
    super(message);
  }
}

/** What a cut does, in the words of its messages: `split`, `splitting`. */
export interface CutVerb {
  verb: string;
  gerund: string;
}

/** The batch being cut: its folder, its input.csv's bytes and the folder's listing. */
export interface CutSource {
  folder: string;
  csvPath: string;
  bytes: Buffer;
  index: FolderIndex;
}

/** Files written so far, of all the new folders' CSVs and images. */
export interface CutProgress {
  filesDone: number;
  filesTotal: number;
}

/** One batch folder to make. */
export interface FolderToWrite {
  /** Its absolute path. */
  folder: string;
  /** Its input.csv. */
  csv: string;
  /** The image references of its rows, as written (see `CutPart.images`). */
  images: string[];
}

export interface WriteOptions {
  signal?: AbortSignal;
  /** Called after each file written (every folder's input.csv and images). */
  onProgress?: (p: CutProgress) => void;
}

/**
 * Copies in flight. Measured on 30,000 small files: 16 and 64 alike, 4 slower. copyFileSync in
 * a loop is ~30% faster on such files, but would hold the editor's thread for as long as a
 * slow disk takes; the thread pool keeps it free.
 */
const COPY_CONCURRENCY = 16;
/** Blocking problems named one by one in an `unsafe` error's message. */
const LISTED_PROBLEMS = 5;

/** The `unsafe` error: the source's problems that stop the cut, the first few named. */
export function unsafeError(csvPath: string, problems: Problem[], how: CutVerb): BatchCutError {
  const listed = problems.slice(0, LISTED_PROBLEMS).map((p) => `line ${p.range.start.line + 1}: ${p.code}: ${p.message}`);
  const more = problems.length > LISTED_PROBLEMS ? ` (and ${problems.length - LISTED_PROBLEMS} more)` : '';
  const message = `cannot ${how.verb} ${csvPath}: ${problems.length} error${problems.length === 1 ? '' : 's'} make${problems.length === 1 ? 's' : ''} it unsafe; `
    + `fix ${problems.length === 1 ? 'it' : 'them'} and ${how.verb} again (nothing was written). ${listed.join(' ')}${more}`;
  return new BatchCutError('unsafe', message, csvPath, problems);
}

async function exists(p: string): Promise<boolean> {
  return fs.lstat(p).then(() => true, () => false);
}

/**
 * Reads the batch to cut, given as its folder or its input.csv (a cut takes no other CSV name):
 * the CSV's bytes, and the folder listed meanwhile. Throws `InputError` when the source cannot
 * be read at all, a `BatchCutError` (`unsafe`) when the folder has no input.csv.
 */
export async function readCutSource(target: string, how: CutVerb): Promise<CutSource> {
  const t = await resolveBatchTarget(target);
  if (t.given === 'csv' && path.basename(t.csvPath) !== BATCH_CSV_NAME) throw new InputError(`${t.csvPath}: give a batch folder or its ${BATCH_CSV_NAME}`);
  const { folder, csvPath } = t;
  const listing = listBatchFolder(folder);
  listing.catch(() => undefined); // awaited below; an early failure must not go unhandled
  const bytes = await fs.readFile(csvPath).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'ENOENT') throw new InputError(`${csvPath}: ${errnoText(e)}`);
    const missing = problem('file-name', pointRange(0, 0), `the batch folder has no ${BATCH_CSV_NAME}: there is nothing to ${how.verb}.`);
    throw new BatchCutError('unsafe', `cannot ${how.verb} ${folder}: it has no ${BATCH_CSV_NAME}.`, csvPath, [missing]);
  });
  const index = new FolderIndex(await listing.catch((e) => { throw new InputError(`${folder}: ${errnoText(e)}`); }));
  return { folder, csvPath, bytes, index };
}

/**
 * Makes the batch folders, all in one parent folder (made if missing), none inside the source:
 * each with its input.csv and a copy of every image its rows reference, at the same relative
 * path (copy-on-write clones where the file system supports them). Refuses when a folder is
 * already there. Everything is written into a hidden staging folder in the parent and renamed
 * into place when complete; on any failure what was moved is moved back and the rest removed.
 * The source is only read. Returns each folder's images, relative to it, `/` between folders.
 */
export async function writeBatchFolders(source: CutSource, parts: FolderToWrite[], how: CutVerb, opts: WriteOptions = {}): Promise<string[][]> {
  const { folder, csvPath, index } = source;
  const parent = path.dirname(parts[0].folder);
  if (parts.some((p) => path.dirname(p.folder) !== parent)) throw new Error('writeBatchFolders: every folder must have the same parent');
  const realFolder = await fs.realpath(folder);
  const realParent = await fs.realpath(parent).catch(() => parent);
  if (isInside(folder, parent) || isInside(realFolder, realParent)) {
    throw new BatchCutError('target', `cannot ${how.verb} ${folder} into ${parent}: the new batch must not be written inside the batch it comes from; choose another folder.`, csvPath);
  }
  const targets = parts.map((p) => p.folder);
  const taken = [];
  for (const t of targets) if (await exists(t)) taken.push(t);
  if (taken.length) {
    throw new BatchCutError('target', `cannot ${how.verb} ${csvPath}: ${taken.join(', ')} already exist${taken.length === 1 ? 's' : ''}; move or delete ${taken.length === 1 ? 'it' : 'them'}, or choose another output folder (nothing was written).`, csvPath);
  }

  // Each folder's images by the file they name (two spellings of one file are one copy).
  const images = parts.map((p) => [...new Set(p.images.map((v) => {
    const found = lookUpImage(v, index);
    if (found.kind !== 'found') throw new Error(`the cut let through an image it cannot find: ${v}`);
    return found.path;
  }))]);
  const filesTotal = parts.length + images.reduce((n, list) => n + list.length, 0);
  let filesDone = 0;
  const progressed = (): void => opts.onProgress?.({ filesDone: ++filesDone, filesTotal });
  const cancelled = (): boolean => opts.signal?.aborted === true;
  const cancellation = (): BatchCutError => new BatchCutError('cancelled', `${how.gerund} ${csvPath} was cancelled: nothing was written.`, csvPath);
  if (cancelled()) throw cancellation();

  const madeParent = await fs.mkdir(parent, { recursive: true }).catch((e) => {
    throw new BatchCutError('io', `cannot create ${parent}: ${errnoText(e)}`, csvPath);
  });
  const name = path.basename(folder);
  const staging = await fs.mkdtemp(path.join(parent, `.${name}-${how.verb}-`)).catch(async (e) => {
    if (madeParent) await fs.rm(madeParent, { recursive: true, force: true }).catch(() => undefined);
    throw new BatchCutError('io', `cannot write in ${parent}: ${errnoText(e)}`, csvPath);
  });
  const staged = targets.map((_, i) => path.join(staging, `part${i + 1}`));
  const moved: number[] = [];
  try {
    const copies: { from: string; to: string }[] = [];
    for (let i = 0; i < parts.length; i++) {
      const dirs = new Set(images[i].map((p) => path.dirname(path.join(staged[i], p))));
      await fs.mkdir(staged[i]);
      for (const d of dirs) await fs.mkdir(d, { recursive: true });
      await fs.writeFile(path.join(staged[i], BATCH_CSV_NAME), parts[i].csv);
      progressed();
      for (const p of images[i]) copies.push({ from: path.join(folder, p), to: path.join(staged[i], p) });
    }
    await runPool(copies, COPY_CONCURRENCY, async (c) => {
      await fs.copyFile(c.from, c.to, constants.COPYFILE_FICLONE).catch((e) => {
        throw new BatchCutError('io', `cannot copy ${c.from}: ${errnoText(e)} (nothing was written)`, csvPath);
      });
      progressed();
    }, cancelled);
    if (cancelled()) throw cancellation();
    for (let i = 0; i < targets.length; i++) {
      // Checked again: a folder may have appeared while the copies ran, and renaming a folder
      // onto an empty one would replace it.
      if (await exists(targets[i])) throw new BatchCutError('target', `cannot ${how.verb} ${csvPath}: ${targets[i]} appeared while ${how.gerund}; nothing was written.`, csvPath);
      await fs.rename(staged[i], targets[i]);
      moved.push(i);
    }
    await fs.rmdir(staging);
  } catch (e) {
    for (const i of moved) await fs.rename(targets[i], staged[i]).catch(() => undefined);
    await fs.rm(staging, { recursive: true, force: true }).catch(() => undefined);
    if (madeParent) await fs.rm(madeParent, { recursive: true, force: true }).catch(() => undefined);
    if (e instanceof BatchCutError) throw e;
    throw new BatchCutError('io', `cannot ${how.verb} ${csvPath}: ${errnoText(e)} (nothing was written)`, csvPath);
  }
  return images;
}
