// Live diagnostics: every batch CSV, open (linted as the user types, debounced) or closed (linted
// from disk), re-linted when files of its folder appear, change or disappear.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { BATCH_CSV_NAME, Problem, lintDelay } from '../core';
import { isInside } from '../node/batch/folder';
import { EditorLintResult } from '../node/worker/editorLint';
import { LintAnswer, LintClient } from '../node/worker/lintClient';
import { codeOf, toDiagnostic } from './convert';
import { Log } from './log';
import { affectsLint, lintSettings } from './settings';

export const LANGUAGE_ID = 'jumio-batch-csv';

/** What one lint found: the problems (for fixes) beside the diagnostics made of them. */
export interface LintEntry {
  uri: vscode.Uri;
  /** The document version linted; undefined when linted from disk. */
  version?: number;
  rows: number;
  problems: Problem[];
  diagnostics: vscode.Diagnostic[];
  /** Every error and warning found, including those past the cap on problems shown. */
  errors: number;
  warnings: number;
  /** Time from the lint request (keystroke or event) to published diagnostics, ms. */
  millis: number;
  /** Of that, the time this lint kept the extension host's thread busy, ms (the parse is in a worker). */
  hostMillis: number;
}

export class BatchLinter implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('jumio-batch');
  private readonly entries = new Map<string, LintEntry>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly generation = new Map<string, number>();
  /** Per open file, how long its last lint took from request to answer (the debounce not counted), ms. */
  private readonly cost = new Map<string, number>();
  private readonly emitter = new vscode.EventEmitter<LintEntry>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly client: LintClient;
  /** Fires after each published lint. */
  readonly onDidLint = this.emitter.event;
  private readonly fileEmitter = new vscode.EventEmitter<vscode.Uri>();
  /** Fires for every file of the workspace created, changed or deleted (one watcher serves all features). */
  readonly onDidChangeFile = this.fileEmitter.event;

  constructor(private readonly log: Log, workerFile?: string) {
    this.client = new LintClient((line) => log.info(line), workerFile);
  }

  /** Whether the parsing runs in a worker thread. */
  get threaded(): boolean {
    return this.client.threaded;
  }

  /** Starts watching documents, files and settings; lints what is open and what is on disk. */
  start(): void {
    const d = this.disposables;
    d.push(vscode.workspace.onDidOpenTextDocument((doc) => this.isBatchDocument(doc) && this.lintDocument(doc)));
    d.push(vscode.workspace.onDidChangeTextDocument((e) => e.contentChanges.length && this.isBatchDocument(e.document) && this.schedule(e.document)));
    d.push(vscode.workspace.onDidSaveTextDocument((doc) => {
      if (!this.isBatchDocument(doc)) return;
      this.client.invalidate(doc.uri.fsPath, false);
      void this.lintDocument(doc);
    }));
    // A closed file goes back to its state on disk.
    d.push(vscode.workspace.onDidCloseTextDocument((doc) => this.entries.has(doc.uri.toString()) && this.lintClosed(doc.uri)));
    d.push(vscode.workspace.onDidChangeConfiguration((e) => {
      if (!affectsLint(e)) return;
      this.client.clear();
      void this.lintWorkspace();
    }));
    const watcher = vscode.workspace.createFileSystemWatcher('**/*');
    d.push(watcher);
    d.push(watcher.onDidCreate((uri) => {
      this.onFileEvent(uri, true);
      void this.lintNewFolder(uri);
    }));
    d.push(watcher.onDidDelete((uri) => this.onFileEvent(uri, true)));
    d.push(watcher.onDidChange((uri) => this.onFileEvent(uri, false)));
    for (const doc of vscode.workspace.textDocuments) if (this.isBatchDocument(doc)) void this.lintDocument(doc);
    void this.lintWorkspace();
  }

  /** A file document named input.csv, of our language, or matched by the include setting. */
  isBatchDocument(doc: vscode.TextDocument): boolean {
    if (doc.uri.scheme !== 'file') return false;
    if (doc.languageId === LANGUAGE_ID || path.basename(doc.uri.fsPath) === BATCH_CSV_NAME) return true;
    return this.included(doc.uri, doc);
  }

  private included(uri: vscode.Uri, doc?: vscode.TextDocument): boolean {
    const include = lintSettings(uri).include;
    if (include.length === 0) return false;
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    return include.some((glob) => {
      const pattern = folder ? new vscode.RelativePattern(folder, glob) : glob;
      // A closed file has no TextDocument: the selector only reads its uri and language.
      return vscode.languages.match({ pattern }, doc ?? ({ uri, languageId: '' } as unknown as vscode.TextDocument)) > 0;
    });
  }

  entry(uri: vscode.Uri): LintEntry | undefined {
    return this.entries.get(uri.toString());
  }

  /** Every batch CSV linted so far, open or not. */
  batchUris(): vscode.Uri[] {
    return [...this.entries.values()].map((e) => e.uri);
  }

  /** Every batch CSV of the workspace (input.csv, plus the include globs), linted from disk unless open. */
  async lintWorkspace(): Promise<void> {
    if (!vscode.workspace.workspaceFolders?.length) return;
    const exclude = '**/{node_modules,.git}/**';
    const found = new Map<string, vscode.Uri>();
    for (const uri of await vscode.workspace.findFiles(`**/${BATCH_CSV_NAME}`, exclude, 2000)) found.set(uri.toString(), uri);
    for (const folder of vscode.workspace.workspaceFolders) {
      for (const glob of lintSettings(folder.uri).include) {
        for (const uri of await vscode.workspace.findFiles(new vscode.RelativePattern(folder, glob), exclude, 2000)) found.set(uri.toString(), uri);
      }
    }
    for (const uri of found.values()) {
      const open = vscode.workspace.textDocuments.find((doc) => doc.uri.toString() === uri.toString());
      if (open) await this.lintDocument(open);
      else await this.lintClosed(uri);
    }
  }

  /**
   * Lints after the user stops typing: for twice as long as the file's last lint took, at least
   * 50 ms and at most the debounce setting (see core's `lintDelay`), so a small file's problems
   * follow at once and a 10,000-row file's as before.
   */
  schedule(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    const requested = performance.now();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      void this.lintDocument(doc, requested);
    }, lintDelay(lintSettings(doc.uri).debounceMs, this.cost.get(key))));
  }

  /** Lints an open document's current text now. */
  async lintDocument(doc: vscode.TextDocument, requested = performance.now()): Promise<LintEntry | undefined> {
    const key = doc.uri.toString();
    const version = doc.version;
    const generation = this.bump(key);
    try {
      const started = performance.now();
      const pending = this.client.lint({ csvPath: doc.uri.fsPath, text: doc.getText(), options: lintSettings(doc.uri).options });
      const sent = performance.now() - started;
      const result = await pending;
      if (result !== 'stale') this.cost.set(key, performance.now() - started);
      this.logNotes(result);
      if (result === 'stale' || this.generation.get(key) !== generation || doc.isClosed || doc.version !== version) return undefined;
      if (!result) return undefined;
      return this.publish(doc.uri, result, requested, version, sent);
    } catch (e) {
      this.log.error(`cannot lint ${doc.uri.fsPath}`, e);
      return undefined;
    }
  }

  private async lintClosed(uri: vscode.Uri): Promise<void> {
    const key = uri.toString();
    const generation = this.bump(key);
    const requested = performance.now();
    try {
      const result = await this.client.lint({ csvPath: uri.fsPath, options: lintSettings(uri).options });
      this.logNotes(result);
      if (result === 'stale' || this.generation.get(key) !== generation) return;
      if (vscode.workspace.textDocuments.some((doc) => doc.uri.toString() === key)) return;
      // Deleted: nothing to show for it (an unreadable one comes with no problems and a note).
      if (!result) { this.forget(uri); return; }
      this.publish(uri, result, requested, undefined, 0);
    } catch (e) {
      this.log.error(`cannot lint ${uri.fsPath}`, e);
    }
  }

  /** What part of a lint failed, logged even when a newer lint supersedes this one. */
  private logNotes(result: LintAnswer): void {
    if (result && result !== 'stale') for (const note of result.notes) this.log.warn(`lint: ${note}`);
  }

  private bump(key: string): number {
    const n = (this.generation.get(key) ?? 0) + 1;
    this.generation.set(key, n);
    return n;
  }

  private publish(uri: vscode.Uri, { problems, counts, rows }: EditorLintResult, requested: number, version: number | undefined, hostMillis: number): LintEntry {
    const started = performance.now();
    const diagnostics = problems.map(toDiagnostic);
    this.collection.set(uri, diagnostics);
    const entry: LintEntry = {
      uri, version, problems, diagnostics,
      rows,
      errors: counts.errors,
      warnings: counts.warnings,
      millis: performance.now() - requested,
      hostMillis: 0,
    };
    this.entries.set(uri.toString(), entry);
    entry.hostMillis = hostMillis + performance.now() - started;
    this.emitter.fire(entry);
    return entry;
  }

  private forget(uri: vscode.Uri): void {
    this.collection.delete(uri);
    this.entries.delete(uri.toString());
    this.cost.delete(uri.toString());
  }

  private onFileEvent(uri: vscode.Uri, listingChanged: boolean): void {
    if (uri.scheme !== 'file') return;
    this.fileEmitter.fire(uri);
    const name = path.basename(uri.fsPath);
    const key = uri.toString();
    const isCsv = name === BATCH_CSV_NAME || this.entries.has(key);
    this.client.invalidate(uri.fsPath, listingChanged);
    const open = (u: vscode.Uri) => vscode.workspace.textDocuments.find((doc) => doc.uri.toString() === u.toString());
    // The CSV itself: a new or changed input.csv is linted; a deleted one is forgotten unless open.
    const includedCsv = listingChanged && /\.csv$/i.test(name) && this.included(uri);
    if (isCsv || includedCsv) {
      const doc = open(uri);
      if (doc) { if (!listingChanged) this.schedule(doc); }
      else if (!listingChanged || name === BATCH_CSV_NAME || includedCsv) void this.lintClosed(uri);
    }
    // Every CSV whose folder holds the file: its references may now resolve, or no longer.
    for (const entry of [...this.entries.values()]) {
      const folder = path.dirname(entry.uri.fsPath);
      if (entry.uri.toString() === key || folder === uri.fsPath || !isInside(folder, uri.fsPath)) continue;
      const doc = open(entry.uri);
      if (doc) this.schedule(doc);
      else void this.lintClosed(entry.uri);
    }
  }

  /**
   * A folder that appears (copied in, unpacked) may come as one event without one for each file
   * inside it: its batch CSVs are looked for.
   */
  private async lintNewFolder(uri: vscode.Uri): Promise<void> {
    if (uri.scheme !== 'file' || /\.(csv|jpe?g|png|gif|webp|heic|tiff?|bmp|pdf)$/i.test(uri.path)) return;
    const stat = await vscode.workspace.fs.stat(uri).then((st) => st, () => undefined);
    if (!stat || !(stat.type & vscode.FileType.Directory)) return;
    for (const csv of await vscode.workspace.findFiles(new vscode.RelativePattern(uri, `**/${BATCH_CSV_NAME}`), '**/{node_modules,.git}/**', 2000)) {
      if (this.entries.has(csv.toString())) continue;
      const open = vscode.workspace.textDocuments.find((doc) => doc.uri.toString() === csv.toString());
      if (open) await this.lintDocument(open);
      else await this.lintClosed(csv);
    }
  }

  /** Our problems at a range of a document, for code actions (diagnostics come back as copies). */
  problemsAt(uri: vscode.Uri, diagnostics: readonly vscode.Diagnostic[]): Problem[] {
    const entry = this.entries.get(uri.toString());
    if (!entry) return [];
    const out: Problem[] = [];
    for (const d of diagnostics) {
      const code = codeOf(d);
      if (!code) continue;
      const i = entry.diagnostics.findIndex((own) => own.range.isEqual(d.range) && codeOf(own) === code && own.message === d.message);
      if (i >= 0) out.push(entry.problems[i]);
    }
    return out;
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
    this.client.dispose();
    this.collection.dispose();
    this.emitter.dispose();
    this.fileEmitter.dispose();
  }
}
