// The extension's side of the lint worker: requests go to a worker thread (dist/lintWorker.js)
// so a 10,000-row parse never blocks the extension host. A worker that dies takes the requests
// in flight with it (one of them may have killed it: it must not run again, least of all in the
// extension host); the next request starts a new worker. Only without a worker file, or when a
// worker cannot start at all, does the same EditorLinter run in this thread.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { EditorLintRequest, EditorLintResult, EditorLinter } from './editorLint';
import { errorCode } from './notes';

export type WorkerMessage =
  | { type: 'lint'; id: number; request: EditorLintRequest }
  | { type: 'invalidate'; file: string; listingChanged: boolean }
  | { type: 'clear' };

/** One answer: a result (undefined: the file is gone), `stale`, or an error message. */
export interface WorkerReply {
  id: number;
  result?: EditorLintResult;
  stale?: true;
  error?: string;
}

/**
 * Posted once the worker's code has loaded, before it handles any request: a worker that dies
 * before saying so could not start, and ran none of the requests sent to it.
 */
export interface WorkerReady {
  ready: true;
}

/** What a lint came to: a result, nothing (file gone), or `stale` (a newer request superseded it). */
export type LintAnswer = EditorLintResult | undefined | 'stale';

interface Pending {
  request: EditorLintRequest;
  resolve: (a: LintAnswer) => void;
  reject: (e: Error) => void;
}

export class LintClient {
  private worker: Worker | undefined;
  /** The current worker said it is ready; why it failed, when it did (its 'error' precedes 'exit'). */
  private ready = false;
  private failure: string | undefined;
  private local: EditorLinter | undefined;
  private disposed = false;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  /** `workerFile`: the compiled lintWorker.js; default: beside this module. */
  constructor(private readonly log: (line: string) => void, private readonly workerFile = path.join(__dirname, 'lintWorker.js')) {
    if (!existsSync(workerFile)) {
      log(`no lint worker at ${workerFile}: linting in the extension host`);
      this.local = new EditorLinter();
      return;
    }
    this.start();
  }

  /** Whether lints run in a worker thread (for the log and tests). */
  get threaded(): boolean {
    return this.local === undefined;
  }

  lint(request: EditorLintRequest): Promise<LintAnswer> {
    if (this.disposed) return Promise.resolve('stale');
    if (!this.local && !this.worker) this.start();
    if (this.local) return this.local.lint(request);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { request, resolve, reject });
      this.post({ type: 'lint', id, request });
    });
  }

  invalidate(file: string, listingChanged: boolean): void {
    this.local?.invalidate(file, listingChanged);
    this.post({ type: 'invalidate', file, listingChanged });
  }

  clear(): void {
    this.local?.clear();
    this.post({ type: 'clear' });
  }

  private post(m: WorkerMessage): void {
    this.worker?.postMessage(m);
  }

  private start(): void {
    let w: Worker;
    try {
      w = new Worker(this.workerFile);
    } catch (e) {
      this.fallBack(`the lint worker cannot be started (${errorCode(e)})`);
      return;
    }
    this.worker = w;
    this.ready = false;
    this.failure = undefined;
    w.unref();
    w.on('message', (m: WorkerReply | WorkerReady) => {
      if (this.worker !== w) return;
      if ('ready' in m) { this.ready = true; return; }
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.stale) p.resolve('stale');
      else if (m.error !== undefined) p.reject(new Error(m.error));
      else p.resolve(m.result);
    });
    // Acted on at 'exit', which comes after every message the worker sent (its 'ready' among them).
    w.on('error', (e) => { if (this.worker === w) this.failure ??= errorCode(e); });
    w.on('exit', (code) => { if (this.worker === w) this.stopped(this.failure ?? `exit code ${code}`); });
  }

  /** The worker died: what it had in flight fails; the next request starts a new one. */
  private stopped(why: string): void {
    this.worker = undefined;
    if (!this.ready) {
      // It died loading its code: none of the pending requests ran, so they may run here.
      this.fallBack(`the lint worker could not start (${why})`);
      return;
    }
    const n = this.pending.size;
    this.log(`the lint worker stopped (${why}) with ${n} lint${n === 1 ? '' : 's'} in flight: answered with an error, not retried; the next lint starts a new worker`);
    const error = new Error(`the lint worker stopped (${why}) during this lint, which is not retried`);
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }

  /** Lints in this thread from now on, starting with requests no worker has run. */
  private fallBack(why: string): void {
    this.log(`${why}: linting in the extension host from now on`);
    const local = (this.local = new EditorLinter());
    for (const p of this.pending.values()) local.lint(p.request).then(p.resolve, p.reject);
    this.pending.clear();
  }

  dispose(): void {
    this.disposed = true;
    const w = this.worker;
    this.worker = undefined;
    void w?.terminate();
    for (const p of this.pending.values()) p.resolve('stale');
    this.pending.clear();
  }
}
