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

describe('activation cost', () => {
  it('activates in well under 100 ms of its own work, and its bundle loads fast', async () => {
    const ext = vscode.extensions.getExtension<import('../../../src/extension/extension').JumioBatchApi>(EXTENSION_ID);
    assert.ok(ext);
    const api = await ext.activate();
    // Loading the bundle again measures what the host pays before activate() (the module is pure).
    const bundle = path.join(ext.extensionPath, 'dist', 'extension.js');
    const started = performance.now();
    delete require.cache[require.resolve(bundle)];
    require(bundle);
    const loadMillis = performance.now() - started;
    console.log(`activation: activate() ${api.activationMillis.toFixed(1)} ms, bundle load ${loadMillis.toFixed(1)} ms`);
    assert.ok(api.activationMillis < 100, `activate() took ${api.activationMillis} ms`);
    assert.ok(loadMillis < 1000, `loading the bundle took ${loadMillis} ms`);
  });
});

describe('commands', () => {
  it('registers every command the manifest declares', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    await ext.activate();
    const declared: string[] = ext.packageJSON.contributes.commands.map((c: { command: string }) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(declared.filter((c) => !registered.has(c)), []);
  });
});
