// The .vsix a user installs: built offline by `npm run package`, installed into a real VS Code
// with --install-extension (no development path), and activated by opening a batch.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { openWorkbench, ROOT, runCommand, type Workbench } from '../helpers/workbench';

/** The file names in a zip's central directory (a .vsix is a zip). */
function zipEntries(file: string): string[] {
  return centralDirectory(readFileSync(file)).map((e) => e.name);
}

function centralDirectory(zip: Buffer): { name: string; method: number; size: number; offset: number }[] {
  const out = [];
  for (let i = zip.indexOf('PK\x01\x02'); i >= 0; i = zip.indexOf('PK\x01\x02', i + 46)) {
    const nameLength = zip.readUInt16LE(i + 28);
    out.push({ name: zip.toString('utf8', i + 46, i + 46 + nameLength), method: zip.readUInt16LE(i + 10), size: zip.readUInt32LE(i + 20), offset: zip.readUInt32LE(i + 42) });
  }
  return out;
}

/** One file of a zip, stored or deflated. */
function zipFile(file: string, name: string): string {
  const zip = readFileSync(file);
  const e = centralDirectory(zip).find((x) => x.name === name);
  assert.ok(e, name);
  const start = e.offset + 30 + zip.readUInt16LE(e.offset + 26) + zip.readUInt16LE(e.offset + 28);
  const data = zip.subarray(start, start + e.size);
  return (e.method === 8 ? inflateRawSync(data) : data).toString('utf8');
}

describe('the packaged extension', function () {
  this.timeout(240_000);
  let workspace: string;
  let vsix: string;
  let wb: Workbench;

  before(() => {
    const dir = mkdtempSync(path.join(tmpdir(), 'jumio-vsix-'));
    vsix = path.join(dir, 'jumio-batch.vsix');
    execFileSync(process.execPath, ['scripts/package.mjs'], { cwd: ROOT, env: { ...process.env, JUMIO_BATCH_VSIX: vsix }, stdio: 'pipe' });
    workspace = mkdtempSync(path.join(tmpdir(), 'jumio-ui-'));
    cpSync(path.join(ROOT, 'examples'), workspace, { recursive: true });
  });

  after(async () => {
    await wb?.stop();
    rmSync(workspace, { recursive: true, force: true });
    rmSync(path.dirname(vsix), { recursive: true, force: true });
  });

  it('is small: the bundles, the manifest with its English strings, icon, changelog and media; no node_modules', () => {
    const entries = zipEntries(vsix);
    for (const f of ['dist/extension.js', 'dist/lintWorker.js', 'dist/preview.js', 'package.json', 'package.nls.json', 'l10n/bundle.l10n.json',
      'changelog.md', 'readme.md', 'media/icon.png', 'media/preview.css', 'media/walkthrough/connect.md', 'media/walkthrough/sandbox.svg',
      'syntaxes/jumio-batch-csv.tmLanguage.json', 'language-configuration.json']) {
      assert.ok(entries.includes(`extension/${f}`), `${f} in ${entries.join(', ')}`);
    }
    assert.deepEqual(entries.filter((e) => /node_modules|\.ts$|\.map$|^extension\/(src|test|out|examples|docs|scripts)\/|cli\.js/.test(e)), []);
    assert.ok(entries.length < 30, entries.join(', '));
    assert.ok(statSync(vsix).size < 400_000, `${statSync(vsix).size} bytes`);
    // The gallery's manifest names the icon, the banner and the English display name from package.nls.json.
    const manifest = zipFile(vsix, 'extension.vsixmanifest');
    assert.match(manifest, /<Icon>extension\/media\/icon\.png<\/Icon>/);
    assert.match(manifest, /<DisplayName>Jumio Batch<\/DisplayName>/);
    assert.match(manifest, /Branding\.Color" Value="#12355b"/);
    assert.match(zipFile(vsix, 'extension/package.json'), /"title": "%command\.previewBatch\.title%"/);
  });

  it('installs with --install-extension and activates on a batch: linting and the status bar work', async () => {
    wb = await openWorkbench({ workspace, vsix });
    const { page } = wb;
    const explorer = page.locator('.explorer-folders-view');
    await explorer.getByRole('treeitem', { name: 'batch', exact: true }).click();
    await explorer.getByRole('treeitem', { name: 'input.csv', exact: true }).click();
    await page.locator('.part.statusbar .statusbar-item', { hasText: /Batch: 2 rows, ready/ }).first().waitFor({ state: 'visible', timeout: 60_000 });
    // The language mode is the extension's, so its grammar and language configuration loaded too.
    await page.locator('.part.statusbar .statusbar-item', { hasText: 'Jumio Batch CSV' }).first().waitFor({ state: 'visible' });
    mkdirSync(path.join(ROOT, 'out/screenshots'), { recursive: true });
    await page.screenshot({ path: path.join(ROOT, 'out/screenshots/vsix-installed.png') });
  });

  it('opens the preview from the installed files: its webview script and style are in the package', async () => {
    const { page } = wb;
    await runCommand(page, 'Jumio Batch: Preview Batch');
    const rows = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame').locator('.row');
    await rows.nth(1).waitFor({ state: 'visible', timeout: 60_000 });
    assert.equal(await rows.count(), 2);
    assert.equal(await rows.first().locator('img').count(), 3);
  });
});
