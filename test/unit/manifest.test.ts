import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

// The extension manifest's promises: settings documented and scoped, connection settings out of a
// workspace's reach, commands in one category, no virtual workspaces.
const ROOT = path.resolve(__dirname, '../../..');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const props: Record<string, { scope?: string; markdownDescription?: string }> = pkg.contributes.configuration.properties;

describe('the extension manifest', () => {
  it('gives every setting a scope and a markdown description', () => {
    assert.ok(Object.keys(props).length >= 14);
    for (const [key, p] of Object.entries(props)) {
      assert.ok(p.scope, `${key} has a scope`);
      assert.ok(p.markdownDescription && p.markdownDescription.length > 20, `${key} has a markdownDescription`);
    }
  });

  it('keeps every connection setting machine-scoped and restricted in untrusted workspaces', () => {
    const connection = Object.keys(props).filter((k) => k.startsWith('jumioBatch.connection.'));
    assert.ok(connection.length >= 9);
    for (const k of connection) assert.equal(props[k].scope, 'machine', k);
    assert.deepEqual([...pkg.capabilities.untrustedWorkspaces.restrictedConfigurations].sort(), connection.sort());
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.equal(pkg.capabilities.virtualWorkspaces, false);
  });

  it('puts every command in the Jumio Batch category, internal ones hidden from the palette', () => {
    for (const c of pkg.contributes.commands) assert.equal(c.category, 'Jumio Batch', c.command);
    const titles = pkg.contributes.commands.map((c: { title: string }) => c.title);
    for (const t of ['Upload Batch…', 'Resume Upload…', 'New Batch Folder', 'Split Batch', 'Show Upload History', 'Start Local Sandbox', 'Forget Saved Credentials', 'Show Log']) {
      assert.ok(titles.includes(t), t);
    }
    const hidden = pkg.contributes.menus.commandPalette.filter((m: { when: string }) => m.when === 'false').map((m: { command: string }) => m.command).sort();
    assert.deepEqual(hidden, ['jumioBatch.removeBom', 'jumioBatch.statusBarClick']);
  });

  it('declares the batch CSV language with its grammar and activates lazily', () => {
    assert.deepEqual(pkg.contributes.languages[0].filenames, ['input.csv']);
    assert.equal(pkg.contributes.grammars[0].path, './syntaxes/jumio-batch-csv.tmLanguage.json');
    assert.ok(!pkg.activationEvents.includes('*'), 'never on startup of every window');
  });
});
