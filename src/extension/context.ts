// The one context object: owns the log, linter, status bar, history, secrets and the UI seam.
// Commands and features receive it; nothing lives in module-level state.
import * as vscode from 'vscode';
import { UploadProgress } from '../core';
import { Credentials } from './credentials';
import { BatchLinter } from './diagnostics';
import { UploadHistory } from './history';
import { Log } from './log';
import { BatchStatusBar } from './statusBar';
import { Ui, modalUi } from './ui';

export class Ctx implements vscode.Disposable {
  readonly log = new Log();
  readonly linter = new BatchLinter(this.log);
  readonly status = new BatchStatusBar();
  readonly history: UploadHistory;
  readonly credentials: Credentials;
  ui: Ui = modalUi;
  /** The running upload, if any: one at a time. */
  uploading: AbortController | undefined;
  private readonly progressEmitter = new vscode.EventEmitter<UploadProgress>();
  /** Fires on each progress report of the running upload. */
  readonly onDidProgress = this.progressEmitter.event;
  /** Set while the local sandbox runs. */
  sandbox: { stop(): Promise<void>; port: number; fingerprint: string } | undefined;

  constructor(readonly extension: vscode.ExtensionContext) {
    this.history = new UploadHistory(extension.globalState);
    this.credentials = new Credentials(extension.secrets, extension.globalState);
  }

  reportProgress(p: UploadProgress): void {
    this.progressEmitter.fire(p);
  }

  dispose(): void {
    this.uploading?.abort();
    this.progressEmitter.dispose();
    void this.sandbox?.stop();
    this.linter.dispose();
    this.history.dispose();
    this.status.dispose();
    this.log.dispose();
  }
}
