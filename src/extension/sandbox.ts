// "Start Local Sandbox": the SFTP stand-in for a Jumio tenant on 127.0.0.1, to rehearse an
// upload. Its keys live in the extension's global storage; "Use for Uploads" points the (user)
// connection settings at it, pinned to its host key, and stopping it puts the old ones back.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startKeptSandbox } from '../node/sandbox/kept';
import { Ctx } from './context';

const SAVED_KEY = 'jumioBatch.connectionBeforeSandbox';
const KEYS = ['host', 'port', 'user', 'identityFile', 'hostKeyFingerprint', 'remoteDir'] as const;

export interface SandboxInfo {
  port: number;
  fingerprint: string;
  identityFile: string;
  root: string;
}

export async function startSandboxCommand(ctx: Ctx, opts: { use?: boolean } = {}): Promise<SandboxInfo | undefined> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Jumio Batch: the sandbox is not started in Restricted Mode. Trust this workspace first.'));
    return undefined;
  }
  if (ctx.sandbox) {
    const stop = vscode.l10n.t('Stop Sandbox');
    const a = await vscode.window.showInformationMessage(vscode.l10n.t('Jumio Batch: the sandbox already runs on 127.0.0.1:{0}.', ctx.sandbox.port), stop);
    if (a === stop) await stopSandbox(ctx);
    return undefined;
  }
  const state = path.join(ctx.extension.globalStorageUri.fsPath, 'sandbox');
  const root = path.join(state, 'home');
  const { sandbox, clientKeyFile: identityFile, clientKeyFingerprint } = await startKeptSandbox({
    stateDir: state, root, port: 0, log: (line) => ctx.log.info(`sandbox: ${line}`),
  });
  sandbox.on('status', (s) => {
    if (s.status === 'COMPLETED' || s.status === 'ERROR') {
      const why = `${s.errorCode ?? 'error'}${s.line ? ` · ${vscode.l10n.t('line {0}', s.line)}` : ''}${s.code ? ` (${s.code})` : ''}`;
      void vscode.window.showInformationMessage(s.status === 'COMPLETED'
        ? vscode.l10n.t('Jumio Batch sandbox: batch {0} COMPLETED.', s.batchId)
        : vscode.l10n.t('Jumio Batch sandbox: batch {0} ERROR: {1}.', s.batchId, why));
    }
  });
  ctx.sandbox = { port: sandbox.port, fingerprint: sandbox.hostKeyFingerprint, stop: () => sandbox.close() };
  ctx.log.info(`sandbox listening on 127.0.0.1:${sandbox.port}, host key ${sandbox.hostKeyFingerprint}, client key ${clientKeyFingerprint}, batches in ${root}`);
  const info = { port: sandbox.port, fingerprint: sandbox.hostKeyFingerprint, identityFile, root };
  const use = vscode.l10n.t('Use for Uploads');
  const log = vscode.l10n.t('Show Log');
  const answer = opts.use ? use : await vscode.window.showInformationMessage(
    vscode.l10n.t('Jumio Batch: sandbox running on 127.0.0.1:{0} (host key {1}). Point uploads at it until it stops?', sandbox.port, sandbox.hostKeyFingerprint), use, log);
  if (answer === use) await useSandbox(ctx, info);
  else if (answer === log) ctx.log.show();
  return info;
}

/** Points the user's connection settings at the sandbox, remembering the previous values. */
async function useSandbox(ctx: Ctx, info: SandboxInfo): Promise<void> {
  const c = vscode.workspace.getConfiguration('jumioBatch.connection');
  const before: Record<string, unknown> = {};
  for (const k of KEYS) before[k] = c.inspect(k)?.globalValue;
  await ctx.extension.globalState.update(SAVED_KEY, { before, fingerprint: info.fingerprint });
  const values: Record<(typeof KEYS)[number], unknown> = {
    host: '127.0.0.1', port: info.port, user: 'jumio', identityFile: info.identityFile, hostKeyFingerprint: info.fingerprint, remoteDir: '.',
  };
  for (const k of KEYS) await c.update(k, values[k], vscode.ConfigurationTarget.Global);
}

export async function stopSandbox(ctx: Ctx): Promise<void> {
  const running = ctx.sandbox;
  if (!running) return;
  ctx.sandbox = undefined;
  await running.stop();
  await restoreConnection(ctx);
  ctx.log.info('sandbox stopped');
}

/**
 * Puts back the connection settings that "Use for Uploads" replaced, if they still point at a
 * sandbox (its pinned key). Also run at activation: a window closed while its sandbox ran must
 * not leave uploads pointed at a server that is gone.
 */
export async function restoreConnection(ctx: Ctx): Promise<void> {
  const saved = ctx.extension.globalState.get<{ before: Record<string, unknown>; fingerprint: string }>(SAVED_KEY);
  if (!saved || ctx.sandbox) return;
  const c = vscode.workspace.getConfiguration('jumioBatch.connection');
  if (c.inspect('hostKeyFingerprint')?.globalValue === saved.fingerprint) {
    for (const k of KEYS) await c.update(k, saved.before[k], vscode.ConfigurationTarget.Global);
    ctx.log.info('connection settings restored (they pointed at the local sandbox)');
  }
  await ctx.extension.globalState.update(SAVED_KEY, undefined);
}
