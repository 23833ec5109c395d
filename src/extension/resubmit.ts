// "New Batch From Row…": the editor's `jumio-batch resubmit`, from the open input.csv, the
// Explorer, or an upload's history entry (Jumio stopped that batch at a failing row).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { BATCH_CSV_NAME, ResubmitFrom } from '../core';
import { BatchCutError } from '../node/batch/cutFolders';
import { resubmitBatchFolder } from '../node/batch/resubmit';
import { resolveBatchTarget } from '../node/batch/target';
import { Ctx } from './context';
import { lintSettings } from './settings';

export const NEW_BATCH_FROM_ROW_COMMAND = 'jumioBatch.newBatchFromRow';

/** The command's second argument as a start row, if it is one (the Explorer passes the selected files there). */
export function startFrom(arg: unknown): ResubmitFrom | undefined {
  const a = arg as { row?: unknown; reference?: unknown } | undefined;
  if (typeof a?.row === 'number' && Number.isInteger(a.row)) return { row: a.row };
  if (typeof a?.reference === 'string') return { reference: a.reference };
  return undefined;
}

/**
 * Makes `<folder>-from-row-N` beside the batch: its header and data rows N to the end, and only
 * their images. `target` is the batch folder or its CSV (default: the batch CSV in the active
 * editor); `from` the row to start at (default: asked). Returns the new folder, or undefined when
 * cancelled or refused (the user was told why).
 */
export async function newBatchFromRow(ctx: Ctx, target?: vscode.Uri, from?: ResubmitFrom): Promise<string | undefined> {
  const doc = vscode.window.activeTextEditor?.document;
  const given = target?.fsPath ?? (doc && ctx.linter.isBatchDocument(doc) ? doc.uri.fsPath : undefined);
  if (!given) {
    void vscode.window.showInformationMessage(`Jumio Batch: open the ${BATCH_CSV_NAME} to start from first (or right-click it in the Explorer, or pick its upload in the history).`);
    return undefined;
  }
  const { csvPath } = await resolveBatchTarget(given);
  const csv = vscode.Uri.file(csvPath);
  const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === csvPath);
  if (open?.isDirty && !(await open.save())) return undefined;
  const start = from ?? (await ctx.ui.askStartRow(ctx.linter.entry(csv)?.rows));
  if (!start) return undefined;
  try {
    const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Jumio Batch: making the new batch', cancellable: true }, (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      return resubmitBatchFolder(given, start, {
        signal: controller.signal,
        lintOptions: lintSettings(csv).options,
        onProgress: (p) => progress.report({ message: `${p.filesDone}/${p.filesTotal} files` }),
      });
    });
    // The log names folders and counts, never the reference (a cell value).
    ctx.log.info(`new batch from row ${r.start.row} of ${r.csvPath}: ${r.folder}, ${r.rows} rows, ${r.images.length} images`);
    const upload = 'Upload…';
    void vscode.window.showInformationMessage(
      `Jumio Batch: made ${path.basename(r.folder)} from row ${r.start.row.toLocaleString('en-US')} (line ${r.start.line + 1}, customerInternalReference "${r.start.reference}"): ${r.rows.toLocaleString('en-US')} rows, ${r.images.length.toLocaleString('en-US')} images. Check that row against Jumio's job information, then upload it as a new batch.`,
      upload,
    ).then((a) => a === upload && vscode.commands.executeCommand('jumioBatch.upload', vscode.Uri.file(r.folder)));
    return r.folder;
  } catch (e) {
    if (!(e instanceof BatchCutError)) throw e;
    if (e.kind === 'cancelled') return undefined;
    // The message may name a reference or an image (for the user): the log gets the kind only.
    ctx.log.warn(`new batch from row of ${e.csvPath} refused: ${e.kind}`);
    void vscode.window.showErrorMessage(`Jumio Batch: cannot make the new batch: ${e.message}`);
    return undefined;
  }
}
