// The one output channel. Lines name batch folders and their input.csv, counts, codes and ids;
// never an image file name (often a person's name: uploads name files by plan index), a cell
// value or a secret. Callers pass only such text, and errors are logged by message and stack.
import * as vscode from 'vscode';

/** Lines kept in memory for the tests that check what reaches the log. */
const KEPT = 500;

export class Log implements vscode.Disposable {
  readonly channel = vscode.window.createOutputChannel('Jumio Batch', { log: true });
  /** The last lines written, oldest first. */
  readonly recent: string[] = [];

  private keep(line: string): void {
    this.recent.push(line);
    if (this.recent.length > KEPT) this.recent.splice(0, this.recent.length - KEPT);
  }

  info(line: string): void {
    this.keep(line);
    this.channel.info(line);
  }

  warn(line: string): void {
    this.keep(line);
    this.channel.warn(line);
  }

  error(what: string, e?: unknown): void {
    const line = e instanceof Error ? `${what}: ${e.message}${e.stack ? `\n${e.stack}` : ''}` : what;
    this.keep(line);
    this.channel.error(line);
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
