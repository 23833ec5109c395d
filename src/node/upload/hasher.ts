// SHA-256 of every file an upload sends, computed in a worker thread from the very memory the
// transport sends from: each chunk is read into a SharedArrayBuffer, which the worker hashes
// while the upload's thread encrypts and sends the same bytes. That thread then pays only for
// posting (batched per tick), not for hashing (~1.5 GB/s here: 2.2 s of its time for 3.4 GB).
//
// The chunks' memory is a pool of slabs, reused once the worker has hashed a chunk and the
// transport has moved past it. A fresh SharedArrayBuffer per chunk was freed only when both
// threads' collectors got to it, and the hashing thread's almost never did: an upload kept every
// byte it sent resident (peak RSS 475 MB for 357 MB of images, 1.3 GB for 3.3 GB).
import { Worker } from 'node:worker_threads';

const WORKER = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const open = new Map();
parentPort.on('message', (batch) => {
  const done = [];
  const hashed = [];
  for (const [id, chunk, length, slab, last] of batch) {
    let h = open.get(id);
    if (!h) { h = createHash('sha256'); open.set(id, h); }
    if (chunk) { h.update(new Uint8Array(chunk, 0, length)); hashed.push(slab); }
    if (last) { done.push([id, h.digest('hex')]); open.delete(id); }
  }
  parentPort.postMessage([done, hashed]);
});
`;

type Entry = [id: number, chunk: SharedArrayBuffer | undefined, length: number, slab: number, last: boolean];

/** The pooled chunk size: OpenSSH's largest write (limits@openssh.com: 256 KiB less 1 KiB) fits. */
export const SLAB_BYTES = 256 * 1024;
/** Free slabs kept for reuse (64 MB); more than that were in use at once only briefly. */
const MAX_FREE = 256;

/**
 * Memory for one chunk of a file, shared with the hashing thread. It returns to the pool when the
 * worker has hashed it and its reader has let it go (`hasher.release`).
 */
export interface Chunk {
  readonly bytes: Buffer;
  /** @internal */ readonly slab: Slab;
}

interface Slab { id: number; memory: SharedArrayBuffer; holds: number }

/** One hashing thread for a run's files. `close()` ends it. */
export class Hasher {
  private readonly worker = new Worker(WORKER, { eval: true });
  private readonly waiting = new Map<number, { resolve: (hex: string) => void; reject: (e: Error) => void }>();
  private batch: Entry[] = [];
  private nextId = 1;
  private failed: Error | undefined;
  private readonly free: Slab[] = [];
  private readonly hashing = new Map<number, Slab>();
  private nextSlab = 1;

  constructor() {
    this.worker.unref();
    this.worker.on('message', ([done, hashed]: [[number, string][], number[]]) => {
      for (const slab of hashed) {
        const s = this.hashing.get(slab);
        this.hashing.delete(slab);
        if (s) this.letGo(s);
      }
      for (const [id, hex] of done) {
        this.waiting.get(id)?.resolve(hex);
        this.waiting.delete(id);
      }
    });
    const fail = (e: Error): void => {
      this.failed = e;
      for (const w of this.waiting.values()) w.reject(e);
      this.waiting.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => { if (code !== 0) fail(new Error(`the hashing thread stopped (${code})`)); });
  }

  /** A new file's hash. */
  begin(): number {
    return this.nextId++;
  }

  /** Memory for `size` bytes of a file (pooled up to SLAB_BYTES). */
  chunk(size: number): Chunk {
    const slab = size <= SLAB_BYTES
      ? this.free.pop() ?? { id: this.nextSlab++, memory: new SharedArrayBuffer(SLAB_BYTES), holds: 0 }
      : { id: this.nextSlab++, memory: new SharedArrayBuffer(size), holds: 0 };
    slab.holds = 1;
    return { bytes: Buffer.from(slab.memory, 0, size), slab };
  }

  /**
   * The file's next bytes, in order, from `chunk` (which must not change until it is released):
   * the worker holds the chunk until it has hashed it.
   */
  update(id: number, chunk: Chunk, length: number): void {
    chunk.slab.holds++;
    this.hashing.set(chunk.slab.id, chunk.slab);
    this.post([id, chunk.slab.memory, length, chunk.slab.id, false]);
  }

  /** The reader is done with `chunk`: once the worker has hashed it too, it is reused. */
  release(chunk: Chunk): void {
    this.letGo(chunk.slab);
  }

  private letGo(slab: Slab): void {
    if (--slab.holds === 0 && slab.memory.byteLength === SLAB_BYTES && this.free.length < MAX_FREE) this.free.push(slab);
  }

  /** The hex SHA-256 of everything given for `id`. */
  end(id: number): Promise<string> {
    if (this.failed) return Promise.reject(this.failed);
    const digest = new Promise<string>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    // Whoever awaits it sees a failure; a file whose send failed first is never awaited, and its
    // rejection at close must not take the process down.
    digest.catch(() => undefined);
    this.post([id, undefined, 0, 0, true]);
    return digest;
  }

  /** Forgets a file that will not be read to its end (its upload stopped). */
  drop(id: number): void {
    this.post([id, undefined, 0, 0, true]);
  }

  private post(entry: Entry): void {
    // Once per turn of the event loop: many files' chunks travel in one message.
    if (this.batch.length === 0) setImmediate(() => this.flush());
    this.batch.push(entry);
  }

  private flush(): void {
    const batch = this.batch;
    this.batch = [];
    if (batch.length) this.worker.postMessage(batch);
  }

  async close(): Promise<void> {
    this.flush();
    for (const w of this.waiting.values()) w.reject(new Error('the hashing thread was closed'));
    this.waiting.clear();
    await this.worker.terminate();
  }
}
