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
