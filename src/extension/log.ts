// The one output channel. Lines name files, counts and codes, never a cell value (PII) or a
// secret: callers pass only such text, and errors are logged by message and stack.
import * as vscode from 'vscode';

export class Log implements vscode.Disposable {
  readonly channel = vscode.window.createOutputChannel('Jumio Batch', { log: true });

  info(line: string): void {
    this.channel.info(line);
  }

  warn(line: string): void {
    this.channel.warn(line);
  }

  error(what: string, e?: unknown): void {
    this.channel.error(e instanceof Error ? `${what}: ${e.message}${e.stack ? `\n${e.stack}` : ''}` : what);
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
