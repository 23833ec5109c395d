// The VS Code entry point: one context object, then every feature registered on it. Activation
// does no I/O of its own; the first workspace lint runs after it returns.
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { Ctx } from './context';
import { registerFixes } from './fixes';
import { registerLanguageFeatures } from './language';
import { registerPreview } from './preview';
import { restoreConnection } from './sandbox';
import { Ui } from './ui';
import { registerWalkthrough } from './walkthrough';

/**
 * What activate returns to the extension-host tests: the context and a seam to answer the modal
 * dialogs. Only in test mode: elsewhere another extension could use it to skip the upload
 * confirmation or the host-key question, so it returns nothing.
 */
export interface JumioBatchApi {
  ctx: Ctx;
  setUi(ui: Ui): void;
  activationMillis: number;
}

export function activate(context: vscode.ExtensionContext): JumioBatchApi | undefined {
  const started = performance.now();
  const ctx = new Ctx(context);
  context.subscriptions.push(
    ctx,
    registerCommands(ctx),
    registerFixes(ctx.linter),
    registerLanguageFeatures(ctx.linter),
    registerPreview(ctx),
    registerWalkthrough(ctx),
    ctx.linter.onDidLint((entry) => {
      if (vscode.window.activeTextEditor?.document.uri.toString() === entry.uri.toString()) ctx.status.showLint(entry);
    }),
    vscode.window.onDidChangeActiveTextEditor((editor) => {
      const doc = editor?.document;
      if (!doc) return; // focus moved to a panel: keep showing the last batch
      ctx.status.showLint(ctx.linter.isBatchDocument(doc) ? ctx.linter.entry(doc.uri) : undefined);
    }),
  );
  setTimeout(() => {
    ctx.linter.start();
    void restoreConnection(ctx).catch((e) => ctx.log.error('cannot restore the connection settings', e));
  }, 0);
  const activationMillis = performance.now() - started;
  ctx.log.info(`activated in ${activationMillis.toFixed(1)} ms (${vscode.workspace.isTrusted ? 'trusted' : 'Restricted Mode: linting only'})`);
  if (context.extensionMode !== vscode.ExtensionMode.Test) return undefined;
  return { ctx, setUi: (ui) => { ctx.ui = ui; }, activationMillis };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions (the Ctx stops uploads and the sandbox).
}
