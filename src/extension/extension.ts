// The VS Code entry point: builds one context object and registers every feature on it.
import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Jumio Batch', { log: true });
  context.subscriptions.push(log);
  log.info('Jumio Batch activated');
}

export function deactivate(): void {
  // Every registration is a disposable in context.subscriptions.
}
