// One upload per batch folder at a time, across processes (the CLI, any number of editor windows):
// a lock file created atomically in the folder's .jumio-batch. A lock left by a process that is
// gone (same machine, pid not running) is taken over.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UploadError } from '../../core';
import { STATE_FOLDER } from './receipt';

interface LockOwner { pid: number; hostname: string; since: string }

export interface FolderLock {
  release(): Promise<void>;
}

/** Only one process at a time may take over a stale lock; a takeover older than this was abandoned. */
const TAKEOVER_STALE_MS = 10_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // it runs, as another user
  }
}

async function owner(file: string): Promise<LockOwner | undefined> {
  try {
    const o = JSON.parse(await fs.readFile(file, 'utf8')) as LockOwner;
    return typeof o.pid === 'number' ? o : undefined;
  } catch {
    return undefined;
  }
}

function stale(o: LockOwner | undefined): boolean {
  // A lock from another machine (a shared folder) is never judged from here.
  return o !== undefined && o.hostname === os.hostname() && !alive(o.pid);
}

async function create(file: string): Promise<boolean> {
  const me: LockOwner = { pid: process.pid, hostname: os.hostname(), since: new Date().toISOString() };
  try {
    await fs.writeFile(file, JSON.stringify(me), { flag: 'wx', mode: 0o600 });
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

/**
 * Takes the batch folder's upload lock, or throws `UploadError('locked')` naming nothing but the
 * process that holds it. A stale lock is replaced under a second, short-lived takeover lock, so
 * that two processes finding the same stale lock cannot both take it.
 */
export async function lockFolder(folder: string): Promise<FolderLock> {
  const dir = path.join(folder, STATE_FOLDER);
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, 'upload.lock');
  // Released, the lock leaves no trace: the state folder goes too when nothing else (a receipt) is in it.
  const held = (): FolderLock => ({ release: async () => { await fs.rm(file, { force: true }); await fs.rmdir(dir).catch(() => undefined); } });
  if (await create(file)) return held();
  const takeover = `${file}.takeover`;
  const holder = await owner(file);
  if (stale(holder)) {
    const since = await fs.stat(takeover).then((s) => s.mtimeMs, () => undefined);
    if (since !== undefined && Date.now() - since > TAKEOVER_STALE_MS) await fs.rm(takeover, { force: true });
    if (await create(takeover)) {
      try {
        // Still the same stale owner (nobody took it over meanwhile): replace it.
        const again = await owner(file);
        if (again && again.pid === holder?.pid && again.since === holder.since) {
          await fs.rm(file, { force: true });
          if (await create(file)) return held();
        }
      } finally {
        await fs.rm(takeover, { force: true });
      }
    }
  }
  const who = (await owner(file)) ?? holder;
  throw new UploadError('locked', `another upload of this batch folder is running${who ? ` (process ${who.pid}${who.hostname !== os.hostname() ? ` on ${who.hostname}` : ''}, since ${who.since})` : ''}: wait for it to end, or cancel it`);
}
