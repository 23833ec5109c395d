import * as assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { openWorkbench, ROOT, type Workbench } from '../helpers/workbench';

const SCREENSHOTS = path.join(ROOT, 'out/screenshots');

describe('the workbench of a real VS Code with the extension loaded', () => {
  let workspace: string;
  let wb: Workbench;

  before(async () => {
    workspace = mkdtempSync(path.join(tmpdir(), 'jumio-ui-'));
    cpSync(path.join(ROOT, 'examples'), workspace, { recursive: true });
    wb = await openWorkbench({ workspace });
  });

  after(async () => {
    await wb?.stop();
    rmSync(workspace, { recursive: true, force: true });
  });

  it('opens batch/input.csv from the explorer in an editor tab', async () => {
    const { page } = wb;
    const explorer = page.locator('.explorer-folders-view');
    await explorer.getByRole('treeitem', { name: 'batch', exact: true }).click();
    await explorer.getByRole('treeitem', { name: 'input.csv', exact: true }).click();
    const tab = page.locator('.tabs-container .tab.active');
    await tab.waitFor({ state: 'visible' });
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'workbench-input-csv.png') });
    // The label renders the name and the extension in separate elements (innerText 'input\n.csv').
    assert.equal((await tab.textContent())?.trim(), 'input.csv');
    assert.match(await tab.getAttribute('aria-label') ?? '', /^input\.csv\b/);
    // The one under batch/, not broken-batch/.
    const crumbs = page.locator('.breadcrumbs-control .monaco-breadcrumb-item');
    await crumbs.last().waitFor({ state: 'visible' });
    assert.deepEqual((await crumbs.allTextContents()).map((t) => t.trim()), ['batch', 'input.csv']);
  });
});
