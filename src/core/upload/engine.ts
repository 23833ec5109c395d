import { AbortSignalLike, SftpSession, SftpTransport, TransportError, UploadFile } from './transport';

import { isBatchId } from '../batchId';

export const DONE_FILE = 'DONE';

export type UploadPhase = 'connecting' | 'creating' | 'checking' | 'uploading' | 'verifying' | 'finishing' | 'reconnecting';

export interface UploadProgress {
  phase: UploadPhase;
  batchId: string;
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
  /** Bytes per second over the run so far (0 until something was sent). */
  bytesPerSecond: number;
  /** Seconds left at the current rate, when it can be told. */
  etaSeconds?: number;
}

export interface UploadOptions {
  /** Remote folder the batch folder is created in ('' or '.': the login folder). */
  remoteDir: string;
  /** Re-use this batch folder (refused when it holds `DONE`); otherwise a new one is made. */
  resumeBatchId?: string;
  /** Makes a new UUID v4 (injected: core has no randomness source of its own). */
  newBatchId: () => string;
  /** Files in flight at once. */
  concurrency: number;
  /** Fresh connections tried after a connection failure before giving up. */
  retries: number;
  /** Wait before the n-th retry (1-based), in ms. */
  backoffMs: (attempt: number) => number;
  /** Waits; rejects when the signal aborts. */
  sleep: (ms: number, signal?: AbortSignalLike) => Promise<void>;
  /** Milliseconds clock for rates. */
  now: () => number;
  signal?: AbortSignalLike;
  onProgress?: (p: UploadProgress) => void;
  /** Log lines (no secrets, no CSV contents: paths and counts only). */
  log?: (line: string) => void;
}

export interface UploadResult {
  batchId: string;
  remotePath: string;
  files: number;
  bytes: number;
  /** Files found whole on the server and not sent again (resume). */
  skipped: number;
  retries: number;
  seconds: number;
}

/**
 * The batch could not be completed: no `DONE` was written. `batchId` is set once the remote
 * folder exists, so the caller can tell the user how to resume.
 */
export class UploadError extends Error {
  constructor(message: string, readonly kind: TransportError['kind'] | 'aborted' | 'verify' | 'resume', readonly batchId?: string, readonly remotePath?: string) {
    super(message);
    this.name = 'UploadError';
  }
}

function joinRemote(dir: string, name: string): string {
  if (dir === '' || dir === '.') return name;
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

function parentsOf(files: UploadFile[]): string[] {
  const dirs = new Set<string>();
  for (const f of files) {
    const parts = f.path.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  return [...dirs].sort((a, b) => a.split('/').length - b.split('/').length || (a < b ? -1 : 1));
}

/** Every file below the batch folder with its size, by path relative to it. */
async function listSizes(session: SftpSession, root: string): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  const pending = [''];
  while (pending.length) {
    const dir = pending.pop() as string;
    for (const e of await session.list(dir ? joinRemote(root, dir) : root)) {
      const rel = dir ? `${dir}/${e.name}` : e.name;
      if (e.isDirectory) pending.push(rel);
      else sizes.set(rel, e.size);
    }
  }
  return sizes;
}

async function checkResumable(session: SftpSession, remotePath: string, explicitResume: boolean): Promise<void> {
  const kind = await session.exists(remotePath);
  if (kind !== 'directory') {
    throw new UploadError(explicitResume ? `there is no batch folder ${remotePath} on the server to resume` : `the batch folder ${remotePath} disappeared from the server`, 'resume');
  }
  if (await session.exists(joinRemote(remotePath, DONE_FILE))) {
    throw new UploadError(`${remotePath} already holds DONE: that batch was submitted and nothing may be added to it`, 'resume');
  }
}

interface SendState {
  done: Set<string>;
  bytesDone: number;
  sent: number;
}

/**
 * Sends files with `concurrency` in flight over one session. The first failure stops new files
 * from starting; in-flight ones settle, then the failure is thrown (the caller decides whether a
 * fresh connection is worth it).
 */
async function sendAll(session: SftpSession, todo: UploadFile[], remotePath: string, o: UploadOptions, state: SendState, onFile: () => void): Promise<void> {
  let next = 0;
  let failure: unknown;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < todo.length) {
      if (o.signal?.aborted) { failure = abortError(undefined, remotePath); return; }
      const file = todo[next++];
      let sent = 0;
      try {
        await session.put(file, joinRemote(remotePath, file.path), (bytes) => {
          sent += bytes;
          state.bytesDone += bytes;
          state.sent += bytes;
        });
        state.done.add(file.path);
        state.bytesDone += file.size - sent; // count the file whole even if the transport reported less
        onFile();
      } catch (e) {
        // The bytes it got stay counted until the next round re-reads the server, so that
        // progress never goes back within a round.
        if (failure === undefined) failure = e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.concurrency, todo.length)) }, worker));
  if (failure !== undefined) throw failure;
}

function abortError(batchId: string | undefined, remotePath: string | undefined): UploadError {
  return new UploadError('upload cancelled; no DONE was written', 'aborted', batchId, remotePath);
}

/**
 * Uploads a batch: creates `<remoteDir>/<uuid>` (or re-uses it on resume), sends every file whole
 * with `concurrency` in flight, verifies every remote size against the local one, and only then
 * writes an empty `DONE`, last and alone. A dropped connection is retried on a fresh one with
 * back-off; each round lists what arrived and re-sends whole what is missing or short. If the
 * batch cannot be completed, `DONE` is never written and `UploadError` carries the batch id.
 */
export async function uploadBatch(files: UploadFile[], transport: SftpTransport, o: UploadOptions): Promise<UploadResult> {
  const started = o.now();
  const log = o.log ?? (() => undefined);
  const resume = o.resumeBatchId !== undefined;
  if (resume && !isBatchId(o.resumeBatchId)) {
    throw new UploadError(`"${o.resumeBatchId}" is not a batch id (a lower-case UUID v4)`, 'resume');
  }
  const batchId = o.resumeBatchId ?? o.newBatchId();
  const remotePath = joinRemote(o.remoteDir, batchId);
  const bytesTotal = files.reduce((n, f) => n + f.size, 0);
  // `created` turns true as soon as the mkdir is sent: from then on the folder may exist, and a
  // failure must name the batch so that the user can resume it.
  const state = { done: new Set<string>(), bytesDone: 0, sent: 0, created: resume };
  let session: SftpSession | undefined;
  const progress = (phase: UploadPhase): void => {
    if (!o.onProgress) return;
    const elapsed = (o.now() - started) / 1000;
    const rate = elapsed > 0 && state.sent > 0 ? state.sent / elapsed : 0;
    const left = bytesTotal - state.bytesDone;
    o.onProgress({
      phase, batchId, filesDone: state.done.size, filesTotal: files.length, bytesDone: state.bytesDone, bytesTotal,
      bytesPerSecond: rate, etaSeconds: rate > 0 ? left / rate : undefined,
    });
  };
  const fail = (e: unknown): UploadError => {
    if (o.signal?.aborted) return abortError(state.created ? batchId : undefined, remotePath);
    if (e instanceof UploadError) return e;
    const kind = e instanceof TransportError ? e.kind : 'other';
    const message = e instanceof Error ? e.message : String(e);
    return new UploadError(message, kind, state.created ? batchId : undefined, remotePath);
  };
  const onAbort = (): void => { void session?.close(); };
  o.signal?.addEventListener('abort', onAbort, { once: true });

  let retries = 0;
  let skipped = 0;
  let doneSent = false;
  try {
    for (let round = 0; ; round++) {
      try {
        if (o.signal?.aborted) throw abortError(state.created ? batchId : undefined, remotePath);
        progress(round === 0 ? 'connecting' : 'reconnecting');
        session = await transport.connect(o.signal);
        if (o.signal?.aborted) throw abortError(state.created ? batchId : undefined, remotePath);
        if (!state.created) {
          progress('creating');
          const made = session.mkdir(remotePath);
          state.created = true;
          await made.catch((e) => {
            // Any answer but a lost connection means the folder was not made: nothing to resume.
            if (e instanceof TransportError && e.kind !== 'connection') state.created = false;
            if (e instanceof TransportError && e.kind === 'exists') {
              throw new UploadError(`the batch folder ${remotePath} already exists; a new batch needs a new id`, 'exists');
            }
            throw e;
          });
          log(`created ${remotePath}`);
          for (const dir of parentsOf(files)) await session.mkdir(joinRemote(remotePath, dir));
        } else {
          progress('checking');
          // DONE was sent on the connection that was lost, and it arrived: the batch is submitted.
          if (doneSent && (await session.exists(joinRemote(remotePath, DONE_FILE)))) {
            log(`found ${joinRemote(remotePath, DONE_FILE)} written before the connection was lost`);
            break;
          }
          // A new batch whose mkdir never got its answer: make the folder now if it is not there.
          if (!resume && !(await session.exists(remotePath))) await session.mkdir(remotePath);
          await checkResumable(session, remotePath, round === 0 && resume);
          for (const dir of parentsOf(files)) {
            if (!(await session.exists(joinRemote(remotePath, dir)))) await session.mkdir(joinRemote(remotePath, dir));
          }
        }
        const remoteSizes = round === 0 && !resume ? new Map<string, number>() : await listSizes(session, remotePath);
        const todo = files.filter((f) => remoteSizes.get(f.path) !== f.size);
        if (round === 0 && resume) {
          skipped = files.length - todo.length;
          log(`resuming ${remotePath}: ${skipped} of ${files.length} files already whole there`);
        }
        state.done = new Set(files.filter((f) => remoteSizes.get(f.path) === f.size).map((f) => f.path));
        state.bytesDone = files.filter((f) => state.done.has(f.path)).reduce((n, f) => n + f.size, 0);
        progress('uploading');
        await sendAll(session, todo, remotePath, o, state, () => progress('uploading'));

        progress('verifying');
        const arrived = await listSizes(session, remotePath);
        const wrong = files.filter((f) => arrived.get(f.path) !== f.size);
        if (wrong.length > 0) {
          throw new UploadError(`${wrong.length} file(s) did not arrive whole (first: ${wrong[0].path}, ${arrived.get(wrong[0].path) ?? 'missing'} of ${wrong[0].size} bytes)`, 'verify', batchId, remotePath);
        }
        if (o.signal?.aborted) throw abortError(batchId, remotePath);
        progress('finishing');
        doneSent = true;
        await session.putEmpty(joinRemote(remotePath, DONE_FILE));
        log(`wrote ${joinRemote(remotePath, DONE_FILE)} after verifying ${files.length} files`);
        break;
      } catch (e) {
        await session?.close();
        session = undefined;
        // A short file is sent again whole on a fresh connection, like a dropped one.
        const retryable = ((e instanceof TransportError && e.kind === 'connection') || (e instanceof UploadError && e.kind === 'verify')) && !o.signal?.aborted;
        if (!retryable || retries >= o.retries) throw fail(e);
        retries++;
        log(`round ${round + 1} failed (${(e as Error).message}); retry ${retries} of ${o.retries} on a fresh connection`);
        await o.sleep(o.backoffMs(retries), o.signal).catch(() => { throw abortError(state.created ? batchId : undefined, remotePath); });
      }
    }
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    await session?.close();
  }
  return { batchId, remotePath, files: files.length, bytes: bytesTotal, skipped, retries, seconds: (o.now() - started) / 1000 };
}
