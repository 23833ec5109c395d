import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { imageUri } from '../../../src/core';
import { makePng } from '../../helpers/images';
import { SEED_HEADER, seedRow } from '../../helpers/lint';
import { EXTENSION_ID, api, makeBatchFolder } from '../helpers';

describe('the batch preview', () => {
  before(async () => { await api(); });
  afterEach(async () => { await vscode.commands.executeCommand('workbench.action.closeAllEditors'); });

  it('opens beside the editor with a strict CSP, a script nonce, and only the batch folder and the extension as resource roots', async () => {
    const { folder, csv } = makeBatchFolder(`${SEED_HEADER}\n${seedRow({ frontImage: 'id/front page.png', backImage: 'b.png', faceImage: 'f.png' })}\n`,
      { 'id/front page.png': makePng(8, 8), 'b.png': makePng(8, 8), 'f.png': makePng(8, 8) });
    await vscode.window.showTextDocument(csv, { viewColumn: vscode.ViewColumn.One });
    const panel = await vscode.commands.executeCommand<vscode.WebviewPanel>('jumioBatch.previewBatch');
    assert.ok(panel, 'the command returns its panel');
    assert.equal(panel.viewType, 'jumioBatch.preview');
    // The panel learns its column when the workbench has placed it.
    if (panel.viewColumn === undefined) await new Promise<void>((resolve) => { const d = panel.onDidChangeViewState(() => { d.dispose(); resolve(); }); });
    assert.equal(panel.viewColumn, vscode.ViewColumn.Two, `beside the editor: column ${panel.viewColumn}`);
    const ext = (vscode.extensions.getExtension(EXTENSION_ID) as vscode.Extension<unknown>).extensionUri;
    assert.deepEqual(panel.webview.options.localResourceRoots?.map((u) => u.toString()),
      [vscode.Uri.file(folder), vscode.Uri.joinPath(ext, 'dist'), vscode.Uri.joinPath(ext, 'media')].map((u) => u.toString()));
    assert.equal(panel.webview.options.enableScripts, true);
    const html = panel.webview.html;
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    const source = panel.webview.cspSource;
    assert.equal(csp, `default-src 'none'; img-src ${source}; style-src ${source}; script-src 'nonce-${nonce}';`, 'nothing but the webview\'s own resources, and scripts by nonce');
    assert.ok(nonce && nonce.length >= 16);
    assert.deepEqual([...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]), [`<script nonce="${nonce}" src="${panel.webview.asWebviewUri(vscode.Uri.joinPath(ext, 'dist', 'preview.js'))}">`]);
    assert.doesNotMatch(html, /\s(style|on\w+)="/, 'no inline style or handler: the CSP would refuse them');
    // An image's URI in the webview is the folder's webview URI joined with its path: what asWebviewUri gives for the file.
    const base = panel.webview.asWebviewUri(vscode.Uri.file(folder)).toString();
    assert.equal(imageUri(base, 'id/front page.png'), panel.webview.asWebviewUri(vscode.Uri.file(path.join(folder, 'id', 'front page.png'))).toString());
  });

  it('opens one preview per CSV: the command again shows the same panel; from the Explorer a folder stands for its input.csv', async () => {
    const { folder, csv } = makeBatchFolder(`${SEED_HEADER}\n${seedRow()}\n`);
    const first = await vscode.commands.executeCommand<vscode.WebviewPanel>('jumioBatch.previewBatch', csv);
    const again = await vscode.commands.executeCommand<vscode.WebviewPanel>('jumioBatch.previewBatch', vscode.Uri.file(folder));
    assert.equal(again, first);
    assert.equal(first.title, `Preview: ${path.basename(folder)}`);
  });

  it('logs its first paint by counts only, never an image name or a cell value', async () => {
    const { csv } = makeBatchFolder(`${SEED_HEADER}\n${seedRow({ customerInternalReference: 'secret-ref-42', frontImage: 'private-name.png' })}\n`, { 'private-name.png': makePng(8, 8) });
    const { ctx } = await api();
    const before = ctx.log.recent.length;
    await vscode.commands.executeCommand('jumioBatch.previewBatch', csv);
    const lines = ctx.log.recent.slice(before);
    assert.ok(lines.includes('preview opened'), lines.join('\n'));
    assert.deepEqual(lines.filter((l) => /secret-ref|private-name/.test(l)), []);
  });
});
