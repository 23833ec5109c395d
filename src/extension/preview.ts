// "Jumio Batch: Preview Batch": a webview beside the editor with one line per row (number,
// reference, the thumbnails of its three images, its problem count), a filter to rows with
// problems, and a click that reveals the row in the editor. It follows the lint (so edits) and
// the batch folder's files (so image changes). The rows are computed here by core's
// previewModel; the webview (src/webview/preview.ts) draws only those in view.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { BATCH_CSV_NAME, PreviewLabels, PreviewRequest, PreviewUpdate, decodeCsv, previewModel } from '../core';
import { Ctx } from './context';
import { LintEntry } from './diagnostics';

export const PREVIEW_COMMAND = 'jumioBatch.previewBatch';
export const PREVIEW_VIEW_TYPE = 'jumioBatch.preview';

/**
 * A freshly loaded preview of a long batch gets its first rows in a small update before all of
 * them: 10,000 rows take ~0.4 s to reach the webview, a few hundred a few ms, so the list shows
 * as soon as a short batch's would (measured in test/ui/previewPerf.test.ts).
 */
const FIRST_ROWS = 300;

/** What the webview keeps with setState; the serializer reads `csv` from it after a reload. */
interface SavedState {
  csv?: string;
}

function labels(): PreviewLabels {
  return {
    onlyProblems: vscode.l10n.t('Only rows with problems'),
    rows: vscode.l10n.t('{0} rows'),
    withProblems: vscode.l10n.t('{0} with problems'),
    problems: vscode.l10n.t('{0} problems'),
    oneProblem: vscode.l10n.t('1 problem'),
    noProblems: vscode.l10n.t('no problems'),
    otherProblems: vscode.l10n.t('{0} on the header or the file'),
    capped: vscode.l10n.t('counts cover the first {0} problems'),
    cannotShow: vscode.l10n.t('cannot show'),
    empty: vscode.l10n.t('empty'),
  };
}

/** One open preview: its panel, its CSV, and what has changed in its folder since it opened. */
class BatchPreview implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  /** Per image path (relative, `/`), how often its file changed: breaks the webview's image cache. */
  private readonly changed: Record<string, number> = {};
  private ready = false;
  /** When the webview said it was ready, ms after the command. */
  private readyAt = 0;
  /** Whether the webview has had all rows since it (re)loaded. */
  private complete = false;
  private pending: ReturnType<typeof setTimeout> | undefined;
  /** When the command ran, for the log line of the first paint. */
  private readonly opened = performance.now();
  /** How long the last update's rows took to build, how long it then waited for them, and how long to hand the (first) ones to the webview, ms. */
  private lastUpdate = { model: 0, wait: 0, post: 0 };
  /** The first update, built while the webview's page loads. */
  private prebuilt: Promise<{ update: PreviewUpdate; millis: number } | undefined> | undefined;
  readonly folder: vscode.Uri;

  constructor(private readonly ctx: Ctx, readonly panel: vscode.WebviewPanel, readonly csv: vscode.Uri, onDispose: () => void) {
    this.folder = vscode.Uri.file(path.dirname(csv.fsPath));
    const ext = ctx.extension.extensionUri;
    // Only the batch folder and the extension's own script and style may load.
    panel.webview.options = { enableScripts: true, localResourceRoots: [this.folder, vscode.Uri.joinPath(ext, 'dist'), vscode.Uri.joinPath(ext, 'media')] };
    panel.title = vscode.l10n.t('Preview: {0}', path.basename(this.folder.fsPath));
    panel.iconPath = vscode.Uri.joinPath(ext, 'media', 'icon.png');
    panel.webview.html = this.html();
    // The rows are built while the page loads: a 10,000-row batch's take ~0.1 s.
    this.prebuilt = this.build();
    this.prebuilt.catch(() => undefined);
    // The linter's workspace watcher tells of files changing; a watcher of its own would make the
    // server watch a folder of 30,000 images a second time.
    const onFile = (uri: vscode.Uri) => {
      const rel = path.relative(this.folder.fsPath, uri.fsPath);
      if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return;
      const key = rel.split(path.sep).join('/');
      this.changed[key] = (this.changed[key] ?? 0) + 1;
      this.schedule();
    };
    this.disposables.push(
      ctx.linter.onDidChangeFile(onFile),
      ctx.linter.onDidLint((entry) => { if (entry.uri.toString() === csv.toString()) this.schedule(entry); }),
      panel.webview.onDidReceiveMessage((m: PreviewRequest) => this.receive(m)),
      panel.onDidDispose(() => { onDispose(); this.dispose(); }),
    );
  }

  private html(): string {
    const { webview } = this.panel;
    const ext = this.ctx.extension.extensionUri;
    const nonce = randomBytes(16).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(ext, 'dist', 'preview.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(ext, 'media', 'preview.css'));
    const csp = `default-src 'none'; img-src ${webview.cspSource}; style-src ${webview.cspSource}; script-src 'nonce-${nonce}';`;
    return `<!DOCTYPE html>
<html lang="${vscode.env.language}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
</head>
<body>
<header><span id="title"></span><label><input type="checkbox" id="only"><span id="only-label"></span></label><span id="summary"></span></header>
<div id="scroller" tabindex="0" role="listbox" aria-label="${vscode.l10n.t('Rows of the batch')}"><div id="spacer"></div><div id="list"></div></div>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
  }

  private receive(m: PreviewRequest): void {
    if (m.type === 'ready') {
      this.ready = true;
      this.complete = false;
      this.readyAt = performance.now() - this.opened;
      void this.update(undefined, this.prebuilt);
      this.prebuilt = undefined;
    } else if (m.type === 'reveal') {
      void this.reveal(m.line);
    } else if (m.type === 'painted') {
      this.ctx.log.info(`preview: first paint of ${m.rows} rows (${m.drawn} drawn) ${(performance.now() - this.opened).toFixed(0)} ms after the command (its page ready after ${this.readyAt.toFixed(0)} ms); rows built in ${this.lastUpdate.model.toFixed(0)} ms (waited for ${this.lastUpdate.wait.toFixed(0)} ms once ready), posted in ${this.lastUpdate.post.toFixed(0)} ms`);
    }
  }

  /** An update soon, once for a burst of file events (a folder of images copied in). */
  private schedule(entry?: LintEntry): void {
    if (entry) { clearTimeout(this.pending); this.pending = undefined; void this.update(entry); return; }
    this.pending ??= setTimeout(() => { this.pending = undefined; void this.update(); }, 100);
  }

  /** The CSV's text as the lint saw it: the open document's, or the file's. */
  private async text(): Promise<string | undefined> {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === this.csv.toString());
    if (doc) return doc.getText();
    const bytes = await fs.readFile(this.csv.fsPath).catch(() => undefined);
    return bytes && decodeCsv(bytes, path.basename(this.csv.fsPath)).text;
  }

  /**
   * The update for the CSV's text and its last lint, and how long its rows took to build (ms);
   * undefined when there is nothing to show yet, or the lint is of an older text (the next lint,
   * due after the edit that made it stale, brings the update).
   */
  private async build(entry = this.ctx.linter.entry(this.csv)): Promise<{ update: PreviewUpdate; millis: number } | undefined> {
    const text = await this.text();
    if (text === undefined) return undefined;
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === this.csv.toString());
    if (entry && doc && entry.version !== undefined && entry.version !== doc.version) return undefined;
    const problems = entry?.problems ?? [];
    const started = performance.now();
    const model = previewModel(text, problems);
    const millis = performance.now() - started;
    const found = entry ? entry.errors + entry.warnings : 0;
    const shown = problems.filter((p) => p.severity !== 'info').length;
    return {
      millis,
      update: {
        type: 'update',
        csv: this.csv.toString(),
        title: vscode.workspace.asRelativePath(this.csv),
        rows: model.rows,
        total: model.rows.length,
        otherProblems: model.otherProblems,
        capped: found > shown ? problems.length : undefined,
        base: this.panel.webview.asWebviewUri(this.folder).toString(),
        changed: this.changed,
        labels: labels(),
      },
    };
  }

  /** Sends the rows to the webview; a freshly loaded one first gets the first rows alone. */
  async update(entry?: LintEntry, built?: Promise<{ update: PreviewUpdate; millis: number } | undefined>): Promise<void> {
    // A lint or a file change before the page is ready makes the rows built meanwhile stale.
    if (!this.ready) { this.prebuilt = undefined; return; }
    const started = performance.now();
    const next = await (built ?? this.build(entry));
    if (!next) return;
    const { update } = next;
    const first = !this.complete && update.rows.length > FIRST_ROWS ? { ...update, rows: update.rows.slice(0, FIRST_ROWS) } : update;
    this.complete = true;
    const posting = performance.now();
    await this.panel.webview.postMessage(first);
    this.lastUpdate = { model: next.millis, wait: posting - started, post: performance.now() - posting };
    if (first !== update) await this.panel.webview.postMessage(update);
  }

  /** Shows the row in the editor that holds the CSV (opening it beside the preview if none does). */
  private async reveal(line: number): Promise<void> {
    const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === this.csv.toString());
    const column = visible?.viewColumn ?? (this.panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One);
    const at = new vscode.Range(line, 0, line, 0);
    const editor = await vscode.window.showTextDocument(this.csv, { viewColumn: column, selection: at, preserveFocus: false });
    editor.revealRange(at, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  dispose(): void {
    clearTimeout(this.pending);
    for (const d of this.disposables) d.dispose();
  }
}

/** The CSV to preview: the argument (a CSV or a batch folder), the active batch, or the user's pick. */
async function chooseCsv(ctx: Ctx, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
  if (target?.scheme === 'file') {
    const stat = await vscode.workspace.fs.stat(target).then((s) => s, () => undefined);
    if (stat) return stat.type & vscode.FileType.Directory ? vscode.Uri.joinPath(target, BATCH_CSV_NAME) : target;
  }
  const active = vscode.window.activeTextEditor?.document;
  if (active && ctx.linter.isBatchDocument(active)) return active.uri;
  const known = ctx.linter.batchUris();
  if (known.length <= 1) return known[0];
  const pick = await vscode.window.showQuickPick(known.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })), { title: vscode.l10n.t('Jumio Batch: preview which batch?') });
  return pick?.uri;
}

/** The Preview Batch command and the panels it opens (one per CSV, restored after a reload). */
export function registerPreview(ctx: Ctx): vscode.Disposable {
  const open = new Map<string, BatchPreview>();
  const adopt = (panel: vscode.WebviewPanel, csv: vscode.Uri): BatchPreview => {
    const preview = new BatchPreview(ctx, panel, csv, () => open.delete(csv.toString()));
    open.set(csv.toString(), preview);
    return preview;
  };
  return vscode.Disposable.from(
    vscode.commands.registerCommand(PREVIEW_COMMAND, async (target?: unknown) => {
      const csv = await chooseCsv(ctx, target instanceof vscode.Uri ? target : undefined);
      if (!csv) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Jumio Batch: open a batch\'s {0} to preview it (or right-click it in the Explorer).', BATCH_CSV_NAME));
        return undefined;
      }
      const existing = open.get(csv.toString());
      if (existing) { existing.panel.reveal(vscode.ViewColumn.Beside); return existing.panel; }
      const panel = vscode.window.createWebviewPanel(PREVIEW_VIEW_TYPE, path.basename(csv.fsPath), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {});
      adopt(panel, csv);
      ctx.log.info('preview opened');
      return panel;
    }),
    vscode.window.registerWebviewPanelSerializer(PREVIEW_VIEW_TYPE, {
      async deserializeWebviewPanel(panel, state: SavedState | undefined) {
        if (typeof state?.csv !== 'string') { panel.dispose(); return; }
        adopt(panel, vscode.Uri.parse(state.csv));
      },
    }),
    { dispose: () => { for (const p of open.values()) p.panel.dispose(); } },
  );
}
