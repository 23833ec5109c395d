// Two status bar items: the active batch's lint state, and the upload (progress, then the batch id).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { UploadProgress, counted, lintStatusText, uploadStatusText } from '../core';
import { LintEntry } from './diagnostics';

export const STATUS_CLICK_COMMAND = 'jumioBatch.statusBarClick';

export class BatchStatusBar implements vscode.Disposable {
  readonly lintItem = vscode.window.createStatusBarItem('jumioBatch.lint', vscode.StatusBarAlignment.Left, 50);
  readonly uploadItem = vscode.window.createStatusBarItem('jumioBatch.upload', vscode.StatusBarAlignment.Left, 49);
  constructor() {
    this.lintItem.name = 'Jumio Batch: lint';
    this.uploadItem.name = 'Jumio Batch: upload';
  }

  /** Shows the lint state of the batch the user is looking at; hides it for other files. */
  showLint(entry: LintEntry | undefined): void {
    if (!entry) { this.lintItem.hide(); return; }
    this.lintItem.text = lintStatusText(entry);
    const file = vscode.workspace.asRelativePath(entry.uri);
    if (entry.errors > 0 || entry.warnings > 0) {
      this.lintItem.tooltip = `${file}: ${counted(entry.rows, 'row')}, ${counted(entry.errors, 'error')}, ${counted(entry.warnings, 'warning')}. Click to show the Problems.`;
      this.lintItem.command = 'workbench.actions.view.problems';
      this.lintItem.backgroundColor = entry.errors > 0 ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    } else {
      this.lintItem.tooltip = `${file}: ${counted(entry.rows, 'row')}, no problems. Click to upload.`;
      this.lintItem.command = { command: 'jumioBatch.upload', title: 'Upload Batch…', arguments: [entry.uri] };
      this.lintItem.backgroundColor = undefined;
    }
    this.lintItem.show();
  }

  uploading(p: UploadProgress, folder: string): void {
    this.uploadItem.text = uploadStatusText(p);
    this.uploadItem.tooltip = `Uploading ${path.basename(folder)} as batch ${p.batchId || '(new)'}`;
    this.uploadItem.command = 'jumioBatch.showLog';
    this.uploadItem.backgroundColor = undefined;
    this.uploadItem.show();
  }

  finished(batchId: string, ok: boolean): void {
    this.uploadItem.text = ok ? `$(cloud-upload) Batch ${batchId}` : `$(warning) Batch ${batchId}: incomplete`;
    this.uploadItem.tooltip = ok ? `Sent as batch ${batchId} (DONE written). Click to copy the id or see the history.` : `Batch ${batchId} has no DONE yet: click to resume or copy the id.`;
    this.uploadItem.command = STATUS_CLICK_COMMAND;
    this.uploadItem.backgroundColor = ok ? undefined : new vscode.ThemeColor('statusBarItem.warningBackground');
    this.uploadItem.show();
  }

  dispose(): void {
    this.lintItem.dispose();
    this.uploadItem.dispose();
  }
}
