// Linting for an editor: a CSV's current text (or its file, when closed) against its folder, with
// the folder listings, image facts and on-disk facts cached between keystrokes. No vscode here:
// it runs in a worker thread (lintWorker.ts) so the extension host stays free while it parses.
import * as path from 'node:path';
import { LintOptions, Problem, ProblemCounts, capProblems, countProblems, decodeCsv, oversizedCsv, readCsv } from '../../core';
import { CsvFile, readCsvFile } from '../batch/csvFile';
import { FolderCache } from '../batch/folderCache';
import { imageProblems } from '../batch/lintPath';
import { FailureTally, errorCode } from './notes';

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
  /**
   * What failed, for the log: a folder that could not be listed, images or the file on disk that
   * could not be read. By error code, never a file name or a value.
   */
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

/** The disk's facts of an open file; `note` says once why they could not be read. */
interface DiskFacts {
  problems: Problem[];
  note?: string;
}

export class EditorLinter {
  private readonly folders = new FolderCache();
  private readonly disk = new Map<string, Promise<DiskFacts>>();

  /** Lints one CSV. Undefined when it is closed and no longer on disk. */
  async lint(req: EditorLintRequest): Promise<EditorLintResult | undefined> {
    const fileName = path.basename(req.csvPath);
    const folder = path.dirname(req.csvPath);
    const notes: string[] = [];
    let bytes: Uint8Array;
    let disk: Problem[] | undefined;
    if (req.text === undefined) {
      let file: CsvFile;
      try {
        file = await readCsvFile(req.csvPath, req.options);
      } catch (e) {
        // Gone (deleted, renamed) is no failure: there is nothing to show for it.
        const code = errorCode(e);
        if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
        return { problems: [], counts: countProblems([]), rows: 0, notes: [`the CSV could not be read (${code}): no problems are shown for it`] };
      }
      if (file.tooLarge) return tooLargeResult(file.tooLarge);
      bytes = file.bytes;
    } else {
      // The text's length stands for its size: no fewer bytes in UTF-8, and known without encoding.
      const tooLarge = oversizedCsv(req.text.length, req.options, fileName);
      if (tooLarge) return tooLargeResult(tooLarge);
      bytes = Buffer.from(req.text, 'utf8');
      const facts = await this.diskFacts(req.csvPath, req.options);
      // Said once per read of the file, not at every keystroke.
      if (facts.note) { notes.push(facts.note); facts.note = undefined; }
      disk = facts.problems;
    }
    const read = readCsv({ fileName, bytes, options: req.options });
    const index = await this.folders.index(folder).catch((e: unknown) => {
      notes.push(`the folder listing failed (${errorCode(e)}): image references are not checked`);
      return undefined;
    });
    const lint = read.check(index);
    const own = disk ? lint.problems.filter((p) => !DISK_CODES.has(p.code)) : lint.problems;
    let images: Problem[] = [];
    if (index) {
      const unreadable = new FailureTally();
      images = imageProblems(lint, await this.folders.imageFacts(folder, lint.images, (e) => unreadable.add(e)));
      const note = unreadable.note('image', 'images', 'could not be read');
      if (note) notes.push(note);
    }
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

  private diskFacts(csvPath: string, options: Partial<LintOptions> | undefined): Promise<DiskFacts> {
    let known = this.disk.get(csvPath);
    if (!known) {
      known = readCsvFile(csvPath, options).then(({ bytes }) => {
        if (!bytes) return { problems: [] }; // too large to read: the text in the editor is linted all the same
        const name = path.basename(csvPath);
        // The whole read (a parse) only when the endings are mixed; otherwise the decode suffices.
        const problems = mixedEndings(bytes) ? readCsv({ fileName: name, bytes }).check().problems : decodeCsv(bytes, name).problems;
        return { problems: problems.filter((p) => DISK_CODES.has(p.code)) };
      }, (e: unknown) => ({ problems: [], note: `the file on disk could not be read (${errorCode(e)}): bom, encoding and line-endings are not checked` }));
      this.disk.set(csvPath, known);
    }
    return known;
  }
}
