import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { makePng } from '../../helpers/images';
import { SEED_HEADER, seedRow } from '../../helpers/lint';
import { Raster } from '../../helpers/raster';
import { api, hasCode, makeBatchFolder, waitForDiagnostics } from '../helpers';

/** The hovers' markdown; text appended as text keeps its spaces as &nbsp;, read here as spaces. */
function hoverText(hovers: vscode.Hover[]): string {
  return hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : c.value)).join('\n').replace(/&nbsp;/g, ' ');
}

describe('hover and completion', () => {
  before(async () => { await api(); });

  it('hovering a header name explains the column and links its rules', async () => {
    const { csv } = makeBatchFolder('workflowDefinitionKey,customerInternalReference\n10015,secret-ref-77\n');
    await vscode.workspace.openTextDocument(csv);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', csv, new vscode.Position(0, 30));
    const text = hoverText(hovers);
    assert.match(text, /customerInternalReference/);
    assert.match(text, /README\.md#forbidden-character/);
  });

  it('hovering a cell names its column and row, never its value', async () => {
    const { csv } = makeBatchFolder('workflowDefinitionKey,customerInternalReference\n10015,secret-ref-77\n10015,other\n');
    await vscode.workspace.openTextDocument(csv);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', csv, new vscode.Position(2, 8));
    const text = hoverText(hovers);
    assert.match(text, /customerInternalReference/);
    assert.match(text, /column 2/);
    assert.match(text, /row 2/);
    assert.doesNotMatch(text, /other|secret/);
  });

  it('hovering an image cell shows the image as a thumbnail of at most 240 px, with its pixel size, bytes and format', async () => {
    const jpeg = new Raster(1200, 800).jpeg();
    const { folder, csv } = makeBatchFolder(`${SEED_HEADER}\n${seedRow({ frontImage: 'id/front.jpg', backImage: 'back.png', faceImage: 'face.png' })}\n`,
      { 'id/front.jpg': jpeg, 'back.png': makePng(64, 40), 'face.png': makePng(8, 8) });
    await vscode.workspace.openTextDocument(csv);
    const line = (await vscode.workspace.openTextDocument(csv)).lineAt(1).text;
    const at = (value: string) => new vscode.Position(1, line.indexOf(value) + 1);
    const front = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', csv, at('id/front.jpg')));
    assert.ok(front.includes(`](${vscode.Uri.file(path.join(folder, 'id', 'front.jpg')).toString()}|width=240,height=160)`), front);
    assert.match(front, /\*\*frontImage\*\* · column 4 · row 1/);
    assert.match(front, new RegExp(`1200 × 800 px · ${(jpeg.length / 1000).toFixed(1).replace('.', '\\.')} kB · JPEG`));
    const back = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', csv, at('back.png')));
    assert.ok(back.includes('|width=64,height=40)'), 'a small image is not enlarged');
    assert.match(back, /64 × 40 px · \d+ B · PNG/);
  });

  it('hovering an image cell whose file is missing says so, with the cell\'s problem, and shows no image', async () => {
    const { csv } = makeBatchFolder(`${SEED_HEADER}\n${seedRow({ frontImage: 'front.png', backImage: 'back.png', faceImage: 'faces/gone.png' })}\n`,
      { 'front.png': makePng(8, 8), 'back.png': makePng(8, 8) });
    await vscode.window.showTextDocument(csv);
    await waitForDiagnostics(csv, hasCode('image-missing'), 'image-missing');
    const line = (await vscode.workspace.openTextDocument(csv)).lineAt(1).text;
    const text = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', csv, new vscode.Position(1, line.indexOf('faces/gone.png') + 2)));
    assert.match(text, /No file at this path in the batch folder\./);
    assert.match(text, /\$\(error\) `image-missing` /);
    assert.doesNotMatch(text, /!\[/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('completes header names with the known columns not yet used, preparedData fields included', async () => {
    const { csv } = makeBatchFolder('workflowDefinitionKey,customerInternalReference,\n10015,a,\n');
    await vscode.workspace.openTextDocument(csv);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', csv, new vscode.Position(0, 'workflowDefinitionKey,customerInternalReference,'.length));
    // Ours are fields; the editor adds plain words from open documents.
    const labels = list.items.filter((i) => i.kind === vscode.CompletionItemKind.Field).map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const wanted of ['frontImage', 'userConsentUserIp', 'preparedData.firstName', 'preparedData.address.country']) assert.ok(labels.includes(wanted), `${wanted} offered`);
    assert.equal(labels.includes('customerInternalReference'), false, 'a present column is not offered again');
    const inData = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', csv, new vscode.Position(1, 2));
    assert.equal(inData.items.some((i) => i.kind === vscode.CompletionItemKind.Field), false, 'no column names in data rows');
  });
});
