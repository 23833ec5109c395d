import {
  AbortSignalLike, LocalSource, RemoteEntry, SftpSession, SftpTransport, TransportError, TransportErrorKind, UploadFile,
} from '../../src/core';

/**
 * An in-memory SFTP server and transport for the upload engine's unit tests. Everything it does
 * runs on microtasks (no timers), so a test is deterministic, and "the engine stopped promptly"
 * can be checked as "it settled before the next turn of the event loop".
 *
 * Files hold only a size. Every operation goes to `log`, in order, with the connection it came
 * on; failures are injected through `faults`, and tests can act in the middle of an operation
 * through `onOp` (it is called synchronously when an entry is logged).
 */

export type FakeOp =
  | 'connect' // a connection was asked for (error: 'connection' when refused)
  | 'close' // the client closed the connection
  | 'drop' // the connection was lost (injected)
  | 'mkdir' | 'exists' | 'list'
  | 'put-start' // a put call arrived
  | 'open' // the put created or truncated the remote file
  | 'put-end' // the put finished and was acknowledged
  | 'put-fail' // the put failed part-way (error says why)
  | 'putEmpty'
  | 'rejected'; // a call on a dead connection (call says which)

export interface FakeLogEntry {
  seq: number;
  conn: number;
  op: FakeOp;
  path: string;
  error?: TransportErrorKind;
  /** For 'rejected': the call that was refused. */
  call?: string;
  /** Puts in flight on the server as the entry was logged. */
  putsInFlight: number;
}

export interface FakeFaults {
  /** The n-th connect (1-based) is refused with a 'connection' error. */
  refuseConnect?: (n: number) => boolean;
  /**
   * Connection n drops as soon as this many puts have ended on it (0: at its first put), which
   * rejects the puts then in flight (their files stay as far as they got) and every later call.
   */
  dropAfterPuts?: (conn: number) => number | undefined;
  /** The `attempt`-th put (1-based, over all connections) of a path leaves only this many bytes, with no error. */
  shortPut?: (path: string, attempt: number) => number | undefined;
  /** A put of this path fails with `kind` once `afterBytes` are written. */
  failPut?: (path: string) => { kind: TransportErrorKind; afterBytes: number } | undefined;
  /** mkdir of this path is refused with this kind (nothing is created). */
  refuseMkdir?: (path: string) => TransportErrorKind | undefined;
  /** The operation is carried out on the server, but its answer is lost: the connection drops. */
  loseAnswer?: (op: 'mkdir' | 'putEmpty', path: string, conn: number) => boolean;
  /** The connection drops as this call arrives, before the server does anything. */
  dropBefore?: (op: 'mkdir' | 'list' | 'putEmpty', path: string, conn: number) => boolean;
}

type Node = { type: 'dir' } | { type: 'file'; size: number };

const tick = (): Promise<void> => Promise.resolve();

/** Thrown inside an operation's body when its connection went away; never reaches the engine. */
const GONE = Symbol('gone');

function parentOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

function baseName(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

export class FakeSftpServer {
  readonly log: FakeLogEntry[] = [];
  readonly faults: FakeFaults = {};
  /** Called synchronously as each entry is logged: a test may abort or inspect state there. */
  onOp?: (e: FakeLogEntry) => void;
  /** Bytes a put writes between two yields. */
  chunkSize = 8;
  connects = 0;
  inFlightPuts = 0;
  maxInFlightPuts = 0;
  private readonly nodes = new Map<string, Node>();
  private readonly attempts = new Map<string, number>();
  private readonly sessions: FakeSession[] = [];

  /** Creates a folder and its parents (test set-up; not logged). */
  mkdirp(path: string): void {
    const parts = this.normalize(path).split('/').filter(Boolean);
    for (let i = 1; i <= parts.length; i++) this.nodes.set(parts.slice(0, i).join('/'), { type: 'dir' });
  }

  /** Puts a file of this size there, creating its folders (test set-up; not logged). */
  addFile(path: string, size: number): void {
    const p = this.normalize(path);
    if (parentOf(p)) this.mkdirp(parentOf(p));
    this.nodes.set(p, { type: 'file', size });
  }

  /** What is at the path: a file's size, 'dir', or undefined. */
  stat(path: string): number | 'dir' | undefined {
    const n = this.nodes.get(this.normalize(path));
    return n === undefined ? undefined : n.type === 'dir' ? 'dir' : n.size;
  }

  /** Every path below a folder (files and folders), relative to it, sorted. */
  tree(folder: string): string[] {
    const root = this.normalize(folder);
    const prefix = root ? `${root}/` : '';
    return [...this.nodes.keys()].filter((p) => p.startsWith(prefix)).map((p) => p.slice(prefix.length)).sort();
  }

  /** Log entries of these kinds, in order. */
  ops(...kinds: FakeOp[]): FakeLogEntry[] {
    return this.log.filter((e) => kinds.includes(e.op));
  }

  /** Paths of the puts that started on connection `conn` (all connections when omitted). */
  putsStarted(conn?: number): string[] {
    return this.ops('put-start').filter((e) => conn === undefined || e.conn === conn).map((e) => e.path);
  }

  /** Connections not yet closed or dropped. */
  get openConnections(): number {
    return this.sessions.filter((s) => !s.closed).length;
  }

  transport(): SftpTransport {
    return {
      connect: async () => {
        const n = ++this.connects;
        const refused = this.faults.refuseConnect?.(n) ?? false;
        this.record({ conn: n, op: 'connect', path: '', error: refused ? 'connection' : undefined });
        await tick();
        if (refused) throw new TransportError('connection', `connection ${n} refused (injected)`);
        const s = new FakeSession(this, n);
        this.sessions.push(s);
        return s;
      },
    };
  }

  /** @internal */
  record(e: Omit<FakeLogEntry, 'seq' | 'putsInFlight'>): FakeLogEntry {
    const entry = { seq: this.log.length, putsInFlight: this.inFlightPuts, ...e };
    this.log.push(entry);
    this.onOp?.(entry);
    return entry;
  }

  /** @internal Paths as the engine sends them; '.' and '' are the login folder. Empty segments are refused. */
  normalize(path: string): string {
    if (path === '.' || path === '') return '';
    if (path.split('/').some((s) => s === '' || s === '.')) throw new TransportError('other', `malformed remote path "${path}"`);
    return path;
  }

  /** @internal */
  node(path: string): Node | undefined {
    const p = this.normalize(path);
    return p === '' ? { type: 'dir' } : this.nodes.get(p);
  }

  /** @internal */
  setNode(path: string, node: Node): void {
    this.nodes.set(this.normalize(path), node);
  }

  /** @internal */
  nextAttempt(path: string): number {
    const n = (this.attempts.get(path) ?? 0) + 1;
    this.attempts.set(path, n);
    return n;
  }

  /** @internal */
  childrenOf(path: string): RemoteEntry[] {
    const dir = this.normalize(path);
    return [...this.nodes.entries()]
      .filter(([p]) => parentOf(p) === dir)
      .map(([p, n]) => ({ name: baseName(p), size: n.type === 'file' ? n.size : 4096, isDirectory: n.type === 'dir' }));
  }
}

class FakeSession implements SftpSession {
  closed = false;
  private putsEnded = 0;
  private readonly pending = new Set<(e: TransportError) => void>();

  constructor(private readonly server: FakeSftpServer, readonly conn: number) {}

  /** Loses the connection: everything in flight, and every later call, rejects with 'connection'. */
  drop(): void {
    if (this.closed) return;
    this.server.record({ conn: this.conn, op: 'drop', path: '' });
    this.end(new TransportError('connection', `connection ${this.conn} lost (injected)`));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.server.record({ conn: this.conn, op: 'close', path: '' });
    this.end(new TransportError('connection', `connection ${this.conn} was closed`));
  }

  mkdir(path: string): Promise<void> {
    return this.call('mkdir', path, async () => {
      this.dropIfAsked('mkdir', path);
      const refusal = this.server.faults.refuseMkdir?.(path);
      const fail = (kind: TransportErrorKind, why: string): never => {
        this.server.record({ conn: this.conn, op: 'mkdir', path, error: kind });
        throw new TransportError(kind, `cannot create folder ${path}: ${why}`);
      };
      if (refusal) fail(refusal, `${refusal} (injected)`);
      if (this.server.node(path)) fail('exists', 'it exists');
      if (this.server.node(parentOf(path))?.type !== 'dir') fail('not-found', 'no parent folder');
      this.server.setNode(path, { type: 'dir' });
      this.server.record({ conn: this.conn, op: 'mkdir', path });
      await this.answer('mkdir', path);
    });
  }

  exists(path: string): Promise<false | 'file' | 'directory'> {
    return this.call('exists', path, async () => {
      this.server.record({ conn: this.conn, op: 'exists', path });
      const n = this.server.node(path);
      return n === undefined ? false : n.type === 'dir' ? 'directory' : 'file';
    });
  }

  list(path: string): Promise<RemoteEntry[]> {
    return this.call('list', path, async () => {
      this.dropIfAsked('list', path);
      this.server.record({ conn: this.conn, op: 'list', path });
      if (this.server.node(path)?.type !== 'dir') throw new TransportError('not-found', `cannot list ${path}: no such folder`);
      const entries = this.server.childrenOf(path);
      await tick();
      this.alive();
      return entries;
    });
  }

  /** Reads the source as a real transport does (chunk by chunk, in order), so that its hash is made. */
  put(file: UploadFile | LocalSource, remotePath: string, onBytes: (bytes: number) => void): Promise<void> {
    const s = this.server;
    let counted = false;
    return this.call('put', remotePath, async (answered) => {
      s.record({ conn: this.conn, op: 'put-start', path: remotePath });
      s.inFlightPuts++;
      counted = true;
      s.maxInFlightPuts = Math.max(s.maxInFlightPuts, s.inFlightPuts);
      const dropAt = s.faults.dropAfterPuts?.(this.conn);
      if (dropAt === 0) { this.drop(); throw GONE; }
      await tick();
      this.alive();
      if (s.node(parentOf(remotePath))?.type !== 'dir') {
        s.record({ conn: this.conn, op: 'put-fail', path: remotePath, error: 'not-found' });
        throw new TransportError('not-found', `cannot upload ${remotePath}: no such folder`);
      }
      const node = { type: 'file' as const, size: 0 };
      s.setNode(remotePath, node);
      s.record({ conn: this.conn, op: 'open', path: remotePath });
      const keep = s.faults.shortPut?.(remotePath, s.nextAttempt(remotePath)) ?? file.size;
      const failure = s.faults.failPut?.(remotePath);
      let written = 0;
      while (written < file.size) {
        await tick();
        this.alive();
        const chunk = Math.min(s.chunkSize, file.size - written);
        if ('read' in file) await file.read(chunk);
        written += chunk;
        node.size = Math.min(written, keep);
        onBytes(chunk); // a short put still reports every byte: the server lied, verification must notice
        if (failure && written >= failure.afterBytes) {
          s.record({ conn: this.conn, op: 'put-fail', path: remotePath, error: failure.kind });
          throw new TransportError(failure.kind, `cannot upload ${remotePath}: ${failure.kind} (injected)`);
        }
      }
      await tick();
      this.alive();
      s.record({ conn: this.conn, op: 'put-end', path: remotePath });
      // The K-th put is acknowledged, then the connection goes: exactly K files arrived whole.
      if (++this.putsEnded === dropAt) { answered(); this.drop(); }
    }, () => {
      if (counted) s.inFlightPuts--;
    });
  }

  putEmpty(remotePath: string): Promise<void> {
    return this.call('putEmpty', remotePath, async () => {
      this.dropIfAsked('putEmpty', remotePath);
      if (this.server.node(parentOf(remotePath))?.type !== 'dir') {
        this.server.record({ conn: this.conn, op: 'putEmpty', path: remotePath, error: 'not-found' });
        throw new TransportError('not-found', `cannot create ${remotePath}: no such folder`);
      }
      this.server.setNode(remotePath, { type: 'file', size: 0 });
      this.server.record({ conn: this.conn, op: 'putEmpty', path: remotePath });
      await this.answer('putEmpty', remotePath);
    });
  }

  /**
   * Stops the operation if its connection went away. Called right after each `await tick()`, in
   * the operation's own body: an async helper would add a hop after its check.
   */
  private alive(): void {
    if (this.closed) throw GONE;
  }

  private dropIfAsked(op: 'mkdir' | 'list' | 'putEmpty', path: string): void {
    if (this.server.faults.dropBefore?.(op, path, this.conn)) { this.drop(); throw GONE; }
  }

  /** After an operation took effect: its answer may be lost (injected). */
  private async answer(op: 'mkdir' | 'putEmpty', remotePath: string): Promise<void> {
    if (this.server.faults.loseAnswer?.(op, remotePath, this.conn)) { this.drop(); throw GONE; }
    await tick();
    this.alive();
  }

  private end(e: TransportError): void {
    this.closed = true;
    for (const reject of [...this.pending]) reject(e);
  }

  /**
   * Runs one operation: rejected at once on a dead connection, rejected with 'connection' when the
   * connection goes while it runs. `settled` runs once, however it ends. A body calls `answered()`
   * when its answer is on the way, so that a drop right after it no longer rejects it.
   */
  private call<T>(name: string, path: string, body: (answered: () => void) => Promise<T>, settled?: () => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.closed) {
        this.server.record({ conn: this.conn, op: 'rejected', call: name, path, error: 'connection' });
        reject(new TransportError('connection', `${name} ${path}: the connection is closed`));
        return;
      }
      let finished = false;
      let answered = false;
      const finish = (): void => {
        if (finished) return;
        finished = true;
        this.pending.delete(lost);
        settled?.();
      };
      const lost = (e: TransportError): void => { finish(); reject(e); };
      this.pending.add(lost);
      body(() => { answered = true; finish(); }).then((value) => {
        finish();
        if (answered || !this.closed) resolve(value); // otherwise the drop rejected it already
      }, (e: unknown) => {
        finish();
        if (e !== GONE) reject(e);
      });
    });
  }
}

/**
 * A clock and `sleep` that never touch real time: `sleep` moves the clock forward and records the
 * wait. With `holdSleeps`, a sleep stays pending until `wake()` or the signal aborts.
 */
export class FakeClock {
  time = 0;
  readonly sleeps: number[] = [];
  /** Sleeps that ran to their end. */
  slept = 0;
  holdSleeps = false;
  /** Called as a sleep starts (after it listens to the signal): a test may abort there. */
  onSleep?: (ms: number) => void;
  private readonly waiting: (() => void)[] = [];

  readonly now = (): number => this.time;

  readonly sleep = (ms: number, signal?: AbortSignalLike): Promise<void> => {
    this.sleeps.push(ms);
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) { reject(new Error('aborted')); return; }
      let over = false;
      const onAbort = (): void => { over = true; reject(new Error('aborted')); };
      signal?.addEventListener('abort', onAbort, { once: true });
      const wake = (): void => {
        if (over) return;
        over = true;
        signal?.removeEventListener('abort', onAbort);
        this.time += ms;
        this.slept++;
        resolve();
      };
      if (this.holdSleeps) this.waiting.push(wake);
      else void tick().then(wake);
      this.onSleep?.(ms);
    });
  };

  /** Ends every held sleep. */
  wake(): void {
    for (const w of this.waiting.splice(0)) w();
  }
}

/** Resolves once the microtasks queued so far have run: everything the fakes do has then happened. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * What `p` came to by the next turn of the event loop. The fakes work on microtasks only, so an
 * engine that stops promptly has settled by then; one that waits for something has not.
 */
export async function settledPromptly<T>(p: Promise<T>): Promise<{ settled: false } | { settled: true; value?: T; error?: unknown }> {
  let outcome: { settled: false } | { settled: true; value?: T; error?: unknown } = { settled: false };
  p.then((value) => { outcome = { settled: true, value }; }, (error: unknown) => { outcome = { settled: true, error }; });
  await nextTurn();
  return outcome;
}
