import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pixelSize } from '../../src/core';

// The extension manifest's promises: settings documented and scoped, connection settings out of a
// workspace's reach, commands in one category, no virtual workspaces.
const ROOT = path.resolve(__dirname, '../../..');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const nls: Record<string, string> = JSON.parse(readFileSync(path.join(ROOT, 'package.nls.json'), 'utf8'));
/** A manifest string as English readers see it: `%key%` looked up in package.nls.json. */
const english = (v: string): string => (/^%.+%$/.test(v) ? nls[v.slice(1, -1)] : v);
const props: Record<string, { scope?: string; markdownDescription?: string }> = pkg.contributes.configuration.properties;

describe('the extension manifest', () => {
  it('gives every setting a scope and a markdown description', () => {
    assert.ok(Object.keys(props).length >= 14);
    for (const [key, p] of Object.entries(props)) {
      assert.ok(p.scope, `${key} has a scope`);
      assert.ok(p.markdownDescription && english(p.markdownDescription).length > 20, `${key} has a markdownDescription`);
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
    for (const c of pkg.contributes.commands) assert.equal(english(c.category), 'Jumio Batch', c.command);
    const titles = pkg.contributes.commands.map((c: { title: string }) => english(c.title));
    for (const t of ['Upload Batch…', 'Preview Batch', 'Get Started', 'Resume Upload…', 'New Batch Folder', 'Split Batch', 'Show Upload History', 'Start Local Sandbox', 'Forget Saved Credentials', 'Show Log']) {
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

  it('offers Preview Batch in the editor title bar of an input.csv and in the Explorer\'s context menu', () => {
    const title = pkg.contributes.menus['editor/title'].find((m: { command: string }) => m.command === 'jumioBatch.previewBatch');
    assert.match(title?.when ?? '', /resourceFilename == input\.csv/);
    const explorer = pkg.contributes.menus['explorer/context'].find((m: { command: string }) => m.command === 'jumioBatch.previewBatch');
    assert.match(explorer?.when ?? '', /explorerResourceIsFolder/);
    assert.ok(pkg.activationEvents.includes('onWebviewPanel:jumioBatch.preview'), 'a preview left open comes back after a reload');
  });

  it('walks a first user through connecting, a batch folder, the preview, a rehearsal and an upload, each step with media and a completion event', () => {
    const [walk] = pkg.contributes.walkthroughs;
    assert.equal(walk.id, 'jumioBatch.gettingStarted');
    assert.deepEqual(walk.steps.map((s: { id: string }) => s.id), ['connect', 'folder', 'preview', 'rehearse', 'upload']);
    for (const step of walk.steps) {
      const media = step.media.markdown ?? step.media.image;
      assert.ok(media && existsSync(path.join(ROOT, media)), `${step.id}: ${media}`);
      if (step.media.image) assert.ok(step.media.altText, `${step.id} has an alt text`);
      assert.ok(step.completionEvents.length > 0, `${step.id} completes`);
      for (const cmd of english(step.description).matchAll(/\]\(command:([\w.]+)/g)) {
        const own = cmd[1].startsWith('jumioBatch.');
        assert.ok(!own || pkg.contributes.commands.some((c: { command: string }) => c.command === cmd[1]), `${step.id} links ${cmd[1]}`);
      }
    }
    assert.match(english(walk.steps[0].description), /Settings › Identity Verification › Batch Uploads › Batch Credentials/);
    assert.match(english(walk.steps[4].description), /\.jumio-batch\/<batch id>\.json/);
  });

  it('carries what a gallery needs: a 128×128 PNG icon, keywords, repository, bugs, a banner', () => {
    const icon = readFileSync(path.join(ROOT, pkg.icon));
    assert.deepEqual(pixelSize(icon, icon.length), { width: 128, height: 128 });
    assert.ok(pkg.keywords.length >= 3 && pkg.keywords.length <= 30);
    assert.match(pkg.repository.url, /^https:\/\//);
    assert.match(pkg.bugs.url, /\/issues$/);
    assert.match(pkg.galleryBanner.color, /^#[0-9a-f]{6}$/i);
    assert.ok(['dark', 'light'].includes(pkg.galleryBanner.theme));
    assert.match(readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8'), new RegExp(`^## ${pkg.version.replace(/\./g, '\\.')}$`, 'm'));
  });
});
