import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { BatchOutcome, BatchStatus, DONE_FILE, batchOutcome, describeStatus, isBatchId } from '../../core';
import { lintBatchPath } from '../batch/lintPath';
import { logPath } from './logPath';

/** `<uuid>.status.json` in the home folder: the sandbox's record, never the client's to write. */
const STATUS_FILE = /\.status\.json$/;

function segments(vpath: string): string[] {
  return vpath.split('/').filter(Boolean);
}

export interface IntakeOptions {
  /** The home folder on disk (a real path). */
  root: string;
  log: (line: string) => void;
  onStatus: (status: BatchStatus) => void;
  /** Registers background work, so closing the sandbox can wait for it. */
  track: (work: Promise<unknown>) => void;
}

/**
 * The batch intake of a Jumio tenant, as far as an uploader can observe it: a lower-case UUID v4
 * folder in the home folder is a batch (CREATED); closing `DONE` in it submits it (IN_PROGRESS),
 * seals it against any further change, and has the project's linter decide COMPLETED or ERROR.
 * Paths are the client's, normalized: `/`-separated and absolute from the home folder.
 */
export class BatchIntake {
  private readonly histories = new Map<string, BatchStatus[]>();
  private readonly sealed = new Set<string>();
  /** Per batch, the last status write: statuses of one batch reach the file and listeners in order. */
  private readonly saving = new Map<string, Promise<void>>();

  constructor(private readonly opts: IntakeOptions) {}

  /** Reads the status files a previous run left, so a restarted sandbox still refuses writes into submitted batches. */
  async load(): Promise<void> {
    for (const name of await fs.readdir(this.opts.root)) {
      const batchId = name.replace(STATUS_FILE, '');
      if (batchId === name || !isBatchId(batchId)) continue;
      try {
        const saved = JSON.parse(await fs.readFile(path.join(this.opts.root, name), 'utf8')) as { history?: BatchStatus[] };
        const history = Array.isArray(saved.history) ? saved.history : [];
        this.histories.set(batchId, history);
        if (history.some((s) => s.status !== 'CREATED')) this.sealed.add(batchId);
      } catch {
        this.opts.log(`${name} is unreadable: ignored`);
      }
    }
  }

  /** Why the client may not create, change, rename or remove `vpath`; undefined when it may. */
  refusal(vpath: string): string | undefined {
    const [top, ...rest] = segments(vpath);
    if (top === undefined) return 'the home folder itself cannot be changed';
    if (rest.length === 0 && STATUS_FILE.test(top)) return "a top-level *.status.json is the intake's status record";
    if (this.sealed.has(top)) return `batch ${top} is submitted (DONE was uploaded): nothing may change after DONE; upload a new batch`;
    return undefined;
  }

  /**
   * Why nothing may be made or renamed to `vpath`; undefined when it may. A batch folder comes into
   * being only by MKDIR or RENAME, so both ask. Jumio reads only a lower-case UUID v4 as a batch:
   * `096C7AEF-…` would sit there unread. A case variant of a batch already here gets its own
   * message: on a case-insensitive disk (macOS, Windows) it would even write into that batch.
   */
  nameRefusal(vpath: string): string | undefined {
    const parts = segments(vpath);
    if (parts.length !== 1) return undefined;
    const lower = parts[0].toLowerCase();
    if (lower === parts[0] || !isBatchId(lower)) return undefined;
    // The name is a UUID v4 in another letter case: an id, so it may be named in the log.
    if (this.histories.has(lower)) return `${parts[0]} differs only in letter case from batch ${lower}: Jumio wants a lower-case UUID v4, a new one for each batch`;
    return `${parts[0]} is a UUID v4 in upper or mixed case: Jumio wants a lower-case UUID v4 as a batch folder's name (${lower})`;
  }

  /** A folder was made (or renamed into place): a batch when it is a top-level UUID v4. */
  folderCreated(vpath: string): void {
    const parts = segments(vpath);
    if (parts.length === 1 && isBatchId(parts[0])) this.record(parts[0], { status: 'CREATED' });
  }

  /** A file was written and closed (or renamed into place): `DONE` in a batch folder submits it. */
  fileLanded(vpath: string): void {
    const parts = segments(vpath);
    if (parts[parts.length - 1] !== DONE_FILE) return;
    if (parts.length !== 2 || !isBatchId(parts[0])) {
      this.opts.log(`${logPath(vpath)} starts nothing: DONE belongs directly in a top-level folder named with a lower-case UUID v4`);
      return;
    }
    const batchId = parts[0];
    if (this.sealed.has(batchId)) return;
    // Sealed before CLOSE is answered, so a write the client sends after DONE is refused every time.
    this.sealed.add(batchId);
    this.record(batchId, { status: 'IN_PROGRESS' });
    this.opts.track(this.check(batchId));
  }

  private async check(batchId: string): Promise<void> {
    let outcome: BatchOutcome;
    try {
      const lint = await lintBatchPath(path.join(this.opts.root, batchId));
      outcome = batchOutcome(lint.problems, lint.rows);
    } catch (e) {
      // The folder vanished or cannot be read: to the uploader that is a missing input.
      this.opts.log(`batch ${batchId}: cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
      outcome = { status: 'ERROR', errorCode: 'INPUT_FILE_NOT_FOUND' };
    }
    this.record(batchId, outcome);
  }

  private record(batchId: string, outcome: BatchOutcome): void {
    const status: BatchStatus = { batchId, ...outcome, at: new Date().toISOString() };
    const history = [...(this.histories.get(batchId) ?? []), status];
    this.histories.set(batchId, history);
    const file = path.join(this.opts.root, `${batchId}.status.json`);
    const saved = (this.saving.get(batchId) ?? Promise.resolve())
      .then(() => fs.writeFile(file, JSON.stringify({ ...status, history }, null, 2) + '\n'))
      .catch((e: Error) => this.opts.log(`batch ${batchId}: status file not written: ${e.message}`))
      // Announced after the file is written, so a listener can read the file it describes.
      .then(() => {
        this.opts.log(describeStatus(status));
        this.opts.onStatus(status);
      })
      .catch((e: Error) => this.opts.log(`batch ${batchId}: a status listener failed: ${e.message}`));
    this.saving.set(batchId, saved);
    this.opts.track(saved);
  }
}
