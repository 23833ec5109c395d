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
    this.lintItem.name = vscode.l10n.t('Jumio Batch: lint');
    this.uploadItem.name = vscode.l10n.t('Jumio Batch: upload');
  }

  /** Shows the lint state of the batch the user is looking at; hides it for other files. */
  showLint(entry: LintEntry | undefined): void {
    if (!entry) { this.lintItem.hide(); return; }
    this.lintItem.text = lintStatusText(entry);
    const file = vscode.workspace.asRelativePath(entry.uri);
    if (entry.errors > 0 || entry.warnings > 0) {
      this.lintItem.tooltip = vscode.l10n.t('{0}: {1}, {2}, {3}. Click to show the Problems.', file, counted(entry.rows, 'row'), counted(entry.errors, 'error'), counted(entry.warnings, 'warning'));
      this.lintItem.command = 'workbench.actions.view.problems';
      this.lintItem.backgroundColor = entry.errors > 0 ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    } else {
      this.lintItem.tooltip = vscode.l10n.t('{0}: {1}, no problems. Click to upload.', file, counted(entry.rows, 'row'));
      this.lintItem.command = { command: 'jumioBatch.upload', title: vscode.l10n.t('Upload Batch…'), arguments: [entry.uri] };
      this.lintItem.backgroundColor = undefined;
    }
    this.lintItem.show();
  }

  uploading(p: UploadProgress, folder: string): void {
    this.uploadItem.text = uploadStatusText(p);
    this.uploadItem.tooltip = p.batchId ? vscode.l10n.t('Uploading {0} as batch {1}', path.basename(folder), p.batchId) : vscode.l10n.t('Uploading {0} as a new batch', path.basename(folder));
    this.uploadItem.command = 'jumioBatch.showLog';
    this.uploadItem.backgroundColor = undefined;
    this.uploadItem.show();
  }

  finished(batchId: string, ok: boolean): void {
    this.uploadItem.text = ok ? `$(cloud-upload) ${vscode.l10n.t('Batch {0}', batchId)}` : `$(warning) ${vscode.l10n.t('Batch {0}: incomplete', batchId)}`;
    this.uploadItem.tooltip = ok ? vscode.l10n.t('Sent as batch {0} (DONE written). Click to copy the id or see the history.', batchId) : vscode.l10n.t('Batch {0} has no DONE yet: click to resume or copy the id.', batchId);
    this.uploadItem.command = STATUS_CLICK_COMMAND;
    this.uploadItem.backgroundColor = ok ? undefined : new vscode.ThemeColor('statusBarItem.warningBackground');
    this.uploadItem.show();
  }

  dispose(): void {
    this.lintItem.dispose();
    this.uploadItem.dispose();
  }
}
