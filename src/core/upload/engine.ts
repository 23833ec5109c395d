import { isBatchId } from '../batchId';
import { RETRYABLE_REASONS, UploadError } from './failure';
import { EarlySession, sendOnLanes } from './lanes';
import { AbortSignalLike, SentFile, SftpSession, SftpTransport, TransportError, UploadFile, LocalSource, transportFailure } from './transport';

export const DONE_FILE = 'DONE';
const CSV_FILE = 'input.csv';

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
  /** Opens a planned file for sending, checked against what was linted (the Node adapter: by its descriptor). */
  open: (file: UploadFile) => Promise<LocalSource>;
  /** Sent again even when the server holds them at the right size (resume: the local bytes differ from the receipt). */
  resend?: ReadonlySet<string>;
  /** Called as each file arrived whole (its put was acknowledged): what a receipt of a failed run may vouch for. */
  onSent?: (f: SentFile) => void;
  /** Files in flight at once, over all connections. */
  concurrency: number;
  /** Connections the files are sent over, sharing one queue (default 1). */
  connections?: number;
  /** Fresh connections tried after a connection failure before giving up, per connection. */
  retries: number;
  /** Wait before the n-th retry (1-based), in ms. */
  backoffMs: (attempt: number) => number;
  /** Waits; rejects when the signal aborts. */
  sleep: (ms: number, signal?: AbortSignalLike) => Promise<void>;
  /** Milliseconds clock for rates. */
  now: () => number;
  signal?: AbortSignalLike;
  onProgress?: (p: UploadProgress) => void;
  /** Log lines: ids, counts and plan indexes, never file names or contents. */
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
  /** Every file sent in this run, with the SHA-256 of the bytes as they were sent. */
  sent: SentFile[];
}

/** One upload's state: every step below reads and advances it. */
interface Run {
  readonly o: UploadOptions;
  readonly transport: SftpTransport;
  readonly files: readonly UploadFile[];
  readonly index: ReadonlyMap<string, number>;
  readonly batchId: string;
  readonly remotePath: string;
  readonly resume: boolean;
  readonly bytesTotal: number;
  readonly started: number;
  /** The session of this round's folder work, verification and DONE. */
  session?: SftpSession;
  /** Every session open now (the lanes' too): a cancel closes them all. */
  readonly sessions: Set<SftpSession>;
  /** Bytes of each file counted into `bytesDone` in this round, so a re-send never counts twice. */
  counted: Map<string, number>;
  /** True from the moment the mkdir was sent: the folder may exist, a failure must name the batch. */
  created: boolean;
  /** DONE was sent on a connection that was then lost: it may have arrived. */
  doneSent: boolean;
  round: number;
  retries: number;
  skipped: number;
  /** Files whole on the server, as far as this round knows. */
  whole: Set<string>;
  bytesDone: number;
  /** Bytes acknowledged over the whole run (for the rate). */
  bytesMoved: number;
  sent: Map<string, SentFile>;
}

/** A remote path below `dir` ('' or '.': the login folder), without doubling a trailing slash. */
export function joinRemote(dir: string, name: string): string {
  if (dir === '' || dir === '.') return name;
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

function parentsOf(files: readonly UploadFile[]): string[] {
  const dirs = new Set<string>();
  for (const f of files) {
    const parts = f.path.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  return [...dirs].sort((a, b) => a.split('/').length - b.split('/').length || (a < b ? -1 : 1));
}

/** "file 12 of 301": how logs and messages name a file without its (often personal) name. */
export function planIndexName(index: number, total: number): string {
  return `file ${index + 1} of ${total}`;
}

/**
 * DONE starts processing at Jumio and must be the last file, written alone: no planned file may
 * carry that name (nor a second input.csv), in any letter case, at the top of the batch.
 */
function checkReservedNames(files: readonly UploadFile[]): void {
  files.forEach((f, i) => {
    const name = f.path.toLowerCase();
    const second = name === CSV_FILE && !(i === 0 && f.path === CSV_FILE);
    if (name === DONE_FILE.toLowerCase() || second) {
      throw new UploadError('reserved-name', `${planIndexName(i, files.length)} would be sent under the reserved name ${second ? CSV_FILE : DONE_FILE}: nothing was sent`, { file: f.path });
    }
  });
}

function progress(run: Run, phase: UploadPhase): void {
  if (!run.o.onProgress) return;
  const elapsed = (run.o.now() - run.started) / 1000;
  const rate = elapsed > 0 && run.bytesMoved > 0 ? run.bytesMoved / elapsed : 0;
  run.o.onProgress({
    phase, batchId: run.batchId, filesDone: run.whole.size, filesTotal: run.files.length, bytesDone: run.bytesDone, bytesTotal: run.bytesTotal,
    bytesPerSecond: rate, etaSeconds: rate > 0 ? (run.bytesTotal - run.bytesDone) / rate : undefined,
  });
}

function log(run: Run, line: string): void {
  run.o.log?.(line);
}

function cancelled(run: Run): UploadError {
  return new UploadError('cancelled', 'upload cancelled; no DONE was written', { batchId: run.created ? run.batchId : undefined, remotePath: run.remotePath });
}

function throwIfCancelled(run: Run): void {
  if (run.o.signal?.aborted) throw cancelled(run);
}

/** Any error of a step as the failure it is, naming the batch once its folder may exist. */
function asFailure(run: Run, e: unknown): UploadError {
  if (run.o.signal?.aborted) return cancelled(run);
  const batch = { batchId: run.created ? run.batchId : undefined, remotePath: run.remotePath };
  if (e instanceof UploadError) return e.batchId === undefined && batch.batchId ? e.forBatch(batch.batchId, batch.remotePath) : e;
  if (e instanceof TransportError) return transportFailure(e, batch);
  return new UploadError('other', e instanceof Error ? e.message : String(e), batch);
}

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

/** A fresh connection, known to the run so that a cancel closes it. */
async function open(run: Run): Promise<SftpSession> {
  const session = await run.transport.connect(run.o.signal);
  run.sessions.add(session);
  if (run.o.signal?.aborted) { await shut(run, session); throw cancelled(run); }
  return session;
}

async function shut(run: Run, session: SftpSession): Promise<void> {
  run.sessions.delete(session);
  await session.close();
}

async function connect(run: Run): Promise<SftpSession> {
  throwIfCancelled(run);
  progress(run, run.round === 0 ? 'connecting' : 'reconnecting');
  run.session = await open(run);
  return run.session;
}

/** The first round of a new batch: `<remoteDir>/<uuid>` and its sub-folders, parents first. */
async function createFolder(run: Run, session: SftpSession): Promise<void> {
  progress(run, 'creating');
  const made = session.mkdir(run.remotePath);
  run.created = true;
  await made.catch((e) => {
    // Any answer but a lost connection means the folder was not made: nothing to resume.
    if (e instanceof TransportError && e.kind !== 'connection') run.created = false;
    if (e instanceof TransportError && e.kind === 'exists') {
      throw new UploadError('remote-exists', `the batch folder ${run.remotePath} already exists; a new batch needs a new id`, { remotePath: run.remotePath });
    }
    throw e;
  });
  log(run, `created ${run.remotePath}`);
  for (const dir of parentsOf(run.files)) await session.mkdir(joinRemote(run.remotePath, dir));
}

/**
 * A resume, or a later round: the folder must be there without DONE. Returns true when DONE,
 * sent on the connection that was lost, did arrive: the batch is submitted.
 */
async function reopenFolder(run: Run, session: SftpSession): Promise<boolean> {
  progress(run, 'checking');
  const done = joinRemote(run.remotePath, DONE_FILE);
  if (run.doneSent && (await session.exists(done))) {
    log(run, `found ${done} written before the connection was lost`);
    return true;
  }
  // A new batch whose mkdir never got its answer: make the folder now if it is not there.
  if (!run.resume && !(await session.exists(run.remotePath))) await session.mkdir(run.remotePath);
  if ((await session.exists(run.remotePath)) !== 'directory') {
    throw new UploadError(run.resume && run.round === 0 ? 'resume-not-found' : 'other',
      run.resume && run.round === 0 ? `there is no batch folder ${run.remotePath} on the server to resume` : `the batch folder ${run.remotePath} disappeared from the server`);
  }
  if (await session.exists(done)) {
    throw new UploadError('resume-done', `${run.remotePath} already holds DONE: that batch was submitted and nothing may be added to it`);
  }
  for (const dir of parentsOf(run.files)) {
    if (!(await session.exists(joinRemote(run.remotePath, dir)))) await session.mkdir(joinRemote(run.remotePath, dir));
  }
  return false;
}

/** The files this round sends: those not whole on the server, and those a resume must replace. */
async function whatToSend(run: Run, session: SftpSession): Promise<UploadFile[]> {
  const remote = run.round === 0 && !run.resume ? new Map<string, number>() : await listSizes(session, run.remotePath);
  const replace = (f: UploadFile): boolean => !!run.o.resend?.has(f.path) && !run.sent.has(f.path);
  const whole = run.files.filter((f) => remote.get(f.path) === f.size && !replace(f));
  if (run.round === 0 && run.resume) {
    run.skipped = whole.length;
    const replaced = run.files.filter((f) => remote.get(f.path) === f.size && replace(f)).length;
    log(run, `resuming ${run.remotePath}: ${whole.length} of ${run.files.length} files already whole there${replaced ? `, ${replaced} changed since they were sent and go again` : ''}`);
  }
  run.whole = new Set(whole.map((f) => f.path));
  run.bytesDone = whole.reduce((n, f) => n + f.size, 0);
  run.counted = new Map();
  return run.files.filter((f) => !run.whole.has(f.path));
}

/** One file: opened (checked against the lint), streamed, recorded with its hash, closed. */
async function sendOne(run: Run, session: SftpSession, file: UploadFile): Promise<void> {
  const source = await run.o.open(file);
  // A file sent again after a lost connection counts only the bytes past what it counted before:
  // progress never goes back, and never passes the total.
  let acknowledged = 0;
  const before = run.counted.get(file.path) ?? 0;
  try {
    await session.put(source, joinRemote(run.remotePath, file.path), (bytes) => {
      run.bytesMoved += bytes;
      const now = acknowledged + bytes;
      if (now > before) run.bytesDone += now - Math.max(acknowledged, before);
      acknowledged = now;
      run.counted.set(file.path, Math.max(before, acknowledged));
    });
    const sent = { path: file.path, bytes: file.size, sha256: await source.digest() };
    run.sent.set(file.path, sent);
    run.o.onSent?.(sent);
    run.whole.add(file.path);
    run.bytesDone += file.size - Math.max(acknowledged, before); // the file counts whole even if the transport reported less
    run.counted.set(file.path, file.size);
    progress(run, 'uploading');
  } catch (e) {
    throw e instanceof TransportError && e.kind === 'connection' ? e : asFailure(run, e);
  } finally {
    // The bytes it got stay counted until the next round re-reads the server, so that progress
    // never goes back within a round.
    await source.close();
  }
}

/**
 * One more fresh connection, within the budget (`retries` per connection), after the back-off.
 * `idle` cuts the wait short when the other connections finished the work meanwhile.
 */
async function retry(run: Run, e: unknown, idle?: AbortSignalLike): Promise<boolean> {
  const budget = run.o.retries * Math.max(1, run.o.connections ?? 1);
  if (run.retries >= budget || run.o.signal?.aborted || idle?.aborted) return false;
  run.retries++;
  const f = asFailure(run, e);
  log(run, `a connection failed (${f.reason}: ${f.message}); fresh connection ${run.retries} of ${budget}`);
  try {
    await run.o.sleep(run.o.backoffMs(run.retries), either(run.o.signal, idle));
  } catch {
    if (run.o.signal?.aborted) throw cancelled(run);
    return false;
  }
  return !idle?.aborted;
}

/** A signal raised when either is. */
function either(a: AbortSignalLike | undefined, b: AbortSignalLike | undefined): AbortSignalLike | undefined {
  if (!a || !b) return a ?? b;
  return {
    get aborted() { return a.aborted || b.aborted; },
    addEventListener: (t, l, o) => { a.addEventListener(t, l, o); b.addEventListener(t, l, o); },
    removeEventListener: (t, l) => { a.removeEventListener(t, l); b.removeEventListener(t, l); },
  };
}

/** Connections to send over: never more than files in flight (`--concurrency 1` sends one at a time). */
function connectionCount(run: Run): number {
  return Math.max(1, Math.min(run.o.connections ?? 1, run.o.concurrency));
}

/**
 * Sends over `connections` sessions (this round's and fresh ones) sharing one queue; then only
 * this round's session stays open, for verification and DONE, on a connection that works.
 */
async function sendFiles(run: Run, session: SftpSession, todo: UploadFile[], early: EarlySession[]): Promise<SftpSession> {
  progress(run, 'uploading');
  const connections = connectionCount(run);
  const remaining = await sendOnLanes({
    connections,
    perConnection: Math.max(1, Math.ceil(run.o.concurrency / connections)),
    connect: (again) => {
      if (again) progress(run, 'reconnecting');
      return open(run);
    },
    send: (s, f) => sendOne(run, s, f),
    lost: (e) => !run.o.signal?.aborted && ((e instanceof TransportError && e.kind === 'connection') || (e instanceof UploadError && e.reason === 'connection')),
    retry: (e, idle) => retry(run, e, idle),
    stopped: () => !!run.o.signal?.aborted,
    close: (s) => shut(run, s),
  }, session, todo, early);
  throwIfCancelled(run);
  // Every lane finished: keep one open session for the folder's last word, close the rest.
  const keep = remaining.includes(session) ? session : remaining[0];
  for (const s of remaining) if (s !== keep) await shut(run, s);
  if (!keep) throw new TransportError('connection', 'every connection was lost');
  run.session = keep;
  return keep;
}

/** Every planned file whole on the server, and nothing else there: only then may DONE follow. */
async function verify(run: Run, session: SftpSession): Promise<void> {
  progress(run, 'verifying');
  const arrived = await listSizes(session, run.remotePath);
  const wrong = run.files.map((f, i) => ({ f, i })).filter(({ f }) => arrived.get(f.path) !== f.size);
  if (wrong.length > 0) {
    const { f, i } = wrong[0];
    throw new UploadError('verify', `${wrong.length} file(s) did not arrive whole (the first is ${planIndexName(i, run.files.length)}: ${arrived.get(f.path) ?? 'missing'} of ${f.size} bytes)`, { file: f.path });
  }
  const extra = [...arrived.keys()].filter((p) => !run.index.has(p));
  if (extra.length > 0) {
    throw new UploadError('remote-unexpected', `the batch folder ${run.remotePath} holds ${extra.length} file(s) that are not in this batch: DONE was not written, because Jumio would read them too`, { file: extra[0] });
  }
  throwIfCancelled(run);
}

async function finish(run: Run, session: SftpSession): Promise<void> {
  progress(run, 'finishing');
  run.doneSent = true;
  await session.putEmpty(joinRemote(run.remotePath, DONE_FILE));
  log(run, `wrote ${joinRemote(run.remotePath, DONE_FILE)} after verifying ${run.files.length} files`);
}

/** One round on one connection: folder, what is missing, send, verify, DONE. */
/**
 * One round on one connection: folder, what is missing, send, verify, DONE. The other
 * connections are opened at once, beside the first, so that their handshakes overlap its folder
 * work instead of following it (at 50 ms round trip a handshake takes about 0.4 s).
 */
async function round(run: Run): Promise<void> {
  const first = connect(run);
  const extra = run.o.signal?.aborted ? 0 : connectionCount(run) - 1;
  const early: EarlySession[] = Array.from({ length: extra }, () => open(run).then((s) => s, (error: unknown) => ({ error })));
  let handedOver = false;
  try {
    const session = await first;
    if (!run.created) await createFolder(run, session);
    else if (await reopenFolder(run, session)) return;
    const todo = await whatToSend(run, session);
    handedOver = true;
    const last = await sendFiles(run, session, todo, early);
    await verify(run, last);
    await finish(run, last);
  } finally {
    // Connections opened ahead for a round that ended before sending are closed as they arrive.
    if (!handedOver) for (const e of early) void e.then((got) => ('error' in got ? undefined : shut(run, got)));
  }
}

async function closeSessions(run: Run): Promise<void> {
  run.session = undefined;
  for (const s of [...run.sessions]) await shut(run, s);
}

/**
 * Uploads a batch: creates `<remoteDir>/<uuid>` (or re-uses it on resume), sends every file whole
 * with `concurrency` in flight, each opened once through `open` and streamed from there, verifies
 * every remote size and that nothing else is there, and only then writes an empty `DONE`, last
 * and alone. A dropped connection is retried on a fresh one with back-off; each round lists what
 * arrived and re-sends whole what is missing or short. If the batch cannot be completed, `DONE`
 * is never written and the `UploadError` carries the batch id.
 */
export async function uploadBatch(files: UploadFile[], transport: SftpTransport, o: UploadOptions): Promise<UploadResult> {
  const resume = o.resumeBatchId !== undefined;
  if (resume && !isBatchId(o.resumeBatchId)) {
    throw new UploadError('resume-not-found', `"${o.resumeBatchId}" is not a batch id (a lower-case UUID v4)`);
  }
  checkReservedNames(files);
  const batchId = o.resumeBatchId ?? o.newBatchId();
  const run: Run = {
    o, transport, files, index: new Map(files.map((f, i) => [f.path, i])), batchId, remotePath: joinRemote(o.remoteDir, batchId), resume,
    bytesTotal: files.reduce((n, f) => n + f.size, 0), started: o.now(),
    created: resume, doneSent: false, round: 0, retries: 0, skipped: 0, whole: new Set(), bytesDone: 0, bytesMoved: 0, sent: new Map(),
    sessions: new Set(), counted: new Map(),
  };
  const onAbort = (): void => { for (const s of run.sessions) void s.close(); };
  o.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (;; run.round++) {
      try {
        await round(run);
        break;
      } catch (e) {
        await closeSessions(run);
        const failure = asFailure(run, e);
        if (!RETRYABLE_REASONS.has(failure.reason) || !(await retry(run, failure))) throw failure;
      }
    }
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    await closeSessions(run);
  }
  return {
    batchId, remotePath: run.remotePath, files: files.length, bytes: run.bytesTotal, skipped: run.skipped, retries: run.retries,
    seconds: (o.now() - run.started) / 1000, sent: [...run.sent.values()],
  };
}
