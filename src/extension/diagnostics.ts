// Live diagnostics: every batch CSV, open (linted as the user types, debounced) or closed (linted
// from disk), re-linted when files of its folder appear, change or disappear.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { BATCH_CSV_NAME, Problem, decodeCsv, readCsv, sortProblems } from '../core';
import { codeOf, toDiagnostic } from './convert';
import { FolderCache } from './folders';
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
  errors: number;
  warnings: number;
  /** Time from the lint request (keystroke or event) to published diagnostics, ms. */
  millis: number;
}

// `bom` and `encoding` are facts of the file's bytes on disk: an editor shows the decoded text
// (without the BOM), so they are read from disk and refreshed when the file is saved.
// Line endings too: an editor normalises a file with mixed endings to one kind when it loads it,
// and writes that kind back on save.
const DISK_CODES = new Set(['bom', 'encoding', 'line-endings']);

/** Both CRLF and a bare LF in the bytes: only then can `line-endings` apply. */
function mixedEndings(bytes: Uint8Array): boolean {
  let crlf = false;
  let lf = false;
  for (let i = bytes.indexOf(10); i >= 0 && !(crlf && lf); i = bytes.indexOf(10, i + 1)) {
    if (i > 0 && bytes[i - 1] === 13) crlf = true;
    else lf = true;
  }
  return crlf && lf;
}

export class BatchLinter implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('jumio-batch');
  private readonly entries = new Map<string, LintEntry>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly generation = new Map<string, number>();
  private readonly diskProblems = new Map<string, Problem[]>();
  private readonly emitter = new vscode.EventEmitter<LintEntry>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly folders = new FolderCache();
  /** Fires after each published lint. */
  readonly onDidLint = this.emitter.event;

  constructor(private readonly log: Log) {}

  /** Starts watching documents, files and settings; lints what is open and what is on disk. */
  start(): void {
    const d = this.disposables;
    d.push(vscode.workspace.onDidOpenTextDocument((doc) => this.isBatchDocument(doc) && this.lintDocument(doc)));
    d.push(vscode.workspace.onDidChangeTextDocument((e) => e.contentChanges.length && this.isBatchDocument(e.document) && this.schedule(e.document)));
    d.push(vscode.workspace.onDidSaveTextDocument((doc) => {
      if (!this.isBatchDocument(doc)) return;
      this.diskProblems.delete(doc.uri.toString());
      this.folders.invalidate(doc.uri.fsPath, false);
      void this.lintDocument(doc);
    }));
    // A closed file goes back to its state on disk.
    d.push(vscode.workspace.onDidCloseTextDocument((doc) => this.entries.has(doc.uri.toString()) && this.lintClosed(doc.uri)));
    d.push(vscode.workspace.onDidChangeConfiguration((e) => {
      if (!affectsLint(e)) return;
      this.folders.clear();
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
      return doc ? vscode.languages.match({ pattern }, doc) > 0 : vscode.languages.match({ pattern }, { uri, languageId: '' } as unknown as vscode.TextDocument) > 0;
    });
  }

  entry(uri: vscode.Uri): LintEntry | undefined {
    return this.entries.get(uri.toString());
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

  /** Lints after the user stops typing for the debounce time. */
  schedule(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    const requested = performance.now();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      void this.lintDocument(doc, requested);
    }, lintSettings(doc.uri).debounceMs));
  }

  /** Lints an open document's current text now. */
  async lintDocument(doc: vscode.TextDocument, requested = performance.now()): Promise<LintEntry | undefined> {
    const key = doc.uri.toString();
    const version = doc.version;
    const generation = this.bump(key);
    try {
      const disk = await this.diskFacts(doc.uri);
      const result = await this.lint(doc.uri, Buffer.from(doc.getText(), 'utf8'), disk);
      if (this.generation.get(key) !== generation || doc.isClosed || doc.version !== version) return undefined;
      return this.publish(doc.uri, result, requested, version);
    } catch (e) {
      this.log.error(`cannot lint ${doc.uri.fsPath}`, e);
      return undefined;
    }
  }

  private async lintClosed(uri: vscode.Uri): Promise<void> {
    const key = uri.toString();
    const generation = this.bump(key);
    const requested = performance.now();
    let bytes: Uint8Array;
    try {
      bytes = await vscode.workspace.fs.readFile(uri);
    } catch {
      // Deleted or unreadable: nothing to show for it.
      this.forget(uri);
      return;
    }
    try {
      const result = await this.lint(uri, bytes);
      if (this.generation.get(key) !== generation) return;
      if (vscode.workspace.textDocuments.some((doc) => doc.uri.toString() === key)) return;
      this.publish(uri, result, requested);
    } catch (e) {
      this.log.error(`cannot lint ${uri.fsPath}`, e);
    }
  }

  private bump(key: string): number {
    const n = (this.generation.get(key) ?? 0) + 1;
    this.generation.set(key, n);
    return n;
  }

  /** The bom/encoding/line-endings problems of the file on disk (read once per save). */
  private async diskFacts(uri: vscode.Uri): Promise<Problem[]> {
    const key = uri.toString();
    let known = this.diskProblems.get(key);
    if (!known) {
      try {
        const bytes = await vscode.workspace.fs.readFile(uri);
        const name = path.basename(uri.fsPath);
        // The whole read (a parse) only when the endings are mixed; otherwise the decode suffices.
        const problems = mixedEndings(bytes) ? readCsv({ fileName: name, bytes }).check().problems : decodeCsv(bytes, name).problems;
        known = problems.filter((p) => DISK_CODES.has(p.code));
      } catch {
        known = [];
      }
      this.diskProblems.set(key, known);
    }
    return known;
  }

  /** The lint itself: the CSV against its folder's listing and images. */
  private async lint(uri: vscode.Uri, bytes: Uint8Array, disk?: Problem[]): Promise<{ problems: Problem[]; rows: number }> {
    const fileName = path.basename(uri.fsPath);
    const folder = path.dirname(uri.fsPath);
    const settings = lintSettings(uri);
    const read = readCsv({ fileName, bytes, options: settings.options });
    let index;
    try {
      index = await this.folders.index(folder);
    } catch (e) {
      this.log.warn(`cannot list ${folder}: ${(e as Error).message}; image references are not checked`);
    }
    const lint = read.check(index);
    const facts = index ? await this.folders.imageFacts(folder, lint.images) : new Map();
    const own = disk ? lint.problems.filter((p) => !DISK_CODES.has(p.code)) : lint.problems;
    return { problems: sortProblems([...(disk ?? []), ...own, ...lint.checkImages(facts)]), rows: lint.rows };
  }

  private publish(uri: vscode.Uri, { problems, rows }: { problems: Problem[]; rows: number }, requested: number, version?: number): LintEntry {
    const diagnostics = problems.map(toDiagnostic);
    this.collection.set(uri, diagnostics);
    const entry: LintEntry = {
      uri, version, problems, diagnostics,
      rows,
      errors: problems.filter((p) => p.severity === 'error').length,
      warnings: problems.filter((p) => p.severity === 'warning').length,
      millis: performance.now() - requested,
    };
    this.entries.set(uri.toString(), entry);
    this.emitter.fire(entry);
    return entry;
  }

  private forget(uri: vscode.Uri): void {
    this.collection.delete(uri);
    this.entries.delete(uri.toString());
    this.diskProblems.delete(uri.toString());
  }

  private onFileEvent(uri: vscode.Uri, listingChanged: boolean): void {
    if (uri.scheme !== 'file') return;
    const name = path.basename(uri.fsPath);
    const key = uri.toString();
    const isCsv = name === BATCH_CSV_NAME || this.entries.has(key);
    if (isCsv && !listingChanged) this.diskProblems.delete(key);
    const affected = this.folders.invalidate(uri.fsPath, listingChanged);
    const open = (u: vscode.Uri) => vscode.workspace.textDocuments.find((doc) => doc.uri.toString() === u.toString());
    // The CSV itself: a new or changed input.csv is linted; a deleted one is forgotten unless open.
    if (isCsv || (listingChanged && this.included(uri))) {
      const doc = open(uri);
      if (doc) { if (!listingChanged) this.schedule(doc); }
      else if (!listingChanged || name === BATCH_CSV_NAME || this.included(uri)) void this.lintClosed(uri);
    }
    // Every CSV whose folder holds the file: its references may now resolve, or no longer.
    if (affected.length === 0) return;
    for (const entry of [...this.entries.values()]) {
      if (entry.uri.toString() === key || !affected.includes(path.dirname(entry.uri.fsPath))) continue;
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
    this.collection.dispose();
    this.emitter.dispose();
  }
}
