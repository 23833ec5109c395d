// The local side of an upload: each planned file is opened once, without following links, checked
// against what the lint saw, and streamed from that descriptor while its SHA-256 is computed from
// the very bytes that go out. A file swapped, replaced by a link, grown or shrunk after the lint
// stops the upload before any of its bytes leave.
import { Stats, closeSync, constants, fstatSync, lstatSync, openSync, readSync, realpathSync } from 'node:fs';
import * as path from 'node:path';
import { LocalSource, UploadError, UploadFile, planIndexName } from '../../core';
import { Chunk, Hasher } from './hasher';

/** Windows has no O_NOFOLLOW; there the identity check alone catches a swapped file. */
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;

/** What identifies a file's content on disk: a swap, an edit or a truncation changes one of these. */
export interface FileIdentity {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
}

function identity(st: Stats): FileIdentity {
  return { dev: st.dev, ino: st.ino, size: st.size, mtimeMs: st.mtimeMs };
}

function sameIdentity(a: FileIdentity, b: FileIdentity): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;
}

function changed(file: UploadFile, index: number, total: number, why: string): UploadError {
  return new UploadError('changed-since-lint', `${planIndexName(index, total)} ${why} since the lint: nothing of it was sent and no DONE was written; lint and upload again`, { file: file.path });
}

/**
 * The identities of the planned files, taken right after the lint: every file must be a regular
 * file (not a link) whose size is the one the lint saw, in a folder that is no link either.
 */
export function snapshotFiles(folder: string, files: readonly UploadFile[]): FileIdentity[] {
  const root = realpathSync(folder);
  const realDirs = new Map<string, boolean>();
  return files.map((f, i) => {
    const dir = path.dirname(f.path);
    if (dir !== '.') {
      let direct = realDirs.get(dir);
      if (direct === undefined) {
        // No linked folder on the way: the real path of the file's folder is the folder itself.
        const real = (() => { try { return realpathSync(path.join(folder, dir)); } catch { return undefined; } })();
        direct = real === path.join(root, ...dir.split('/'));
        realDirs.set(dir, direct);
      }
      if (!direct) throw changed(f, i, files.length, 'lies in a folder that is a link');
    }
    let st: Stats;
    try {
      st = lstatSync(path.join(folder, ...f.path.split('/')));
    } catch {
      throw changed(f, i, files.length, 'disappeared');
    }
    if (!st.isFile()) throw changed(f, i, files.length, st.isSymbolicLink() ? 'is a link' : 'is not a regular file');
    if (st.size !== f.size) throw changed(f, i, files.length, `changed size (${f.size} bytes when linted, ${st.size} now)`);
    return identity(st);
  });
}

/**
 * Opens planned file `index` for sending: `O_NOFOLLOW` (a link in its place is refused), then its
 * descriptor's identity must equal the snapshot's. Reads are synchronous on purpose (a 20-200 KB
 * read from cache takes microseconds; the promise API's thread-pool round trips cost ~17% of an
 * upload's CPU in a profile). Reading past the snapshot's size, or hitting the end before it, is
 * a change too, and so is an identity that moved by the time the last byte was read.
 */
export function openChecked(folder: string, files: readonly UploadFile[], index: number, expected: FileIdentity, hasher: Hasher): LocalSource {
  const file = files[index];
  const total = files.length;
  let fd: number | undefined;
  try {
    fd = openSync(path.join(folder, ...file.path.split('/')), constants.O_RDONLY | O_NOFOLLOW);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' || code === 'EMLINK') throw changed(file, index, total, 'was replaced by a link');
    if (code === 'ENOENT') throw changed(file, index, total, 'disappeared');
    throw new UploadError('local-read', `${planIndexName(index, total)} cannot be read (${code ?? 'error'}): nothing was sent`, { file: file.path });
  }
  const opened = fd;
  const now = identity(fstatSync(opened));
  if (!sameIdentity(now, expected)) {
    closeSync(opened);
    throw changed(file, index, total, now.ino !== expected.ino || now.dev !== expected.dev ? 'was replaced by another file' : 'was modified');
  }
  // Hashed by the run's hashing thread from the very memory the transport sends (see hasher.ts).
  const hash = hasher.begin();
  let offset = 0;
  let closed = false;
  let digest: Promise<string> | undefined;
  // The chunk last returned: the transport has copied it by the next read (see LocalSource.read).
  let lent: Chunk | undefined;
  const giveBack = (): void => {
    if (lent) hasher.release(lent);
    lent = undefined;
  };
  const source: LocalSource = {
    path: file.path,
    size: file.size,
    async read(max: number): Promise<Uint8Array> {
      giveBack();
      const want = Math.min(max, file.size - offset);
      if (want <= 0) {
        // Grown, shrunk or rewritten while it was sent: its descriptor's size or time moved.
        if (digest === undefined && !sameIdentity(identity(fstatSync(opened)), expected)) {
          throw changed(file, index, total, 'was modified while it was sent');
        }
        digest ??= hasher.end(hash);
        return new Uint8Array(0);
      }
      const chunk = hasher.chunk(want);
      const buffer = chunk.bytes;
      let got = 0;
      try {
        while (got < want) {
          const n = readSync(opened, buffer, got, want - got, offset + got);
          if (n === 0) throw changed(file, index, total, 'became shorter while it was sent');
          got += n;
        }
      } catch (e) {
        hasher.release(chunk);
        throw e;
      }
      hasher.update(hash, chunk, got);
      offset += got;
      lent = chunk;
      return buffer;
    },
    digest: async () => digest,
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      giveBack();
      closeSync(opened);
      if (digest === undefined) hasher.drop(hash);
    },
  };
  return source;
}
