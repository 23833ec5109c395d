import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { FolderEntry, ImageFacts, SNIFF_BYTES } from '../core';

function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Most files a batch folder may hold before the walk gives up (30,000 images is a large batch). */
export const MAX_FOLDER_ENTRIES = 250_000;

export class FolderTooLargeError extends Error {}

/**
 * Every file of a batch folder, recursively, with `/` between folders: one `readdir` per folder,
 * no `stat` per file. Links are resolved once each, to tell those that lead outside the folder.
 * `.git` folders are not entered.
 */
export async function listBatchFolder(root: string, maxEntries = MAX_FOLDER_ENTRIES): Promise<FolderEntry[]> {
  const realRoot = await fs.realpath(root);
  const entries: FolderEntry[] = [];
  const pending = [''];
  while (pending.length) {
    const dir = pending.pop() as string;
    const dirents = await fs.readdir(path.join(root, dir), { withFileTypes: true });
    for (const d of dirents) {
      const rel = dir ? `${dir}/${d.name}` : d.name;
      if (d.isDirectory()) {
        if (d.name !== '.git') pending.push(rel);
        continue;
      }
      if (entries.length >= maxEntries) throw new FolderTooLargeError(`${root} holds more than ${maxEntries.toLocaleString('en-US')} files: that is not a batch folder.`);
      if (d.isSymbolicLink()) {
        const target = await fs.realpath(path.join(root, rel)).catch(() => undefined);
        entries.push({ path: rel, outside: target === undefined || !isInside(realRoot, target) });
      } else {
        entries.push({ path: rel });
      }
    }
  }
  return entries;
}

/**
 * Size and first bytes of each file, read `concurrency` at a time. A file that cannot be read
 * is left out of the map (the lint already knows it exists; nothing more can be said).
 */
export async function readImageFacts(root: string, files: readonly string[], concurrency = 32): Promise<Map<string, ImageFacts>> {
  const facts = new Map<string, ImageFacts>();
  let next = 0;
  const worker = async (): Promise<void> => {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    while (next < files.length) {
      const rel = files[next++];
      let handle: fs.FileHandle | undefined;
      try {
        handle = await fs.open(path.join(root, rel), 'r');
        const [{ bytesRead }, stat] = await Promise.all([handle.read(buffer, 0, SNIFF_BYTES, 0), handle.stat()]);
        facts.set(rel, { size: stat.size, head: Uint8Array.from(buffer.subarray(0, bytesRead)) });
      } catch {
        // unreadable: no facts
      } finally {
        await handle?.close().catch(() => undefined);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, files.length)) }, worker));
  return facts;
}
