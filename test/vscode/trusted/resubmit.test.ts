import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { checksums, makeBatch } from '../../helpers/batch';
import { STATUS_CLICK_COMMAND } from '../../../src/extension/statusBar';
import { api, scriptedUi, waitForDiagnostics, workspaceDir } from '../helpers';

// "New Batch From Row…" in the real extension host: from the open input.csv (the row asked), with
// a start given to the command, and from an upload's history entry.

const COMMAND = 'jumioBatch.newBatchFromRow';

describe('New Batch From Row…', function () {
  this.timeout(60_000);
  let source: string;
  let csv: vscode.Uri;
  let rows: string[];
  before(async () => {
    await api();
    source = makeBatch(5, 64, path.join(workspaceDir(), `resubmit-${Date.now()}`));
    csv = vscode.Uri.file(path.join(source, 'input.csv'));
    rows = readFileSync(csv.fsPath, 'utf8').split('\n').slice(0, -1);
    await waitForDiagnostics(csv, (ds) => ds.length === 0, 'the source linted clean');
  });

  it('makes <folder>-from-row-N from the open input.csv, asking the row, and leaves the source as it was', async () => {
    const { ctx, setUi } = await api();
    await vscode.window.showTextDocument(csv);
    const ui = scriptedUi({ startRow: { row: 3 } });
    setUi(ui);
    const before = checksums(source);
    const logged = ctx.log.recent.length;
    const made = await vscode.commands.executeCommand<string>(COMMAND);
    assert.equal(made, `${source}-from-row-3`);
    assert.deepEqual(ui.asked, ['start row of 5'], 'asked, knowing the row count');
    assert.equal(readFileSync(path.join(made, 'input.csv'), 'utf8'), [rows[0], ...rows.slice(3)].join('\n') + '\n');
    assert.deepEqual([...checksums(made).keys()].sort(), ['input.csv', ...[2, 3, 4].flatMap((i) => [`img/ids/${i}.back.png`, `img/ids/${i}.front.png`, `img/${i}.face.png`])].sort());
    assert.deepEqual(checksums(source), before, 'the source is unchanged');
    const newCsv = vscode.Uri.file(path.join(made, 'input.csv'));
    await waitForDiagnostics(newCsv, (ds) => ds.length === 0, 'the new batch lints clean');
    const lines = ctx.log.recent.slice(logged).join('\n');
    assert.match(lines, /new batch from row 3 of .*input\.csv: .*-from-row-3, 3 rows, 9 images/);
    assert.ok(!lines.includes('ref-2') && !lines.includes('.png'), `no reference or image name in the log: ${lines}`);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('starts at the customerInternalReference given to the command, and writes nothing for a row out of range', async () => {
    const { setUi } = await api();
    const ui = scriptedUi();
    setUi(ui);
    assert.equal(await vscode.commands.executeCommand<string>(COMMAND, csv, { reference: 'ref-3' }), `${source}-from-row-4`);
    assert.equal(readFileSync(path.join(`${source}-from-row-4`, 'input.csv'), 'utf8'), [rows[0], ...rows.slice(4)].join('\n') + '\n');
    const entries = readdirSync(workspaceDir()).sort();
    assert.equal(await vscode.commands.executeCommand(COMMAND, csv, { row: 9 }), undefined);
    assert.equal(await vscode.commands.executeCommand(COMMAND, vscode.Uri.file(source), { row: 4 }), undefined, 'the folder is there already');
    assert.deepEqual(readdirSync(workspaceDir()).sort(), entries, 'nothing written');
    assert.deepEqual(ui.asked, [], 'nothing asked when the start is given');
  });

  it('is offered on an upload\'s history entry, for that entry\'s batch folder', async () => {
    const { ctx, setUi } = await api();
    setUi(scriptedUi({ startRow: { row: 2 } }));
    await ctx.history.add({
      batchId: '0b5c8a5e-3f6d-4c1e-9a7b-2d4e6f8a0c1e', folder: source, server: 'sftp.example.com:22', remoteDir: '.',
      rows: 5, files: 16, bytes: 1_000, at: new Date().toISOString(), status: 'sent',
    });
    // The status bar's click shows the last upload's actions: copy, reveal, new batch from row, history.
    const click = vscode.commands.executeCommand(STATUS_CLICK_COMMAND);
    await vscode.commands.getCommands(); // a round trip: the pick and its items are in the window first
    await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
    await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await click;
    assert.ok(existsSync(path.join(`${source}-from-row-2`, 'input.csv')), 'the new batch from row 2');
    assert.equal(readFileSync(path.join(`${source}-from-row-2`, 'input.csv'), 'utf8'), [rows[0], ...rows.slice(2)].join('\n') + '\n');
  });
});
