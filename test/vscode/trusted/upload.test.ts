import * as assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { checksums } from '../../helpers/batch';
import { keygen } from '../../helpers/sshd';
import { Sshd, startSshd } from '../../helpers/sshd';
import { api, scriptedUi, withSettings, workspaceDir } from '../helpers';
import type { UploadOutcome } from '../../../src/extension/upload';

const BATCH_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function remoteBatches(sshd: Sshd): string[] {
  return readdirSync(sshd.home).filter((n) => BATCH_ID.test(n)).sort();
}

describe('upload from the editor to a real sshd', function () {
  this.timeout(120_000);
  let sshd: Sshd;
  let restore: () => Promise<void>;
  let knownHosts: string;

  before(async () => {
    await api();
    sshd = await startSshd();
    knownHosts = path.join(mkdtempSync(path.join(os.tmpdir(), 'jb-kh-')), 'known_hosts');
    restore = await withSettings('jumioBatch.connection', {
      host: sshd.host, port: sshd.port, user: sshd.user, identityFile: sshd.clientKey, useAgent: false,
      knownHostsFile: knownHosts, remoteDir: sshd.home,
    });
  });

  after(async () => {
    await restore?.();
    await sshd?.stop();
  });

  it('asks to trust the unknown host key by its SHA256 fingerprint, records it, and sends the batch with DONE', async () => {
    const { ctx, setUi } = await api();
    const ui = scriptedUi();
    setUi(ui);
    const folder = path.join(workspaceDir(), 'batch');
    const outcome = await vscode.commands.executeCommand<UploadOutcome>('jumioBatch.upload', vscode.Uri.file(folder));
    assert.equal(outcome.status, 'sent', JSON.stringify(outcome));
    assert.ok(outcome.status === 'sent' && BATCH_ID.test(outcome.batchId));
    const id = (outcome as { batchId: string }).batchId;
    assert.deepEqual(ui.fingerprints, [sshd.hostKeyFingerprint], 'the modal showed the server\'s real fingerprint');
    const confirmed = ui.asked.indexOf('confirm: Upload this batch to 127.0.0.1?');
    assert.ok(confirmed >= 0 && confirmed < ui.asked.findIndex((a) => a.startsWith('trust:')), `the user confirmed before anything was sent: ${ui.asked.join(' | ')}`);
    assert.match(readFileSync(knownHosts, 'utf8'), new RegExp(`^\\[127\\.0\\.0\\.1\\]:${sshd.port} ssh-ed25519 `, 'm'), 'the trusted key is recorded');
    const remote = path.join(sshd.home, id);
    assert.ok(existsSync(path.join(remote, 'DONE')), 'DONE written');
    const local = checksums(folder);
    const sent = checksums(remote);
    sent.delete('DONE');
    assert.deepEqual([...sent].sort(), [...local].sort(), 'every file arrived whole');
    assert.equal(ctx.status.uploadItem.text, `$(cloud-upload) Batch ${id}`, 'the status bar shows the batch id');
    assert.equal(ctx.history.entries()[0].batchId, id);
    assert.equal(ctx.history.entries()[0].status, 'sent');
    assert.equal(await vscode.commands.executeCommand('jumioBatch.copyBatchId'), id);
    assert.equal(await vscode.env.clipboard.readText(), id);
  });

  it('does not ask again for a recorded host', async () => {
    const { setUi } = await api();
    const ui = scriptedUi();
    setUi(ui);
    const before = remoteBatches(sshd).length;
    const outcome = await vscode.commands.executeCommand<UploadOutcome>('jumioBatch.upload', vscode.Uri.file(path.join(workspaceDir(), 'batch')));
    assert.equal(outcome.status, 'sent');
    assert.deepEqual(ui.fingerprints, []);
    assert.equal(remoteBatches(sshd).length, before + 1);
  });

  it('sends nothing when the user does not trust the host key', async () => {
    const { setUi } = await api();
    const fresh = path.join(mkdtempSync(path.join(os.tmpdir(), 'jb-kh-')), 'known_hosts');
    const undo = await withSettings('jumioBatch.connection', { knownHostsFile: fresh });
    try {
      const ui = scriptedUi({ trustHostKey: false });
      setUi(ui);
      const before = remoteBatches(sshd);
      const outcome = await vscode.commands.executeCommand<UploadOutcome>('jumioBatch.upload', vscode.Uri.file(path.join(workspaceDir(), 'batch')));
      assert.deepEqual(outcome, { status: 'refused', reason: 'host-key' });
      assert.deepEqual(ui.fingerprints, [sshd.hostKeyFingerprint]);
      assert.deepEqual(remoteBatches(sshd), before);
      assert.equal(existsSync(fresh), false, 'nothing recorded');
    } finally {
      await undo();
    }
  });

  it('refuses a changed host key without asking', async () => {
    const { setUi } = await api();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'jb-kh-'));
    const other = keygen(path.join(dir, 'impostor'));
    const pub = readFileSync(`${other}.pub`, 'utf8').split(' ');
    const changed = path.join(dir, 'known_hosts');
    writeFileSync(changed, `[127.0.0.1]:${sshd.port} ${pub[0]} ${pub[1]}\n`);
    const undo = await withSettings('jumioBatch.connection', { knownHostsFile: changed });
    try {
      const ui = scriptedUi();
      setUi(ui);
      const before = remoteBatches(sshd);
      const outcome = await vscode.commands.executeCommand<UploadOutcome>('jumioBatch.upload', vscode.Uri.file(path.join(workspaceDir(), 'batch')));
      assert.deepEqual(outcome, { status: 'refused', reason: 'host-key' });
      assert.deepEqual(ui.fingerprints, [], 'a changed key is never offered for trust');
      assert.deepEqual(remoteBatches(sshd), before);
    } finally {
      await undo();
    }
  });

  it('refuses a batch with lint errors and sends nothing', async () => {
    const { setUi } = await api();
    const ui = scriptedUi();
    setUi(ui);
    const before = remoteBatches(sshd);
    const outcome = await vscode.commands.executeCommand<UploadOutcome>('jumioBatch.upload', vscode.Uri.file(path.join(workspaceDir(), 'broken-batch')));
    assert.deepEqual(outcome, { status: 'refused', reason: 'lint' });
    assert.deepEqual(ui.asked, [], 'no confirmation for a batch that cannot go');
    assert.deepEqual(remoteBatches(sshd), before);
  });

  it('sends nothing when the user declines the confirmation', async () => {
    const { setUi } = await api();
    setUi(scriptedUi({ confirm: false }));
    const before = remoteBatches(sshd);
    const folder = path.join(workspaceDir(), `declined-${Date.now()}`);
    cpSync(path.join(workspaceDir(), 'batch'), folder, { recursive: true, filter: (p) => !p.includes('.jumio-batch') });
    const outcome = await vscode.commands.executeCommand<UploadOutcome>('jumioBatch.upload', vscode.Uri.file(folder));
    assert.deepEqual(outcome, { status: 'cancelled' });
    assert.deepEqual(remoteBatches(sshd), before);
  });

  it('saves an edited input.csv (after asking) before sending it', async () => {
    const { setUi } = await api();
    const ui = scriptedUi();
    setUi(ui);
    const folder = path.join(workspaceDir(), `edited-${Date.now()}`);
    cpSync(path.join(workspaceDir(), 'batch'), folder, { recursive: true });
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(path.join(folder, 'input.csv')));
    await editor.edit((e) => e.replace(new vscode.Range(1, 6, 1, 20), 'order-edited-1'));
    assert.equal(editor.document.isDirty, true);
    const outcome = await vscode.commands.executeCommand<UploadOutcome>('jumioBatch.upload');
    assert.equal(outcome.status, 'sent', JSON.stringify(outcome));
    assert.match(ui.asked[0], /^confirm: input\.csv has unsaved changes/);
    assert.equal(editor.document.isDirty, false);
    const sent = readFileSync(path.join(sshd.home, (outcome as { batchId: string }).batchId, 'input.csv'), 'utf8');
    assert.match(sent, /^10015,order-edited-1,/m, 'the saved text was sent');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('explains, and sends nothing, when no host is set', async () => {
    const { setUi } = await api();
    const ui = scriptedUi();
    setUi(ui);
    const undo = await withSettings('jumioBatch.connection', { host: undefined });
    try {
      const outcome = await vscode.commands.executeCommand<UploadOutcome>('jumioBatch.upload', vscode.Uri.file(path.join(workspaceDir(), 'batch')));
      assert.deepEqual(outcome, { status: 'refused', reason: 'no-host' });
      assert.deepEqual(ui.asked, []);
    } finally {
      await undo();
    }
  });

  it('asks before sending an input.csv that was already sent, and sends a new batch only on "Send Again as a New Batch"', async () => {
    const { ctx, setUi } = await api();
    const folder = path.join(workspaceDir(), `twice-${Date.now()}`);
    cpSync(path.join(workspaceDir(), 'batch'), folder, { recursive: true, filter: (p) => !p.includes('.jumio-batch') });
    setUi(scriptedUi());
    const first = await vscode.commands.executeCommand<UploadOutcome>('jumioBatch.upload', vscode.Uri.file(folder));
    assert.equal(first.status, 'sent', JSON.stringify(first));
    const entry = ctx.history.entries()[0];
    assert.ok(entry.receipt && existsSync(entry.receipt), 'the history links to the receipt');
    assert.equal(JSON.parse(readFileSync(entry.receipt, 'utf8')).batchId, entry.batchId);

    const before = remoteBatches(sshd);
    const declined = scriptedUi({ confirm: (m) => !/already sent/.test(m) });
    setUi(declined);
    const refused = await vscode.commands.executeCommand<UploadOutcome>('jumioBatch.upload', vscode.Uri.file(folder));
    assert.deepEqual(refused, { status: 'refused', reason: 'already-sent' });
    assert.deepEqual(declined.asked, ['confirm: This input.csv was already sent.'], 'asked before anything else');
    assert.deepEqual(remoteBatches(sshd), before);

    const accepted = scriptedUi();
    setUi(accepted);
    const again = await vscode.commands.executeCommand<UploadOutcome>('jumioBatch.upload', vscode.Uri.file(folder));
    assert.equal(again.status, 'sent', JSON.stringify(again));
    assert.notEqual((again as { batchId: string }).batchId, (first as { batchId: string }).batchId);
    assert.deepEqual(accepted.asked, ['confirm: This input.csv was already sent.', 'confirm: Upload this batch to 127.0.0.1?']);
  });

  it('claims its one upload slot at once: a second command while the first asks is refused as busy', async () => {
    const { setUi } = await api();
    let release: (yes: boolean) => void = () => undefined;
    const ui = scriptedUi();
    setUi({ ...ui, confirm: (message: string) => { ui.asked.push(message); return new Promise<boolean>((r) => { release = r; }); } });
    const folder = path.join(workspaceDir(), `busy-${Date.now()}`);
    cpSync(path.join(workspaceDir(), 'batch'), folder, { recursive: true, filter: (p) => !p.includes('.jumio-batch') });
    const first = vscode.commands.executeCommand<UploadOutcome>('jumioBatch.upload', vscode.Uri.file(folder));
    const second = await vscode.commands.executeCommand<UploadOutcome>('jumioBatch.upload', vscode.Uri.file(folder));
    assert.deepEqual(second, { status: 'refused', reason: 'busy' });
    for (let i = 0; i < 200 && ui.asked.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    release(false);
    assert.deepEqual(await first, { status: 'cancelled' });
  });

  it('keeps file names and cell values out of the log', async () => {
    const { ctx, setUi } = await api();
    setUi(scriptedUi());
    const folder = path.join(workspaceDir(), `names-${Date.now()}`);
    cpSync(path.join(workspaceDir(), 'batch'), folder, { recursive: true, filter: (p) => !p.includes('.jumio-batch') });
    const images = readdirSync(folder, { recursive: true }).map(String).filter((p) => /\.png$/i.test(p));
    assert.ok(images.length > 0);
    const from = ctx.log.recent.length;
    const outcome = await vscode.commands.executeCommand<UploadOutcome>('jumioBatch.upload', vscode.Uri.file(folder));
    assert.equal(outcome.status, 'sent', JSON.stringify(outcome));
    const written = ctx.log.recent.slice(from).join('\n');
    assert.ok(written.length > 0);
    for (const image of images) assert.ok(!written.includes(path.basename(image)), `${path.basename(image)} is not in the log:\n${written}`);
    assert.doesNotMatch(written, /Any Town|gmail\.com|John|Smith|15031234567/, 'no cell value');
  });

  it('keeps connection settings out of workspace settings', async () => {
    const c = vscode.workspace.getConfiguration('jumioBatch.connection');
    await assert.rejects(Promise.resolve(c.update('host', 'evil.example.com', vscode.ConfigurationTarget.Workspace)), /machine|not.*workspace|Unable to write/i);
    assert.equal(c.inspect('host')?.workspaceValue, undefined);
  });
});
