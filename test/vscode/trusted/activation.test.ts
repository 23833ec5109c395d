import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'jumio-batch.jumio-batch';

describe('the extension in a trusted workspace of a real VS Code', () => {
  it('is installed and activates without error', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} should be loaded`);
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  it('runs in a trusted workspace', () => {
    assert.equal(vscode.workspace.isTrusted, true);
  });

  it('opens batch/input.csv as a Jumio Batch CSV', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'a workspace folder should be open');
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(folder.uri.fsPath, 'batch', 'input.csv')));
    assert.equal(doc.languageId, 'jumio-batch-csv');
  });
});
