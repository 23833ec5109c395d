// "Upload Batch…" and "Resume Upload…": trust check, batch choice, lint, confirmation, host-key
// trust on first use, passphrase from Secret Storage, progress with cancel, then the outcome.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { BATCH_CSV_NAME, BATCH_ID, TransportError, UploadError, UploadResult } from '../core';
import { checkHostKey, defaultKnownHostsPath, hostKeyType, knownHostsName } from '../node/ssh/hostKeys';
import { probeHostKey } from '../node/ssh/hostKeyProbe';
import { resolveSshHost } from '../node/ssh/sshConfig';
import { LintFailedError, UploadPlan, UploadRequest, lintForUpload, uploadBatchFolder } from '../node/upload/service';
import { Ctx } from './context';
import { HistoryEntry } from './history';
import { ConnectionSettings, connectionSettings, uploadConcurrency } from './settings';

/** What an upload command ended with (returned to callers such as tests; the user sees messages). */
export type UploadOutcome =
  | { status: 'sent'; batchId: string; result: UploadResult }
  | { status: 'incomplete'; batchId?: string; reason: string }
  | { status: 'refused'; reason: 'untrusted' | 'busy' | 'no-host' | 'lint' | 'host-key' | 'no-batch' }
  | { status: 'cancelled' }
  | { status: 'failed'; reason: string };

const MB = 1_000_000;

function size(bytes: number): string {
  return bytes >= MB ? `${(bytes / MB).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1000))} kB`;
}

/** The batch folder to send: the argument (folder or CSV), the active batch, or the user's pick. */
async function chooseBatchFolder(ctx: Ctx, target?: vscode.Uri): Promise<string | undefined> {
  if (target?.scheme === 'file') {
    const stat = await vscode.workspace.fs.stat(target).then((s) => s, () => undefined);
    if (stat) return stat.type & vscode.FileType.Directory ? target.fsPath : path.dirname(target.fsPath);
  }
  const active = vscode.window.activeTextEditor?.document;
  if (active && ctx.linter.isBatchDocument(active)) return path.dirname(active.uri.fsPath);
  const found = await vscode.workspace.findFiles(`**/${BATCH_CSV_NAME}`, '**/{node_modules,.git}/**', 200);
  if (found.length === 1) return path.dirname(found[0].fsPath);
  if (found.length > 1) {
    const pick = await vscode.window.showQuickPick(found.map((u) => ({ label: vscode.workspace.asRelativePath(path.dirname(u.fsPath)), folder: path.dirname(u.fsPath) })),
      { title: 'Jumio Batch: which batch folder?', placeHolder: 'A folder with an input.csv' });
    return pick?.folder;
  }
  const chosen = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Upload this batch folder' });
  return chosen?.[0]?.fsPath;
}

/** The open input.csv must be saved first: the upload sends what is on disk. */
async function saveIfDirty(ctx: Ctx, folder: string): Promise<boolean> {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === path.join(folder, BATCH_CSV_NAME));
  if (!doc?.isDirty) return true;
  if (!(await ctx.ui.confirm(`${BATCH_CSV_NAME} has unsaved changes.`, 'The upload sends the file as saved on disk. Save it and go on?', 'Save and Continue'))) return false;
  return doc.save();
}

function baseRequest(ctx: Ctx, folder: string, conn: ConnectionSettings, resume?: string): UploadRequest {
  const env: NodeJS.ProcessEnv = conn.useAgent && process.env.SSH_AUTH_SOCK ? { SSH_AUTH_SOCK: process.env.SSH_AUTH_SOCK } : {};
  return {
    folder,
    host: conn.host,
    port: conn.port,
    user: conn.user,
    identity: conn.identityFile,
    sshConfigPath: conn.sshConfigFile,
    knownHostsPath: conn.knownHostsFile,
    hostKeyFingerprint: conn.hostKeyFingerprint,
    remoteDir: conn.remoteDir,
    concurrency: uploadConcurrency(),
    resume,
    env,
    log: (line) => ctx.log.info(line),
  };
}

/**
 * After a host-key refusal: look at the key the server presents. An unknown host is shown to the
 * user with its fingerprint, and recorded only when they trust it; a changed key stays refused.
 */
async function establishHostTrust(ctx: Ctx, conn: ConnectionSettings, refusal: Error): Promise<boolean> {
  if (conn.hostKeyFingerprint) return false;
  const resolved = resolveSshHost(conn.host, { configPath: conn.sshConfigFile, port: conn.port, user: conn.user });
  const key = await probeHostKey(resolved.hostName, resolved.port);
  const knownHostsFile = conn.knownHostsFile ?? defaultKnownHostsPath();
  const check = { host: resolved.hostName, port: resolved.port, key, knownHostsPath: knownHostsFile };
  const verdict = checkHostKey(check);
  if (verdict.ok) return true; // recorded meanwhile (another window, or by hand)
  if (verdict.reason !== 'unknown') {
    ctx.log.warn(refusal.message);
    return false;
  }
  const server = knownHostsName(resolved.hostName, resolved.port);
  ctx.log.info(`${server} is unknown; its host key fingerprint is ${verdict.fingerprint}`);
  if (!(await ctx.ui.trustHostKey(server, hostKeyType(key), verdict.fingerprint, knownHostsFile))) {
    ctx.log.info(`the host key of ${server} was not trusted: nothing was sent`);
    return false;
  }
  const recorded = checkHostKey({ ...check, acceptNew: true });
  if (recorded.ok) ctx.log.info(`recorded the host key of ${server} (${recorded.fingerprint}) in ${knownHostsFile}`);
  return recorded.ok;
}

/** Runs the upload under a cancellable progress notification and the status bar. */
async function send(ctx: Ctx, req: UploadRequest, plan: UploadPlan): Promise<UploadResult & { plan: UploadPlan }> {
  const passphrases = new Map<string, string>();
  req.askPassphrase = async (keyFile) => {
    const saved = await ctx.credentials.get(keyFile);
    const answer = saved ?? (await ctx.ui.askPassphrase(keyFile));
    if (answer !== undefined) passphrases.set(keyFile, answer);
    return answer;
  };
  const controller = new AbortController();
  ctx.uploading = controller;
  try {
    return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Jumio Batch: uploading ${path.basename(req.folder)}`, cancellable: true }, async (progress, token) => {
      token.onCancellationRequested(() => controller.abort());
      let reported = 0;
      req.signal = controller.signal;
      req.plan = plan;
      req.onProgress = (p) => {
        ctx.status.uploading(p, req.folder);
        ctx.reportProgress(p);
        const percent = p.bytesTotal > 0 ? (100 * p.bytesDone) / p.bytesTotal : 0;
        progress.report({ message: `${p.phase} · ${p.filesDone.toLocaleString('en-US')}/${p.filesTotal.toLocaleString('en-US')} files`, increment: Math.max(0, percent - reported) });
        reported = Math.max(reported, percent);
      };
      const result = await uploadBatchFolder(req);
      for (const [file, secret] of passphrases) await ctx.credentials.store(file, secret);
      return result;
    });
  } catch (e) {
    // A saved passphrase that no longer works is dropped, so the next try asks again.
    if (e instanceof TransportError && e.kind === 'auth' && /passphrase/.test(e.message)) for (const file of passphrases.keys()) await ctx.credentials.forget(file);
    throw e;
  } finally {
    ctx.uploading = undefined;
  }
}

async function recordAndReport(ctx: Ctx, entry: HistoryEntry): Promise<void> {
  await ctx.history.add(entry);
  ctx.status.finished(entry.batchId, entry.status === 'sent');
}

/** The command: every refusal and failure ends in one clear message, never a stack trace. */
export async function uploadCommand(ctx: Ctx, target?: vscode.Uri, opts: { resume?: string } = {}): Promise<UploadOutcome> {
  if (!vscode.workspace.isTrusted) {
    const manage = 'Manage Workspace Trust';
    void vscode.window.showWarningMessage('Jumio Batch: uploading is disabled in Restricted Mode. Batch files are still linted; trust this workspace to upload from it.', manage)
      .then((a) => a === manage && vscode.commands.executeCommand('workbench.trust.manage'));
    ctx.log.info('upload refused: the workspace is not trusted');
    return { status: 'refused', reason: 'untrusted' };
  }
  if (ctx.uploading) {
    void vscode.window.showInformationMessage('Jumio Batch: an upload is already running; wait for it or cancel it.');
    return { status: 'refused', reason: 'busy' };
  }
  const conn = connectionSettings();
  if (!conn.host) {
    const open = 'Open Settings';
    const sandbox = 'Start Local Sandbox';
    void vscode.window.showErrorMessage('Jumio Batch: no SFTP host is set. Set "jumioBatch.connection.host" in your user settings (or try the local sandbox).', open, sandbox)
      .then((a) => a === open ? vscode.commands.executeCommand('workbench.action.openSettings', 'jumioBatch.connection') : a === sandbox ? vscode.commands.executeCommand('jumioBatch.startSandbox') : undefined);
    return { status: 'refused', reason: 'no-host' };
  }
  if (opts.resume !== undefined && !BATCH_ID.test(opts.resume)) {
    void vscode.window.showErrorMessage(`Jumio Batch: "${opts.resume}" is not a batch id (a lower-case UUID v4).`);
    return { status: 'failed', reason: 'not a batch id' };
  }
  const folder = await chooseBatchFolder(ctx, target);
  if (!folder) return { status: 'refused', reason: 'no-batch' };
  if (!(await saveIfDirty(ctx, folder))) return { status: 'cancelled' };

  const req = baseRequest(ctx, folder, conn, opts.resume);
  let plan: UploadPlan;
  try {
    plan = await lintForUpload(req);
  } catch (e) {
    if (e instanceof LintFailedError) {
      const errors = e.lint.counts.errors;
      const show = 'Show Problems';
      void vscode.window.showErrorMessage(`Jumio Batch: ${vscode.workspace.asRelativePath(e.lint.csvPath)} has ${errors} error${errors === 1 ? '' : 's'}: nothing was sent. Fix them, then upload again.`, show)
        .then((a) => a === show && vscode.commands.executeCommand('workbench.actions.view.problems'));
      return { status: 'refused', reason: 'lint' };
    }
    return failed(ctx, 'cannot read the batch', e);
  }
  const images = plan.files.length - 1;
  const what = opts.resume ? `Resume batch ${opts.resume} on ${conn.host}?` : `Upload this batch to ${conn.host}?`;
  const detail = `${vscode.workspace.asRelativePath(folder)}: ${plan.lint.rows.toLocaleString('en-US')} row${plan.lint.rows === 1 ? '' : 's'}, ${images.toLocaleString('en-US')} image${images === 1 ? '' : 's'}, ${size(plan.bytes)} in all.\n\n` +
    (opts.resume ? 'Files already on the server whole are skipped. ' : `A new batch folder (a UUID) is made in "${conn.remoteDir}". `) +
    'DONE is written last, once every file is verified: it starts processing at Jumio, and nothing can be added after it.';
  if (!(await ctx.ui.confirm(what, detail, opts.resume ? 'Resume' : 'Upload'))) return { status: 'cancelled' };

  ctx.log.info(`upload of ${folder} to ${conn.host}: ${plan.files.length} files, ${plan.bytes} bytes`);
  for (let attempt = 0; ; attempt++) {
    try {
      const result = await send(ctx, req, plan);
      await recordAndReport(ctx, {
        batchId: result.batchId, folder, server: result.plan.server, remoteDir: conn.remoteDir, rows: plan.lint.rows,
        files: result.files, bytes: result.bytes, at: new Date().toISOString(), status: 'sent',
      });
      ctx.log.info(`batch ${result.batchId} sent: ${result.files} files in ${result.seconds.toFixed(1)} s; DONE written`);
      const copy = 'Copy Batch Id';
      const history = 'Show History';
      void vscode.window.showInformationMessage(`Jumio Batch: sent as batch ${result.batchId} (${result.files} files, DONE written). Follow its status in the Jumio Portal.`, copy, history)
        .then((a) => a === copy ? vscode.env.clipboard.writeText(result.batchId) : a === history ? vscode.commands.executeCommand('jumioBatch.showHistory') : undefined);
      return { status: 'sent', batchId: result.batchId, result };
    } catch (e) {
      if ((e instanceof TransportError || e instanceof UploadError) && e.kind === 'host-key' && attempt === 0) {
        let trusted = false;
        try {
          trusted = await establishHostTrust(ctx, conn, e);
        } catch (probeError) {
          ctx.log.error('cannot read the server\'s host key', probeError);
        }
        if (trusted) continue;
        void vscode.window.showErrorMessage(`Jumio Batch: ${e.message}`, { modal: /has changed|revoked|pins/.test(e.message) });
        return { status: 'refused', reason: 'host-key' };
      }
      return stopped(ctx, folder, conn, plan, e);
    }
  }
}

/** An upload that ended without DONE: what happened, and how to finish it. */
async function stopped(ctx: Ctx, folder: string, conn: ConnectionSettings, plan: UploadPlan, e: unknown): Promise<UploadOutcome> {
  const cancelled = e instanceof UploadError && e.kind === 'aborted';
  const batchId = e instanceof UploadError ? e.batchId : undefined;
  const reason = cancelled ? 'cancelled' : e instanceof Error ? e.message : String(e);
  ctx.log.error(cancelled ? 'upload cancelled' : 'upload failed', e);
  if (!batchId) {
    if (cancelled) return { status: 'cancelled' };
    return failed(ctx, 'upload failed (nothing was submitted, no DONE written)', e);
  }
  await recordAndReport(ctx, {
    batchId, folder, server: plan.server, remoteDir: conn.remoteDir, rows: plan.lint.rows,
    files: plan.files.length, bytes: plan.bytes, at: new Date().toISOString(), status: 'incomplete', reason,
  });
  const resume = 'Resume';
  const log = 'Show Log';
  void vscode.window.showErrorMessage(`Jumio Batch: ${cancelled ? 'upload cancelled' : `upload failed: ${reason}`}. Batch ${batchId} has no DONE, so Jumio will not process it; Resume sends what is missing and then DONE.`, resume, log)
    .then((a) => a === resume ? vscode.commands.executeCommand('jumioBatch.resumeUpload', batchId) : a === log ? ctx.log.show() : undefined);
  return { status: 'incomplete', batchId, reason };
}

function failed(ctx: Ctx, what: string, e: unknown): UploadOutcome {
  const reason = e instanceof Error ? e.message : String(e);
  ctx.log.error(what, e);
  const log = 'Show Log';
  void vscode.window.showErrorMessage(`Jumio Batch: ${what}: ${reason}`, log).then((a) => a === log && ctx.log.show());
  return { status: 'failed', reason };
}

/** "Resume Upload…": an incomplete batch from the history (or an id typed in), same folder. */
export async function resumeCommand(ctx: Ctx, batchId?: string): Promise<UploadOutcome> {
  let entry = ctx.history.entries().find((e) => e.batchId === batchId);
  if (!batchId) {
    const incomplete = ctx.history.entries().filter((e) => e.status === 'incomplete');
    if (incomplete.length === 0) {
      void vscode.window.showInformationMessage('Jumio Batch: no incomplete upload to resume. Every batch in the history has its DONE.');
      return { status: 'cancelled' };
    }
    const pick = await vscode.window.showQuickPick(incomplete.map((e) => ({ label: e.batchId, description: vscode.workspace.asRelativePath(e.folder), detail: `${e.server} · stopped ${new Date(e.at).toLocaleString()}: ${e.reason ?? ''}`, e })),
      { title: 'Jumio Batch: resume which upload?' });
    if (!pick) return { status: 'cancelled' };
    entry = pick.e;
    batchId = pick.e.batchId;
  }
  return uploadCommand(ctx, entry ? vscode.Uri.file(entry.folder) : undefined, { resume: batchId });
}
