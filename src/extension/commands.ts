// The command table: every command id the manifest declares, each a `(ctx) => handler`.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { BATCH_CSV_NAME } from '../core';
import { scaffoldBatchFolder } from '../node/batch/scaffold';
import { SplitError, splitBatchFolder } from '../node/batch/split';
import { Ctx } from './context';
import { NEW_BATCH_FROM_ROW_COMMAND, newBatchFromRow, startFrom } from './resubmit';
import { startSandboxCommand, stopSandbox } from './sandbox';
import { lintSettings } from './settings';
import { STATUS_CLICK_COMMAND } from './statusBar';
import { resumeCommand, uploadCommand } from './upload';

type Handler = (...args: any[]) => unknown; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The button that opens the log. */
const SHOW_LOG = (): string => vscode.l10n.t('Show Log');

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function newBatchFolder(ctx: Ctx, parent?: vscode.Uri): Promise<vscode.Uri | undefined> {
  let where = parent?.scheme === 'file' ? parent : vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!where) where = (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: vscode.l10n.t('Create the batch folder here') }))?.[0];
  if (!where) return undefined;
  const made = await scaffoldBatchFolder(where.fsPath);
  ctx.log.info(`new batch folder ${made.folder}`);
  const uri = vscode.Uri.file(made.csvPath);
  await vscode.window.showTextDocument(uri);
  void vscode.window.showInformationMessage(vscode.l10n.t('Jumio Batch: made {0} with a header-only input.csv and STEPS.md. Add one row per transaction; the batch id (UUID) is made when you upload.', vscode.workspace.asRelativePath(made.folder)));
  return uri;
}

async function splitBatch(ctx: Ctx, target?: vscode.Uri): Promise<string[] | undefined> {
  const doc = vscode.window.activeTextEditor?.document;
  const csv = target?.fsPath ?? (doc && ctx.linter.isBatchDocument(doc) ? doc.uri.fsPath : undefined);
  if (!csv) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Jumio Batch: open the {0} to split first (or right-click it in the Explorer).', BATCH_CSV_NAME));
    return undefined;
  }
  if (doc?.isDirty && doc.uri.fsPath === csv && !(await doc.save())) return undefined;
  const { options } = lintSettings(vscode.Uri.file(csv));
  const rows = ctx.linter.entry(vscode.Uri.file(csv))?.rows;
  const limit = options.maxRows ?? 10_000;
  if (rows !== undefined && rows <= limit) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Jumio Batch: {0} has {1} rows, within the limit of {2}: nothing to split.', vscode.workspace.asRelativePath(csv), rows.toLocaleString('en-US'), limit.toLocaleString('en-US')));
    return [];
  }
  try {
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Jumio Batch: splitting'), cancellable: true }, (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      let last = 0;
      return splitBatchFolder(csv, {
        signal: controller.signal,
        maxRows: options.maxRows,
        lintOptions: options,
        onProgress: (p) => {
          const percent = p.filesTotal ? (100 * p.filesDone) / p.filesTotal : 0;
          progress.report({ message: vscode.l10n.t('{0}/{1} files', p.filesDone, p.filesTotal), increment: percent - last });
          last = percent;
        },
      });
    });
    const names = result.parts.map((p) => path.basename(p.folder));
    ctx.log.info(`split ${result.csvPath}: ${result.rows} rows into ${names.join(', ')}`);
    void vscode.window.showInformationMessage(vscode.l10n.t('Jumio Batch: split {0} rows into {1} batch folders: {2}. Upload each on its own.', result.rows.toLocaleString('en-US'), result.parts.length, names.join(', ')));
    return result.parts.map((p) => p.folder);
  } catch (e) {
    if (e instanceof SplitError && e.kind === 'cancelled') return undefined;
    ctx.log.error('split failed', e);
    void vscode.window.showErrorMessage(vscode.l10n.t('Jumio Batch: cannot split: {0}', message(e)), SHOW_LOG()).then((a) => a && ctx.log.show());
    return undefined;
  }
}

async function showHistory(ctx: Ctx): Promise<void> {
  const entries = ctx.history.entries();
  if (entries.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Jumio Batch: no upload yet on this machine.'));
    return;
  }
  const pick = await vscode.window.showQuickPick(entries.map((e) => ({
    label: `${e.status === 'sent' ? '$(check)' : '$(warning)'} ${e.batchId}`,
    description: `${vscode.workspace.asRelativePath(e.folder)} → ${e.server}`,
    detail: e.status === 'incomplete'
      ? vscode.l10n.t('{0} · {1} rows, {2} files · incomplete ({3})', new Date(e.at).toLocaleString(), e.rows, e.files, e.reason ?? 'unknown')
      : vscode.l10n.t('{0} · {1} rows, {2} files · DONE written', new Date(e.at).toLocaleString(), e.rows, e.files),
    e,
  })), { title: vscode.l10n.t('Jumio Batch: upload history (newest first)'), matchOnDescription: true });
  if (!pick) return;
  await batchActions(ctx, pick.e.batchId, pick.e.status === 'incomplete', pick.e.folder, pick.e.receipt);
}

async function batchActions(ctx: Ctx, batchId: string, incomplete: boolean, folder?: string, receipt?: string): Promise<void> {
  const items = [{ label: `$(copy) ${vscode.l10n.t('Copy batch id')}`, id: 'copy' }];
  if (incomplete) items.push({ label: `$(debug-restart) ${vscode.l10n.t('Resume the upload')}`, id: 'resume' });
  if (receipt && existsSync(receipt)) items.push({ label: `$(file) ${vscode.l10n.t('Open the receipt')}`, id: 'receipt' });
  if (folder) items.push({ label: `$(folder) ${vscode.l10n.t('Reveal the batch folder')}`, id: 'reveal' });
  if (folder) items.push({ label: `$(debug-step-over) ${vscode.l10n.t('New batch from row…')}`, id: 'resubmit' });
  items.push({ label: `$(history) ${vscode.l10n.t('Show upload history')}`, id: 'history' });
  const a = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Batch {0}', batchId) });
  if (a?.id === 'copy') await vscode.env.clipboard.writeText(batchId);
  else if (a?.id === 'resume') await resumeCommand(ctx, batchId);
  else if (a?.id === 'receipt' && receipt) await vscode.window.showTextDocument(vscode.Uri.file(receipt));
  else if (a?.id === 'reveal' && folder) await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(folder));
  else if (a?.id === 'resubmit' && folder) await newBatchFromRow(ctx, vscode.Uri.file(folder));
  else if (a?.id === 'history') await showHistory(ctx);
}

async function forgetCredentials(ctx: Ctx): Promise<number> {
  const n = await ctx.credentials.forgetAll();
  void vscode.window.showInformationMessage(n === 0 ? vscode.l10n.t('Jumio Batch: no saved passphrase to forget.') : n === 1 ? vscode.l10n.t('Jumio Batch: forgot 1 saved key passphrase.') : vscode.l10n.t('Jumio Batch: forgot {0} saved key passphrases.', n));
  return n;
}

export function commandTable(ctx: Ctx): Record<string, Handler> {
  return {
    'jumioBatch.upload': (uri?: vscode.Uri) => uploadCommand(ctx, uri instanceof vscode.Uri ? uri : undefined),
    'jumioBatch.resumeUpload': (batchId?: string) => resumeCommand(ctx, typeof batchId === 'string' ? batchId : undefined),
    'jumioBatch.newBatchFolder': (uri?: vscode.Uri) => newBatchFolder(ctx, uri instanceof vscode.Uri ? uri : undefined),
    'jumioBatch.splitBatch': (uri?: vscode.Uri) => splitBatch(ctx, uri instanceof vscode.Uri ? uri : undefined),
    [NEW_BATCH_FROM_ROW_COMMAND]: (uri?: vscode.Uri, from?: unknown) => newBatchFromRow(ctx, uri instanceof vscode.Uri ? uri : undefined, startFrom(from)),
    'jumioBatch.showHistory': () => showHistory(ctx),
    'jumioBatch.startSandbox': (opts?: { use?: boolean }) => startSandboxCommand(ctx, opts),
    'jumioBatch.stopSandbox': () => stopSandbox(ctx),
    'jumioBatch.forgetCredentials': () => forgetCredentials(ctx),
    'jumioBatch.showLog': () => ctx.log.show(),
    'jumioBatch.copyBatchId': async () => {
      const last = ctx.history.entries()[0];
      if (last) await vscode.env.clipboard.writeText(last.batchId);
      return last?.batchId;
    },
    [STATUS_CLICK_COMMAND]: () => {
      const last = ctx.history.entries()[0];
      return last ? batchActions(ctx, last.batchId, last.status === 'incomplete', last.folder, last.receipt) : showHistory(ctx);
    },
  };
}

/** Registers every command; a handler's unexpected error is logged and shown in one line. */
export function registerCommands(ctx: Ctx): vscode.Disposable {
  return vscode.Disposable.from(...Object.entries(commandTable(ctx)).map(([id, handler]) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await handler(...args);
      } catch (e) {
        ctx.log.error(`${id} failed`, e);
        const log = SHOW_LOG();
        void vscode.window.showErrorMessage(vscode.l10n.t('Jumio Batch: {0}', message(e)), log).then((a) => a === log && ctx.log.show());
        return undefined;
      }
    })));
}
