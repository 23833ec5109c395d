import * as assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { makeBatch } from '../../helpers/batch';
import { keygen, Sshd, startSshd } from '../../helpers/sshd';
import { restoreConnection } from '../../../src/extension/sandbox';
import type { UploadOutcome } from '../../../src/extension/upload';
import { api, codes, scriptedUi, waitForDiagnostics, withSettings, workspaceDir } from '../helpers';

describe('commands', function () {
  this.timeout(120_000);
  before(async () => { await api(); });

  it('New Batch Folder scaffolds a header-only input.csv with a note of the steps, and opens it', async () => {
    const parent = vscode.Uri.file(path.join(workspaceDir(), `new-${Date.now()}`));
    await vscode.workspace.fs.createDirectory(parent);
    const csv = await vscode.commands.executeCommand<vscode.Uri>('jumioBatch.newBatchFolder', parent);
    assert.equal(path.basename(csv.fsPath), 'input.csv');
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, csv.fsPath);
    assert.equal(readFileSync(csv.fsPath, 'utf8').split('\n').filter(Boolean).length, 1, 'the header only');
    assert.ok(existsSync(path.join(path.dirname(csv.fsPath), 'STEPS.md')));
    await waitForDiagnostics(csv, (ds) => codes(csv).join() === 'no-rows' && ds.length === 1, 'only no-rows');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('Split Batch cuts a CSV over the row limit into batch folders, images sorted along', async () => {
    const source = makeBatch(5, 64, path.join(workspaceDir(), `big-${Date.now()}`));
    const c = vscode.workspace.getConfiguration('jumioBatch.lint');
    await c.update('maxRows', 2, vscode.ConfigurationTarget.Workspace);
    try {
      const csv = vscode.Uri.file(path.join(source, 'input.csv'));
      await waitForDiagnostics(csv, (ds) => codes(csv).includes('row-limit') && ds.length > 0, 'row-limit at 2 rows');
      const parts = await vscode.commands.executeCommand<string[]>('jumioBatch.splitBatch', csv);
      assert.equal(parts.length, 3);
      const rows = parts.map((p) => readFileSync(path.join(p, 'input.csv'), 'utf8').trim().split('\n').length - 1);
      assert.equal(rows.reduce((a, b) => a + b, 0), 5);
      for (const p of parts) {
        const partCsv = vscode.Uri.file(path.join(p, 'input.csv'));
        await waitForDiagnostics(partCsv, (ds) => ds.length === 0, `${path.basename(p)} clean`);
      }
    } finally {
      await c.update('maxRows', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('Split Batch leaves a batch within the row limit alone', async () => {
    const csv = vscode.Uri.file(path.join(workspaceDir(), 'batch', 'input.csv'));
    await waitForDiagnostics(csv, (ds) => ds.length === 0, 'the clean example linted');
    const before = readdirSync(workspaceDir()).sort();
    assert.deepEqual(await vscode.commands.executeCommand<string[]>('jumioBatch.splitBatch', csv), []);
    assert.deepEqual(readdirSync(workspaceDir()).sort(), before, 'no part folder made');
  });

  describe('with a real sshd', () => {
    let sshd: Sshd;
    let restore: () => Promise<void>;

    before(async () => {
      sshd = await startSshd();
      restore = await withSettings('jumioBatch.connection', {
        host: sshd.host, port: sshd.port, user: sshd.user, identityFile: sshd.clientKey, useAgent: false,
        knownHostsFile: sshd.knownHosts, remoteDir: sshd.home,
      });
    });
    after(async () => {
      await restore?.();
      await sshd?.stop();
    });

    it('Resume Upload finishes a cancelled upload in the same batch folder, then DONE', async () => {
      const { ctx, setUi } = await api();
      setUi(scriptedUi());
      const folder = makeBatch(40, 200_000, path.join(workspaceDir(), `resume-${Date.now()}`));
      // Cancel as soon as the first file is through, as the notification's Cancel would.
      let seen = '';
      const sub = ctx.onDidProgress((p) => {
        if (p.phase === 'uploading' && p.filesDone >= 1) {
          seen = ctx.status.uploadItem.text;
          ctx.uploading?.abort();
          sub.dispose();
        }
      });
      const first = await vscode.commands.executeCommand<UploadOutcome>('jumioBatch.upload', vscode.Uri.file(folder));
      sub.dispose();
      assert.match(seen, /^\$\(sync~spin\) Uploading \d+\/121 \(\d+%\)$/, 'the status bar showed the progress');
      assert.equal(first.status, 'incomplete', JSON.stringify(first));
      const id = (first as { batchId: string }).batchId;
      assert.equal(existsSync(path.join(sshd.home, id, 'DONE')), false, 'no DONE after a cancel');
      assert.equal(ctx.history.entries()[0].status, 'incomplete');
      assert.equal(ctx.status.uploadItem.text, `$(warning) Batch ${id}: incomplete`);
      const second = await vscode.commands.executeCommand<UploadOutcome>('jumioBatch.resumeUpload', id);
      assert.equal(second.status, 'sent', JSON.stringify(second));
      assert.equal((second as { batchId: string }).batchId, id);
      assert.ok(existsSync(path.join(sshd.home, id, 'DONE')));
      assert.ok((second as { result: { skipped: number } }).result.skipped > 0, 'files already there are not sent again');
      assert.equal(ctx.history.entries()[0].status, 'sent');
    });

    it('keeps a key passphrase in Secret Storage, and Forget Saved Credentials drops it', async () => {
      const { setUi } = await api();
      const dir = mkdtempSync(path.join(os.tmpdir(), 'jb-key-'));
      const key = keygen(path.join(dir, 'locked'), 'ed25519', 'correct horse');
      appendFileSync(path.join(sshd.dir, 'authorized_keys'), readFileSync(`${key}.pub`));
      const undo = await withSettings('jumioBatch.connection', { identityFile: key });
      try {
        const folder = path.join(workspaceDir(), 'batch');
        const ui1 = scriptedUi({ passphrase: 'correct horse' });
        setUi(ui1);
        assert.equal((await vscode.commands.executeCommand<UploadOutcome>('jumioBatch.upload', vscode.Uri.file(folder))).status, 'sent');
        assert.deepEqual(ui1.asked.filter((a) => a.startsWith('passphrase')), [`passphrase: ${key}`]);
        const ui2 = scriptedUi({ passphrase: 'never asked' });
        setUi(ui2);
        assert.equal((await vscode.commands.executeCommand<UploadOutcome>('jumioBatch.upload', vscode.Uri.file(folder))).status, 'sent');
        assert.deepEqual(ui2.asked.filter((a) => a.startsWith('passphrase')), [], 'the saved passphrase is used');
        assert.equal(await vscode.commands.executeCommand('jumioBatch.forgetCredentials'), 1);
        const ui3 = scriptedUi({ passphrase: 'correct horse' });
        setUi(ui3);
        assert.equal((await vscode.commands.executeCommand<UploadOutcome>('jumioBatch.upload', vscode.Uri.file(folder))).status, 'sent');
        assert.equal(ui3.asked.filter((a) => a.startsWith('passphrase')).length, 1, 'asked again after Forget');
      } finally {
        await undo();
        await vscode.commands.executeCommand('jumioBatch.forgetCredentials');
      }
    });
  });

  it('Start Local Sandbox: uploads go to it until it stops, then the connection settings come back', async () => {
    const { setUi } = await api();
    setUi(scriptedUi());
    const restore = await withSettings('jumioBatch.connection', { host: 'jumio.example.com', port: null });
    try {
      const info = await vscode.commands.executeCommand<{ port: number; root: string; fingerprint: string }>('jumioBatch.startSandbox', { use: true });
      const c = () => vscode.workspace.getConfiguration('jumioBatch.connection');
      assert.equal(c().get('host'), '127.0.0.1');
      assert.equal(c().get('hostKeyFingerprint'), info.fingerprint, 'pinned to the sandbox host key');
      const outcome = await vscode.commands.executeCommand<UploadOutcome>('jumioBatch.upload', vscode.Uri.file(path.join(workspaceDir(), 'batch')));
      assert.equal(outcome.status, 'sent', JSON.stringify(outcome));
      const id = (outcome as { batchId: string }).batchId;
      assert.ok(readdirSync(info.root).includes(id));
      await vscode.commands.executeCommand('jumioBatch.stopSandbox');
      assert.equal(c().get('host'), 'jumio.example.com');
      assert.equal(c().get('hostKeyFingerprint'), '');
    } finally {
      await restore();
    }
  });

  it('puts the connection settings back at the next start when a window closed with its sandbox running', async () => {
    const { ctx, setUi } = await api();
    setUi(scriptedUi());
    const restore = await withSettings('jumioBatch.connection', { host: 'jumio.example.com', port: null });
    try {
      await vscode.commands.executeCommand('jumioBatch.startSandbox', { use: true });
      const c = () => vscode.workspace.getConfiguration('jumioBatch.connection');
      assert.equal(c().get('host'), '127.0.0.1');
      // The window goes away: the sandbox dies with it, and nothing restored the settings.
      const running = ctx.sandbox;
      ctx.sandbox = undefined;
      await running?.stop();
      assert.equal(c().get('host'), '127.0.0.1');
      // What activation runs first thing.
      await restoreConnection(ctx);
      assert.equal(c().get('host'), 'jumio.example.com');
      assert.equal(c().get('hostKeyFingerprint'), '');
    } finally {
      await restore();
    }
  });
});
