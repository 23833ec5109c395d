// "Upload Batch…" and "Resume Upload…": the editor's words and questions around the upload service
// (src/node/upload/service.ts), which does the lint, plan, lock, host-key question, send, verify,
// DONE and receipt. Decisions hang on the failure's typed reason, never on its message.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { BATCH_CSV_NAME, UploadError, UploadFailureReason, isBatchId } from '../core';
import { resolveBatchTarget } from '../node/batch/target';
import { defaultReceiptPath } from '../node/upload/receipt';
import { HostKeyError, LintFailedError, UploadOutcome as ServiceOutcome, UploadPlan, UploadRequest, runUpload } from '../node/upload/service';
import { Ctx } from './context';
import { HistoryEntry } from './history';
import { ConnectionSettings, connectionSettings, uploadSettings } from './settings';

/** What an upload command ended with (returned to callers such as tests; the user sees messages). */
export type UploadOutcome =
  | { status: 'sent'; batchId: string; result: ServiceOutcome }
  | { status: 'incomplete'; batchId?: string; reason: UploadFailureReason }
  | { status: 'refused'; reason: 'untrusted' | 'busy' | 'no-host' | 'lint' | 'host-key' | 'no-batch' | 'locked' | 'already-sent' }
  | { status: 'cancelled' }
  | { status: 'failed'; reason: UploadFailureReason | 'not-a-batch-id' };

const MB = 1_000_000;
const SEND_AGAIN = (): string => vscode.l10n.t('Send Again as a New Batch');

function size(bytes: number): string {
  return bytes >= MB ? `${(bytes / MB).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1000))} kB`;
}

/** The batch folder to send: the argument (folder or CSV), the active batch, or the user's pick. */
async function chooseBatchFolder(ctx: Ctx, target?: vscode.Uri): Promise<string | undefined> {
  if (target?.scheme === 'file') {
    const given = await resolveBatchTarget(target.fsPath).catch(() => undefined);
    if (given) return given.folder;
  }
  const active = vscode.window.activeTextEditor?.document;
  if (active && ctx.linter.isBatchDocument(active)) return path.dirname(active.uri.fsPath);
  const found = await vscode.workspace.findFiles(`**/${BATCH_CSV_NAME}`, '**/{node_modules,.git}/**', 200);
  if (found.length === 1) return path.dirname(found[0].fsPath);
  if (found.length > 1) {
    const pick = await vscode.window.showQuickPick(found.map((u) => ({ label: vscode.workspace.asRelativePath(path.dirname(u.fsPath)), folder: path.dirname(u.fsPath) })),
      { title: vscode.l10n.t('Jumio Batch: which batch folder?'), placeHolder: vscode.l10n.t('A folder with an input.csv') });
    return pick?.folder;
  }
  const chosen = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: vscode.l10n.t('Upload this batch folder') });
  return chosen?.[0]?.fsPath;
}

/** The open input.csv must be saved first: the upload sends what is on disk. */
async function saveIfDirty(ctx: Ctx, folder: string): Promise<boolean> {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === path.join(folder, BATCH_CSV_NAME));
  if (!doc?.isDirty) return true;
  if (!(await ctx.ui.confirm(vscode.l10n.t('{0} has unsaved changes.', BATCH_CSV_NAME), vscode.l10n.t('The upload sends the file as saved on disk. Save it and go on?'), vscode.l10n.t('Save and Continue')))) return false;
  return doc.save();
}

function request(folder: string, conn: ConnectionSettings, resume: string | undefined, again: boolean): UploadRequest {
  const env: NodeJS.ProcessEnv = conn.useAgent && process.env.SSH_AUTH_SOCK ? { SSH_AUTH_SOCK: process.env.SSH_AUTH_SOCK } : {};
  return {
    folder, host: conn.host, port: conn.port, user: conn.user, identity: conn.identityFile, sshConfigPath: conn.sshConfigFile,
    knownHostsPath: conn.knownHostsFile, hostKeyFingerprint: conn.hostKeyFingerprint, remoteDir: conn.remoteDir,
    ...uploadSettings(), resume, again, env,
  };
}

function confirmation(ctx: Ctx, conn: ConnectionSettings, folder: string, resume: string | undefined) {
  return (plan: UploadPlan): Promise<boolean> => {
    const images = plan.files.length - 1;
    const what = resume ? vscode.l10n.t('Resume batch {0} on {1}?', resume, conn.host) : vscode.l10n.t('Upload this batch to {0}?', conn.host);
    const rows = plan.lint.rows === 1 ? vscode.l10n.t('1 row') : vscode.l10n.t('{0} rows', plan.lint.rows.toLocaleString('en-US'));
    const pictures = images === 1 ? vscode.l10n.t('1 image') : vscode.l10n.t('{0} images', images.toLocaleString('en-US'));
    const detail = `${vscode.l10n.t('{0}: {1}, {2}, {3} in all.', vscode.workspace.asRelativePath(folder), rows, pictures, size(plan.bytes))}\n\n` +
      (resume ? vscode.l10n.t('Files already on the server whole and unchanged since they were sent are skipped.') + ' ' : vscode.l10n.t('A new batch folder (a UUID) is made in "{0}".', conn.remoteDir) + ' ') +
      vscode.l10n.t('DONE is written last, once every file is verified: it starts processing at Jumio, and nothing can be added after it.');
    return ctx.ui.confirm(what, detail, resume ? vscode.l10n.t('Resume') : vscode.l10n.t('Upload'));
  };
}

/**
 * One run of the service under a cancellable progress notification (opened once the user
 * confirmed the plan) and the status bar. Passphrases the user typed are kept once the login worked.
 */
async function send(ctx: Ctx, controller: AbortController, conn: ConnectionSettings, folder: string, resume: string | undefined, again: boolean, seen: { plan?: UploadPlan }): Promise<ServiceOutcome> {
  const typed = new Map<string, string>();
  const keyFiles = new Set<string>();
  let finished: () => void = () => undefined;
  const running = new Promise<void>((resolve) => { finished = resolve; });
  let report: ((p: { message: string; increment: number }) => void) | undefined;
  let reported = 0;
  try {
    const result = await runUpload(request(folder, conn, resume, again), {
      signal: controller.signal,
      log: (line) => ctx.log.info(line),
      confirmPlan: async (plan) => {
        seen.plan = plan;
        if (!(await confirmation(ctx, conn, folder, resume)(plan))) return false;
        ctx.log.info(`upload to ${conn.host}: ${plan.files.length} files, ${plan.bytes} bytes`);
        void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Jumio Batch: uploading {0}', path.basename(folder)), cancellable: true }, (progress, token) => {
          token.onCancellationRequested(() => controller.abort());
          report = (p) => progress.report(p);
          return running;
        });
        return true;
      },
      confirmHost: async (q) => {
        ctx.log.info(`${q.server} is unknown; its host key fingerprint is ${q.fingerprint}`);
        const yes = await ctx.ui.trustHostKey(q.server, q.keyType, q.fingerprint, q.knownHostsFile);
        if (!yes) ctx.log.info(`the host key of ${q.server} was not trusted: nothing was sent`);
        return yes;
      },
      askPassphrase: async (keyFile) => {
        keyFiles.add(keyFile);
        const saved = await ctx.credentials.get(keyFile);
        if (saved !== undefined) return saved;
        const answer = await ctx.ui.askPassphrase(keyFile);
        if (answer !== undefined) typed.set(keyFile, answer);
        return answer;
      },
      onProgress: (p) => {
        ctx.status.uploading(p, folder);
        ctx.reportProgress(p);
        const percent = p.bytesTotal > 0 ? (100 * p.bytesDone) / p.bytesTotal : 0;
        report?.({ message: vscode.l10n.t('{0} · {1}/{2} files', p.phase, p.filesDone.toLocaleString('en-US'), p.filesTotal.toLocaleString('en-US')), increment: Math.max(0, percent - reported) });
        reported = Math.max(reported, percent);
      },
    });
    for (const [file, secret] of typed) await ctx.credentials.store(file, secret);
    return result;
  } catch (e) {
    // A saved passphrase that no longer works is dropped, so the next try asks again.
    if (e instanceof UploadError && e.reason === 'auth-passphrase') for (const keyFile of keyFiles) await ctx.credentials.forget(keyFile);
    throw e;
  } finally {
    finished();
  }
}

async function record(ctx: Ctx, entry: HistoryEntry): Promise<void> {
  await ctx.history.add(entry);
  ctx.status.finished(entry.batchId, entry.status === 'sent');
}

/** The command: every refusal and failure ends in one clear message, never a stack trace. */
export async function uploadCommand(ctx: Ctx, target?: vscode.Uri, opts: { resume?: string } = {}): Promise<UploadOutcome> {
  if (!vscode.workspace.isTrusted) {
    const manage = vscode.l10n.t('Manage Workspace Trust');
    void vscode.window.showWarningMessage(vscode.l10n.t('Jumio Batch: uploading is disabled in Restricted Mode. Batch files are still linted; trust this workspace to upload from it.'), manage)
      .then((a) => a === manage && vscode.commands.executeCommand('workbench.trust.manage'));
    ctx.log.info('upload refused: the workspace is not trusted');
    return { status: 'refused', reason: 'untrusted' };
  }
  if (ctx.uploading) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Jumio Batch: an upload is already running; wait for it or cancel it.'));
    return { status: 'refused', reason: 'busy' };
  }
  // The slot is claimed before the first await: a second click cannot slip in behind the pickers.
  const controller = new AbortController();
  ctx.uploading = controller;
  try {
    return await claimedUpload(ctx, controller, target, opts);
  } finally {
    if (ctx.uploading === controller) ctx.uploading = undefined;
  }
}

async function claimedUpload(ctx: Ctx, controller: AbortController, target: vscode.Uri | undefined, opts: { resume?: string }): Promise<UploadOutcome> {
  const conn = connectionSettings();
  if (!conn.host) {
    const open = vscode.l10n.t('Open Settings');
    const sandbox = vscode.l10n.t('Start Local Sandbox');
    void vscode.window.showErrorMessage(vscode.l10n.t('Jumio Batch: no SFTP host is set. Set "jumioBatch.connection.host" in your user settings (or try the local sandbox).'), open, sandbox)
      .then((a) => a === open ? vscode.commands.executeCommand('workbench.action.openSettings', 'jumioBatch.connection') : a === sandbox ? vscode.commands.executeCommand('jumioBatch.startSandbox') : undefined);
    return { status: 'refused', reason: 'no-host' };
  }
  if (opts.resume !== undefined && !isBatchId(opts.resume)) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Jumio Batch: "{0}" is not a batch id (a lower-case UUID v4).', opts.resume));
    return { status: 'failed', reason: 'not-a-batch-id' };
  }
  const folder = await chooseBatchFolder(ctx, target);
  if (!folder) return { status: 'refused', reason: 'no-batch' };
  if (!(await saveIfDirty(ctx, folder))) return { status: 'cancelled' };

  let again = false;
  const seen: { plan?: UploadPlan } = {};
  for (;;) {
    try {
      const result = await send(ctx, controller, conn, folder, opts.resume, again, seen);
      await record(ctx, {
        batchId: result.batchId, folder, server: result.server, remoteDir: conn.remoteDir, rows: result.plan.lint.rows,
        files: result.files, bytes: result.bytes, at: new Date().toISOString(), status: 'sent', receipt: result.receiptPath,
      });
      ctx.log.info(`batch ${result.batchId} sent: ${result.files} files in ${result.seconds.toFixed(1)} s; DONE written; receipt kept in the batch folder`);
      const copy = vscode.l10n.t('Copy Batch Id');
      const receipt = vscode.l10n.t('Open Receipt');
      void vscode.window.showInformationMessage(vscode.l10n.t('Jumio Batch: sent as batch {0} ({1} files, DONE written). Follow its status in the Jumio Portal.', result.batchId, result.files), copy, receipt)
        .then(async (a) => {
          if (a === copy) await vscode.env.clipboard.writeText(result.batchId);
          else if (a === receipt) await vscode.window.showTextDocument(vscode.Uri.file(result.receiptPath));
        });
      return { status: 'sent', batchId: result.batchId, result };
    } catch (e) {
      if (e instanceof UploadError && e.reason === 'already-sent' && !again) {
        ctx.log.info(`the folder's input.csv was already sent as batch ${e.batchId}; asking before sending it again`);
        if (await ctx.ui.confirm(vscode.l10n.t('This input.csv was already sent.'), vscode.l10n.t('{0}.\n\nSend it again only if that batch failed or was never processed.', e.message), SEND_AGAIN())) {
          again = true;
          continue;
        }
        return { status: 'refused', reason: 'already-sent' };
      }
      return stopped(ctx, folder, conn, seen.plan, e);
    }
  }
}

/** The editor's words for a failure: its settings and commands, never a CLI flag. */
function advice(e: UploadError): string {
  switch (e.reason) {
    case 'host-key-unknown': return vscode.l10n.t('The server\'s host key was not trusted, so nothing was sent.');
    case 'host-key-pin': return e instanceof HostKeyError && e.facts
      ? vscode.l10n.t('The setting "jumioBatch.connection.hostKeyFingerprint" pins another key than the server\'s {0}. The server may be an impostor, or the pin is out of date: check it with your Jumio administrator.', e.facts.fingerprint)
      : vscode.l10n.t('The setting "jumioBatch.connection.hostKeyFingerprint" pins another key. The server may be an impostor, or the pin is out of date: check it with your Jumio administrator.');
    case 'auth-passphrase': return vscode.l10n.t('The key\'s passphrase is missing or wrong; it will be asked again next time.');
    case 'auth-key': return vscode.l10n.t('Set "jumioBatch.connection.identityFile" to the key made in the Jumio Portal, or run an ssh-agent.');
    case 'auth': return vscode.l10n.t('Check "jumioBatch.connection.user" and that the key is the one registered for batch uploads in the Jumio Portal.');
    case 'changed-since-lint': case 'local-read': case 'reserved-name': return e.file ? vscode.l10n.t('The file: {0}.', e.file) : '';
    default: return '';
  }
}

/** An upload that ended without DONE: what happened, and how to finish it. */
async function stopped(ctx: Ctx, folder: string, conn: ConnectionSettings, plan: UploadPlan | undefined, e: unknown): Promise<UploadOutcome> {
  if (e instanceof LintFailedError) {
    const errors = e.lint.counts.errors;
    const show = vscode.l10n.t('Show Problems');
    const file = vscode.workspace.asRelativePath(e.lint.csvPath);
    void vscode.window.showErrorMessage(errors === 1
      ? vscode.l10n.t('Jumio Batch: {0} has 1 error: nothing was sent. Fix it, then upload again.', file)
      : vscode.l10n.t('Jumio Batch: {0} has {1} errors: nothing was sent. Fix them, then upload again.', file, errors), show)
      .then((a) => a === show && vscode.commands.executeCommand('workbench.actions.view.problems'));
    return { status: 'refused', reason: 'lint' };
  }
  if (!(e instanceof UploadError)) {
    ctx.log.error('upload failed', e);
    void vscode.window.showErrorMessage(vscode.l10n.t('Jumio Batch: upload failed: {0}', e instanceof Error ? e.message : String(e)), vscode.l10n.t('Show Log')).then((a) => a && ctx.log.show());
    return { status: 'failed', reason: 'other' };
  }
  ctx.log.warn(`upload stopped (${e.reason}): ${e.message}`);
  if (e.reason === 'locked') {
    void vscode.window.showInformationMessage(vscode.l10n.t('Jumio Batch: {0}.', e.message));
    return { status: 'refused', reason: 'locked' };
  }
  if (e.reason === 'host-key-unknown' || e.reason === 'host-key-changed' || e.reason === 'host-key-pin') {
    const open = vscode.l10n.t('Open Settings');
    void vscode.window.showErrorMessage(vscode.l10n.t('Jumio Batch: {0}. {1}', e.message, advice(e)), { modal: e.reason !== 'host-key-unknown' }, ...(e.reason === 'host-key-pin' ? [open] : []))
      .then((a) => a === open && vscode.commands.executeCommand('workbench.action.openSettings', 'jumioBatch.connection.hostKeyFingerprint'), () => undefined);
    return { status: 'refused', reason: 'host-key' };
  }
  if (!e.batchId) {
    if (e.reason === 'cancelled') return { status: 'cancelled' };
    const log = vscode.l10n.t('Show Log');
    void vscode.window.showErrorMessage(vscode.l10n.t('Jumio Batch: upload failed (nothing was submitted, no DONE written): {0}. {1}', e.message, advice(e)), log).then((a) => a === log && ctx.log.show());
    return { status: 'failed', reason: e.reason };
  }
  await record(ctx, {
    batchId: e.batchId, folder, server: conn.host, remoteDir: conn.remoteDir, rows: plan?.lint.rows ?? 0, files: plan?.files.length ?? 0, bytes: plan?.bytes ?? 0,
    at: new Date().toISOString(), status: 'incomplete', reason: e.reason, receipt: defaultReceiptPath(plan?.lint.folder ?? folder, e.batchId),
  });
  const resume = vscode.l10n.t('Resume');
  const log = vscode.l10n.t('Show Log');
  const what = e.reason === 'cancelled' ? vscode.l10n.t('upload cancelled') : vscode.l10n.t('upload failed: {0}', e.message);
  void vscode.window.showErrorMessage(vscode.l10n.t('Jumio Batch: {0}. {1} Batch {2} has no DONE, so Jumio will not process it; Resume sends what is missing and then DONE.', what, advice(e), e.batchId), resume, log)
    .then((a) => a === resume ? vscode.commands.executeCommand('jumioBatch.resumeUpload', e.batchId) : a === log ? ctx.log.show() : undefined);
  return { status: 'incomplete', batchId: e.batchId, reason: e.reason };
}

/** "Resume Upload…": an incomplete batch from the history (or an id typed in), same folder. */
export async function resumeCommand(ctx: Ctx, batchId?: string): Promise<UploadOutcome> {
  let entry = ctx.history.entries().find((e) => e.batchId === batchId);
  if (!batchId) {
    const incomplete = ctx.history.entries().filter((e) => e.status === 'incomplete');
    if (incomplete.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Jumio Batch: no incomplete upload to resume. Every batch in the history has its DONE.'));
      return { status: 'cancelled' };
    }
    const pick = await vscode.window.showQuickPick(incomplete.map((e) => ({ label: e.batchId, description: vscode.workspace.asRelativePath(e.folder), detail: vscode.l10n.t('{0} · stopped {1} ({2})', e.server, new Date(e.at).toLocaleString(), e.reason ?? 'unknown'), e })),
      { title: vscode.l10n.t('Jumio Batch: resume which upload?') });
    if (!pick) return { status: 'cancelled' };
    entry = pick.e;
    batchId = pick.e.batchId;
  }
  return uploadCommand(ctx, entry ? vscode.Uri.file(entry.folder) : undefined, { resume: batchId });
}
