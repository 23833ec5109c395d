// The extension's side of the lint worker: requests go to a worker thread (dist/lintWorker.js)
// so a 10,000-row parse never blocks the extension host. Without a worker file (or when the
// thread dies), the same EditorLinter runs in this thread.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { EditorLintRequest, EditorLintResult, EditorLinter } from './editorLint';

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

/** What a lint came to: a result, nothing (file gone), or `stale` (a newer request superseded it). */
export type LintAnswer = EditorLintResult | undefined | 'stale';

export class LintClient {
  private worker: Worker | undefined;
  private local: EditorLinter | undefined;
  private readonly pending = new Map<number, { request: EditorLintRequest; resolve: (a: LintAnswer) => void; reject: (e: Error) => void }>();
  private nextId = 1;

  /** `workerFile`: the compiled lintWorker.js; default: beside this module. */
  constructor(private readonly log: (line: string) => void, workerFile = path.join(__dirname, 'lintWorker.js')) {
    if (!existsSync(workerFile)) {
      log(`no lint worker at ${workerFile}: linting in the extension host`);
      this.local = new EditorLinter();
      return;
    }
    this.worker = new Worker(workerFile);
    this.worker.unref();
    this.worker.on('message', (m: WorkerReply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.stale) p.resolve('stale');
      else if (m.error !== undefined) p.reject(new Error(m.error));
      else p.resolve(m.result);
    });
    this.worker.on('error', (e) => this.fallBack(`the lint worker failed (${e.message})`));
    this.worker.on('exit', (code) => { if (this.worker) this.fallBack(`the lint worker exited (${code})`); });
  }

  /** Whether lints run in a worker thread (for the log and tests). */
  get threaded(): boolean {
    return this.worker !== undefined;
  }

  lint(request: EditorLintRequest): Promise<LintAnswer> {
    if (!this.worker) return (this.local as EditorLinter).lint(request);
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

  /** Lints in this thread from now on, starting with the requests the worker left unanswered. */
  private fallBack(why: string): void {
    this.log(`${why}: linting in the extension host from now on`);
    const w = this.worker;
    this.worker = undefined;
    const local = (this.local = new EditorLinter());
    void w?.terminate();
    for (const p of this.pending.values()) local.lint(p.request).then(p.resolve, p.reject);
    this.pending.clear();
  }

  dispose(): void {
    const w = this.worker;
    this.worker = undefined;
    void w?.terminate();
    for (const p of this.pending.values()) p.resolve('stale');
    this.pending.clear();
  }
}
