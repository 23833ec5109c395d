import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

describe('the extension in an untrusted workspace of a real VS Code', () => {
  it('runs in Restricted Mode', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  it('is loaded there too (it declares limited support for untrusted workspaces)', async () => {
    const ext = vscode.extensions.getExtension('jumio-batch.jumio-batch');
    assert.ok(ext);
    await ext.activate();
    assert.equal(ext.isActive, true);
  });
});
