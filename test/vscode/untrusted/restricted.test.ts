import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { UploadOutcome } from '../../../src/extension/upload';
import { api, hasCode, scriptedUi, waitForDiagnostics, workspaceDir } from '../helpers';

describe('Restricted Mode', () => {
  it('still lints batch files', async () => {
    await api();
    const csv = vscode.Uri.file(path.join(workspaceDir(), 'broken-batch', 'input.csv'));
    await waitForDiagnostics(csv, hasCode('forbidden-character'), 'diagnostics in Restricted Mode');
  });

  it('shows an image cell\'s thumbnail in the hover: it only reads the batch folder', async () => {
    await api();
    const csv = vscode.Uri.file(path.join(workspaceDir(), 'batch', 'input.csv'));
    const doc = await vscode.workspace.openTextDocument(csv);
    const column = doc.lineAt(1).text.indexOf('0_200014954151.front.png');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', csv, new vscode.Position(1, column + 1));
    const text = hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : c.value)).join('\n').replace(/&nbsp;/g, ' ');
    assert.match(text, /!\[frontImage of row 1\]\(file:\/\/.*0_200014954151\.front\.png\|width=64,height=40\)/);
    assert.match(text, /64 × 40 px · 144 B · PNG/);
  });

  it('refuses to upload, before asking anything or connecting', async () => {
    const { setUi } = await api();
    const ui = scriptedUi();
    setUi(ui);
    const outcome = await vscode.commands.executeCommand<UploadOutcome>('jumioBatch.upload', vscode.Uri.file(path.join(workspaceDir(), 'batch')));
    assert.deepEqual(outcome, { status: 'refused', reason: 'untrusted' });
    assert.deepEqual(ui.asked, []);
  });

  it('does not start the sandbox', async () => {
    assert.equal(await vscode.commands.executeCommand('jumioBatch.startSandbox', { use: true }), undefined);
    const { ctx } = await api();
    assert.equal(ctx.sandbox, undefined);
  });
});
