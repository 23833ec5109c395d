// The .vsix a user installs: built offline by `npm run package`, installed into a real VS Code
// with --install-extension (no development path), and activated by opening a batch.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { openWorkbench, ROOT, type Workbench } from '../helpers/workbench';

/** The file names in a zip's central directory (a .vsix is a zip). */
function zipEntries(file: string): string[] {
  const zip = readFileSync(file);
  const names: string[] = [];
  for (let i = zip.indexOf('PK\x01\x02'); i >= 0; i = zip.indexOf('PK\x01\x02', i + 46)) {
    const nameLength = zip.readUInt16LE(i + 28);
    names.push(zip.toString('utf8', i + 46, i + 46 + nameLength));
  }
  return names;
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

  it('is small: one bundled file, no node_modules', () => {
    const entries = zipEntries(vsix);
    assert.ok(entries.includes('extension/dist/extension.js'), entries.join(', '));
    assert.ok(entries.includes('extension/syntaxes/jumio-batch-csv.tmLanguage.json'));
    assert.deepEqual(entries.filter((e) => /node_modules|\.ts$|\.map$|^extension\/(src|test|out|examples)\/|cli\.js/.test(e)), []);
    assert.ok(entries.length < 12, entries.join(', '));
    assert.ok(statSync(vsix).size < 400_000, `${statSync(vsix).size} bytes`);
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
});
