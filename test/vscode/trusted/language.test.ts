import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, makeBatchFolder } from '../helpers';

function hoverText(hovers: vscode.Hover[]): string {
  return hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
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
