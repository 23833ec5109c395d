// What a person sees: the real workbench in Chromium, the extension loaded, a real sshd on
// 127.0.0.1. Opens a batch from the explorer, reads the Problems panel, uploads from the command
// palette through the real modals (confirmation, host-key fingerprint), and watches the status
// bar. Screenshots go to out/screenshots/ (the README's come from here).
import * as assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { openFromExplorer, openWorkbench, ROOT, runCommand, shot, statusItem, type Workbench } from '../helpers/workbench';
import { Sshd, startSshd } from '../helpers/sshd';

const BATCH_ID = /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/;

describe('the product in a real VS Code workbench', function () {
  this.timeout(180_000);
  let workspace: string;
  let wb: Workbench;
  let sshd: Sshd;
  let knownHosts: string;

  before(async () => {
    sshd = await startSshd();
    workspace = mkdtempSync(path.join(tmpdir(), 'jumio-ui-'));
    cpSync(path.join(ROOT, 'examples'), workspace, { recursive: true });
    knownHosts = path.join(mkdtempSync(path.join(tmpdir(), 'jumio-ui-kh-')), 'known_hosts');
    wb = await openWorkbench({
      workspace,
      userSettings: { 'workbench.colorTheme': 'Default Dark Modern' },
      machineSettings: {
        'jumioBatch.connection.host': sshd.host,
        'jumioBatch.connection.port': sshd.port,
        'jumioBatch.connection.user': sshd.user,
        'jumioBatch.connection.identityFile': sshd.clientKey,
        'jumioBatch.connection.useAgent': false,
        'jumioBatch.connection.knownHostsFile': knownHosts,
        'jumioBatch.connection.remoteDir': sshd.home,
      },
    });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && wb) {
      await shot(wb.page, `failed-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`);
      // The extension's own log, for the reason.
      const runDir = (wb.server as unknown as { runDir: string }).runDir;
      const logs = require('node:child_process').execFileSync('sh', ['-c', `find ${runDir} -name 'Jumio Batch.log' -o -name '*jumio*.log' | head -3 | tr '\\n' '\\0' | xargs -0 -r tail -n 30`]).toString();
      console.log(logs);
    }
  });

  after(async () => {
    await wb?.stop();
    await sshd?.stop();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  it('shows the broken batch\'s problems with their rule codes in the Problems panel, and the error count in the status bar', async () => {
    const { page } = wb;
    await openFromExplorer(page, 'broken-batch');
    await statusItem(page, /Batch: \d+ errors/).waitFor({ state: 'visible', timeout: 30_000 });
    await page.keyboard.press('Control+Shift+M');
    const rows = page.locator('.markers-panel .monaco-list-row');
    await rows.first().waitFor({ state: 'visible', timeout: 30_000 });
    const text = (await page.locator('.markers-panel').innerText());
    // The list is virtual: only the rows on screen are in the page, the first file's header first.
    for (const code of ['duplicate-column', 'blank-column-name', 'image-case-mismatch', 'required-value', 'forbidden-character']) {
      assert.ok(text.includes(code), `the Problems panel names ${code}`);
    }
    assert.match(text, /jumio-batch/);
    await shot(page, 'problems');
  });

  it('offers the quick fixes of a problem under the cursor', async () => {
    const { page } = wb;
    // Opening a marker (double-click) puts the cursor on it in the editor.
    await page.locator('.markers-panel .monaco-list-row', { hasText: 'forbidden-character' }).first().dblclick();
    await page.locator('.monaco-editor.focused').waitFor({ state: 'visible' });
    // Ctrl+. shows the menu once the editor has the fixes (a few presses on a loaded machine).
    const menu = page.locator('.action-widget', { hasText: 'Quick Fix' }).first();
    for (let i = 0; i < 5 && !(await menu.isVisible()); i++) {
      await page.keyboard.press('Control+.');
      await menu.waitFor({ state: 'visible', timeout: 3_000 }).catch(() => undefined);
    }
    assert.match(await menu.innerText(), /Remove the forbidden character/);
    assert.match(await menu.innerText(), /Remove all 3 forbidden characters/);
    await shot(page, 'quick-fix');
    await page.keyboard.press('Escape');
  });

  it('uploads the clean batch from the command palette: confirm, trust the fingerprint, then the batch id in the status bar', async () => {
    const { page } = wb;
    await openFromExplorer(page, 'batch', 'broken-batch');
    await statusItem(page, /Batch: 2 rows, ready/).waitFor({ state: 'visible', timeout: 30_000 });
    await shot(page, 'ready');
    await runCommand(page, 'Jumio Batch: Upload Batch…');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await dialog.innerText(), /Upload this batch to 127\.0\.0\.1\?[\s\S]*2 rows, 6 images/);
    await shot(page, 'confirm');
    await dialog.getByRole('button', { name: 'Upload', exact: true }).click();
    const trust = page.locator('.monaco-dialog-box', { hasText: 'authenticity' });
    await trust.waitFor({ state: 'visible', timeout: 30_000 });
    assert.ok((await trust.innerText()).includes(sshd.hostKeyFingerprint), 'the modal shows the server\'s SHA256 fingerprint');
    await shot(page, 'host-key');
    await trust.getByRole('button', { name: 'Trust and Connect' }).click();
    const done = statusItem(page, BATCH_ID);
    await done.waitFor({ state: 'visible', timeout: 60_000 });
    const id = ((await done.innerText()).match(BATCH_ID) as RegExpMatchArray)[0];
    await shot(page, 'uploaded');
    assert.ok(existsSync(path.join(sshd.home, id, 'DONE')), 'DONE on the server');
    assert.deepEqual(readdirSync(path.join(sshd.home, id)).sort(), [...readdirSync(path.join(workspace, 'batch')).filter((n) => n !== '.jumio-batch'), 'DONE'].sort(), 'the batch as linted: the receipt stays local');
    assert.match(readFileSync(knownHosts, 'utf8'), /^\[127\.0\.0\.1\]:\d+ ssh-ed25519 /m);
  });

  it('clicking the batch id in the status bar offers copy and the upload history, which lists the batch', async () => {
    const { page } = wb;
    const item = statusItem(page, BATCH_ID);
    const id = ((await item.innerText()).match(BATCH_ID) as RegExpMatchArray)[0];
    await item.click();
    const pick = page.locator('.quick-input-widget');
    await pick.locator('.monaco-list-row', { hasText: 'Copy batch id' }).waitFor({ state: 'visible' });
    await pick.locator('.monaco-list-row', { hasText: 'Show upload history' }).click();
    const row = pick.locator('.monaco-list-row', { hasText: id });
    await row.waitFor({ state: 'visible' });
    assert.match(await row.innerText(), /DONE written/);
    await shot(page, 'history');
    await page.keyboard.press('Escape');
  });
});
