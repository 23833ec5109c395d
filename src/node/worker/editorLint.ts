// Linting for an editor: a CSV's current text (or its file, when closed) against its folder, with
// the folder listings, image facts and on-disk facts cached between keystrokes. No vscode here:
// it runs in a worker thread (lintWorker.ts) so the extension host stays free while it parses.
import * as path from 'node:path';
import { LintOptions, Problem, ProblemCounts, capProblems, countProblems, decodeCsv, oversizedCsv, readCsv } from '../../core';
import { readCsvFile } from '../batch/csvFile';
import { FolderCache } from '../batch/folderCache';
import { imageProblems } from '../batch/lintPath';

export interface EditorLintRequest {
  csvPath: string;
  /** The editor's text; absent: lint the file as it is on disk. */
  text?: string;
  options?: Partial<LintOptions>;
}

export interface EditorLintResult {
  /** Sorted, and at most `maxProblems` (see `capProblems`). */
  problems: Problem[];
  /** Every problem found, by severity, including those `problems` leaves out. */
  counts: ProblemCounts;
  rows: number;
  /** Why part of the lint was skipped (a folder that could not be listed), for the log. */
  notes: string[];
}

// `bom`, `encoding` and `line-endings` are facts of the file's bytes: an editor shows the decoded
// text (no BOM, one kind of line ending), so for an open file they come from the disk and are
// refreshed when it changes there (a save).
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

function tooLargeResult(p: Problem): EditorLintResult {
  return { problems: [p], counts: countProblems([p]), rows: 0, notes: [] };
}

export class EditorLinter {
  private readonly folders = new FolderCache();
  private readonly disk = new Map<string, Promise<Problem[]>>();

  /** Lints one CSV. Undefined when it is closed and no longer on disk. */
  async lint(req: EditorLintRequest): Promise<EditorLintResult | undefined> {
    const fileName = path.basename(req.csvPath);
    const folder = path.dirname(req.csvPath);
    let bytes: Uint8Array;
    let disk: Problem[] | undefined;
    if (req.text === undefined) {
      const file = await readCsvFile(req.csvPath, req.options).catch(() => undefined);
      if (!file) return undefined;
      if (file.tooLarge) return tooLargeResult(file.tooLarge);
      bytes = file.bytes;
    } else {
      // The text's length stands for its size: no fewer bytes in UTF-8, and known without encoding.
      const tooLarge = oversizedCsv(req.text.length, req.options, fileName);
      if (tooLarge) return tooLargeResult(tooLarge);
      bytes = Buffer.from(req.text, 'utf8');
      disk = await this.diskFacts(req.csvPath, req.options);
    }
    const notes: string[] = [];
    const read = readCsv({ fileName, bytes, options: req.options });
    const index = await this.folders.index(folder).catch((e: Error) => {
      notes.push(`cannot list ${folder}: ${e.message}; image references are not checked`);
      return undefined;
    });
    const lint = read.check(index);
    const own = disk ? lint.problems.filter((p) => !DISK_CODES.has(p.code)) : lint.problems;
    const images = index ? imageProblems(lint, await this.folders.imageFacts(folder, lint.images)) : [];
    const all = [...(disk ?? []), ...own, ...images];
    return { problems: capProblems(all, req.options), counts: countProblems(all), rows: lint.rows, notes };
  }

  /** Forgets what a change to `file` makes stale (`listingChanged`: created or deleted). */
  invalidate(file: string, listingChanged: boolean): void {
    this.disk.delete(file);
    this.folders.invalidate(file, listingChanged);
  }

  clear(): void {
    this.disk.clear();
    this.folders.clear();
  }

  private diskFacts(csvPath: string, options: Partial<LintOptions> | undefined): Promise<Problem[]> {
    let known = this.disk.get(csvPath);
    if (!known) {
      known = readCsvFile(csvPath, options).then(({ bytes }) => {
        if (!bytes) return []; // too large to read: the text in the editor is linted all the same
        const name = path.basename(csvPath);
        // The whole read (a parse) only when the endings are mixed; otherwise the decode suffices.
        const problems = mixedEndings(bytes) ? readCsv({ fileName: name, bytes }).check().problems : decodeCsv(bytes, name).problems;
        return problems.filter((p) => DISK_CODES.has(p.code));
      }, () => []);
      this.disk.set(csvPath, known);
    }
    return known;
  }
}
