// One image of a batch folder, looked at for the editor's image hover: where an image cell leads,
// whether the file is there, its size, format and pixel size. It reads only inside the batch
// folder (a link that leads out is not followed), so it is safe in an untrusted workspace.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { PixelSize, SNIFF_BYTES, imageCellPath, pixelSize, sniffImage } from '../../core';
import { isInside } from '../batch/folder';

/** What an image cell leads to. */
export type ImageProbe =
  | { kind: 'file'; file: string; bytes: number; format: string; pixels?: PixelSize }
  | { kind: 'missing' }
  | { kind: 'outside' }
  | { kind: 'not-a-file' }
  | { kind: 'unreadable'; code: string };

/** The first read; a JPEG whose frame header lies further asks for more, up to `MAX_HEAD_BYTES`. */
const FIRST_READ = 64 * 1024;
/** JPEG metadata before the frame header is rarely above a few hundred kB. */
const MAX_HEAD_BYTES = 4 * 1024 * 1024;

function errorCode(e: unknown): string {
  return (e as NodeJS.ErrnoException)?.code ?? 'unknown';
}

/** The image an image cell names, as found in `folder` (the batch folder, absolute). Never throws. */
export async function probeBatchImage(folder: string, value: string): Promise<ImageProbe> {
  if (value === '') return { kind: 'missing' };
  const where = imageCellPath(value);
  if ('outside' in where) return { kind: 'outside' };
  const rel = where.path;
  let real: string;
  try {
    const [root, file] = await Promise.all([fs.realpath(folder), fs.realpath(path.join(folder, rel))]);
    if (!isInside(root, file)) return { kind: 'outside' };
    real = file;
  } catch (e) {
    const code = errorCode(e);
    return code === 'ENOENT' || code === 'ENOTDIR' ? { kind: 'missing' } : { kind: 'unreadable', code };
  }
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(real, 'r');
    const stat = await handle.stat();
    if (!stat.isFile()) return { kind: 'not-a-file' };
    let head = Buffer.alloc(Math.min(FIRST_READ, stat.size));
    let have = (await handle.read(head, 0, head.length, 0)).bytesRead;
    let answer = pixelSize(head.subarray(0, have), stat.size);
    while (answer && 'needBytes' in answer && answer.needBytes <= MAX_HEAD_BYTES && answer.needBytes > have) {
      // Read on from where the last read stopped, at least doubling what is held.
      const more = Buffer.alloc(Math.min(stat.size, Math.max(answer.needBytes, have * 2)));
      head.copy(more, 0, 0, have);
      const { bytesRead } = await handle.read(more, have, more.length - have, have);
      if (bytesRead === 0) break; // the file shrank meanwhile
      have += bytesRead;
      head = more;
      answer = pixelSize(head.subarray(0, have), stat.size);
    }
    const format = sniffImage(head.subarray(0, Math.min(have, SNIFF_BYTES)), stat.size);
    return { kind: 'file', file: real, bytes: stat.size, format, pixels: answer && !('needBytes' in answer) ? answer : undefined };
  } catch (e) {
    return { kind: 'unreadable', code: errorCode(e) };
  } finally {
    await handle?.close();
  }
}
