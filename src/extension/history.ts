// Upload history, kept per machine in the extension's global state: batch ids, where they went,
// counts, outcome and where the receipt is. Never file names, file contents or cell values: a
// failure is kept as its typed reason, not its message.
import * as vscode from 'vscode';
import { UploadFailureReason } from '../core';

export interface HistoryEntry {
  batchId: string;
  /** The local batch folder. */
  folder: string;
  server: string;
  remoteDir: string;
  rows: number;
  files: number;
  bytes: number;
  /** ISO time the upload ended. */
  at: string;
  /** `sent`: DONE written. `incomplete`: the folder exists without DONE and can be resumed. */
  status: 'sent' | 'incomplete';
  /** Why an incomplete upload stopped. */
  reason?: UploadFailureReason;
  /** The receipt file (in the batch folder's .jumio-batch, unless placed elsewhere). */
  receipt?: string;
}

const KEY = 'jumioBatch.history';
const MAX_ENTRIES = 100;

export class UploadHistory implements vscode.Disposable {
  private readonly added = new vscode.EventEmitter<HistoryEntry>();
  /** Fires after an entry is added (the walkthrough's last step listens). */
  readonly onDidAdd = this.added.event;

  constructor(private readonly state: vscode.Memento) {}

  /** Newest first. */
  entries(): HistoryEntry[] {
    const raw = this.state.get<unknown>(KEY);
    return Array.isArray(raw) ? (raw as HistoryEntry[]).filter((e) => e && typeof e.batchId === 'string') : [];
  }

  /** Adds an entry; a later entry for the same batch (a resume) replaces the earlier one. */
  async add(entry: HistoryEntry): Promise<void> {
    const rest = this.entries().filter((e) => e.batchId !== entry.batchId);
    await this.state.update(KEY, [entry, ...rest].slice(0, MAX_ENTRIES));
    this.added.fire(entry);
  }

  dispose(): void {
    this.added.dispose();
  }
}
