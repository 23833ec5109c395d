import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { BATCH_CSV_NAME } from '../../core';

/** What a path on a command line or from the Explorer names: a batch folder, or a CSV in one. */
export interface BatchTarget {
  /** The batch folder, absolute. */
  folder: string;
  /** The batch's CSV: the folder's `input.csv`, or the CSV file that was given. */
  csvPath: string;
  given: 'folder' | 'csv';
}

/** A path that cannot be linted at all (missing, unreadable): exit status 2 in the CLI. */
export class InputError extends Error {}

/** The message for a failed file-system call on `p`, without Node's own wording. */
export function errnoText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a folder';
  if (code === 'ENOTDIR') return 'a part of the path is not a folder';
  if (code === 'ENOSPC') return 'no space left on the device';
  return (e as Error)?.message ?? String(e);
}

/**
 * The one folder-or-CSV rule of every command (lint, upload, split, resubmit, the editor's
 * commands): a folder stands for its `input.csv`; a file is the batch's CSV and its folder is the
 * batch folder. Throws `InputError` when the path does not exist or cannot be looked at.
 */
export async function resolveBatchTarget(target: string): Promise<BatchTarget> {
  const resolved = path.resolve(target);
  const stat = await fs.stat(resolved).catch((e) => { throw new InputError(`${target}: ${errnoText(e)}`); });
  if (stat.isDirectory()) return { folder: resolved, csvPath: path.join(resolved, BATCH_CSV_NAME), given: 'folder' };
  return { folder: path.dirname(resolved), csvPath: resolved, given: 'csv' };
}
