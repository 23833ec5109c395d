// What the linter knows of batch folders on disk: one listing per folder and the first bytes of
// its images, kept until a file below the folder is created, changed or deleted.
import * as path from 'node:path';
import { FolderIndex, ImageFacts } from '../../core';
import { isInside, listBatchFolder, readImageFacts } from './folder';

export class FolderCache {
  private readonly listings = new Map<string, Promise<FolderIndex>>();
  private readonly facts = new Map<string, Map<string, ImageFacts>>();

  /** The folder's listing; a failed listing is not kept, so the next lint tries again. */
  index(folder: string): Promise<FolderIndex> {
    let listing = this.listings.get(folder);
    if (!listing) {
      listing = listBatchFolder(folder).then((entries) => new FolderIndex(entries));
      this.listings.set(folder, listing);
      listing.catch(() => this.listings.delete(folder));
    }
    return listing;
  }

  /**
   * Size and first bytes of each file, read once per file until it changes. A file that cannot
   * be read is left out (and tried again next time); its error goes to `onError`.
   */
  async imageFacts(folder: string, files: readonly string[], onError?: (e: unknown) => void): Promise<Map<string, ImageFacts>> {
    let known = this.facts.get(folder);
    if (!known) this.facts.set(folder, (known = new Map()));
    const missing = files.filter((f) => !known.has(f));
    if (missing.length) for (const [f, facts] of await readImageFacts(folder, missing, undefined, onError)) known.set(f, facts);
    const out = new Map<string, ImageFacts>();
    for (const f of files) {
      const facts = known.get(f);
      if (facts) out.set(f, facts);
    }
    return out;
  }

  /**
   * Forgets what a change to `file` makes stale. `listingChanged` is false for a change of
   * contents only (the listing stays). Returns the cached folders that hold the file.
   */
  invalidate(file: string, listingChanged: boolean): string[] {
    const affected: string[] = [];
    for (const folder of new Set([...this.listings.keys(), ...this.facts.keys()])) {
      if (!isInside(folder, file) || folder === file) continue;
      affected.push(folder);
      if (listingChanged) this.listings.delete(folder);
      const rel = path.relative(folder, file).split(path.sep).join('/');
      const facts = this.facts.get(folder);
      if (facts) {
        // A deleted folder takes every file below it.
        for (const key of [...facts.keys()]) if (key === rel || key.startsWith(rel + '/')) facts.delete(key);
      }
    }
    return affected;
  }

  clear(): void {
    this.listings.clear();
    this.facts.clear();
  }
}
