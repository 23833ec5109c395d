import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { makePng } from '../../helpers/images';
import { api, codeOf, codes, hasCode, lacksCode, makeBatchFolder, ours, waitForDiagnostics } from '../helpers';

const HEADER = 'workflowDefinitionKey,customerInternalReference,faceImage,userConsentUserIp,userConsentUserLocationCountry,userConsentUserLocationState,userConsentConsentObtained,userConsentConsentObtainedAt';

/** A clean data row of HEADER, with some cells changed. */
function row(c: { ref?: string; face?: string; country?: string; consent?: string; at?: string } = {}): string {
  return ['10015', c.ref ?? 'order-1', c.face ?? '', '10.0.0.1', c.country ?? 'USA', 'IL', c.consent ?? 'yes', c.at ?? '2022-07-20T17:20:35.000Z'].join(',');
}
const PREPARED = 'workflowDefinitionKey,customerInternalReference,preparedData.phoneNumber,preparedData.address.postalCode,preparedData.address.country';
const ROW = row();
const ADDRESS = 'workflowDefinitionKey;customerInternalReference;preparedData.address.line1;preparedData.address.city';
/** Müller.png as macOS stores the name (decomposed, NFD) and as a spreadsheet writes it (composed, NFC). */
const NFD = 'Mu\u0308ller.png';
const NFC = 'M\u00fcller.png';

/** Opens the CSV, waits for `code`, and returns the quick fixes offered at its first diagnostic. */
async function fixesFor(csv: vscode.Uri, code: string): Promise<{ doc: vscode.TextDocument; actions: vscode.CodeAction[]; diagnostic: vscode.Diagnostic }> {
  const doc = await vscode.workspace.openTextDocument(csv);
  await vscode.window.showTextDocument(doc);
  const { ctx } = await api();
  // Fixes are offered only for the version that was linted.
  await new Promise<void>((resolve) => {
    const ready = () => ctx.linter.entry(csv)?.version === doc.version && ours(csv).some((d) => codeOf(d) === code);
    if (ready()) { resolve(); return; }
    const sub = ctx.linter.onDidLint(() => { if (ready()) { sub.dispose(); resolve(); } });
  });
  const diagnostic = ours(csv).find((d) => codeOf(d) === code) as vscode.Diagnostic;
  // (The command returns the actions without their diagnostics: they are told apart by title.)
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', csv, diagnostic.range);
  return { doc, actions, diagnostic };
}

async function apply(action: vscode.CodeAction): Promise<void> {
  if (action.edit) assert.equal(await vscode.workspace.applyEdit(action.edit), true, `${action.title} applies`);
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
}

async function close(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
}

/** One case: the CSV, the code, the action's title, and the text it must leave. */
const CASES: { code: string; csv: string; title: RegExp; after: RegExp; files?: Record<string, Buffer> }[] = [
  { code: 'whitespace', csv: `${HEADER}\n${row({ ref: ' order-1 ' })}\n`, title: /^Trim the spaces$/, after: /^10015,order-1,,10\.0\.0\.1,/m },
  { code: 'forbidden-character', csv: `${HEADER}\n${row({ ref: 'order%1' })}\n`, title: /^Remove the forbidden character$/, after: /^10015,order1,/m },
  { code: 'unknown-column', csv: `workflowDefinitionKey,customerInternalReference,preparedData.firstname\n10015,order-1,Ada\n`, title: /^Rename the column to "preparedData\.firstName"$/, after: /^workflowDefinitionKey,customerInternalReference,preparedData\.firstName$/m },
  { code: 'image-case-mismatch', csv: `${HEADER}\n${row({ face: 'face.png' })}\n`, files: { 'Face.PNG': makePng(4, 4) }, title: /^Write "Face\.PNG"/, after: /,Face\.PNG,/ },
  { code: 'country-code', csv: `${HEADER}\n${row({ country: 'US' })}\n`, title: /^Use "USA"$/, after: /,USA,/ },
  { code: 'timestamp', csv: `${HEADER}\n${row({ at: '2022-07-20T19:20:35+02:00' })}\n`, title: /^Rewrite as 2022-07-20T17:20:35\.000Z$/, after: /,2022-07-20T17:20:35\.000Z$/m },
  { code: 'consent-value', csv: `${HEADER}\n${row({ consent: 'Yes' })}\n`, title: /^Use "yes"$/, after: /,IL,yes,/ },
  { code: 'phone-number', csv: `${PREPARED}\n10015,order-1,(503) 123-4567,97201,USA\n`, title: /^Keep only the digits/, after: /^10015,order-1,5031234567,97201,USA$/m },
  { code: 'excel-damage', csv: `${PREPARED}\n10015,order-1,15031234567,2134,USA\n`, title: /^Restore the leading zero: "02134"$/, after: /^10015,order-1,15031234567,02134,USA$/m },
  { code: 'delimiter', csv: `${ADDRESS}\n10015;order-1;1 Main St, Apt 4;Any Town\n10015;order-2;"2 Main St; rear";Any Town\n`, title: /^Rewrite the file with commas instead of semicolons \(;\)$/, after: /^workflowDefinitionKey,customerInternalReference,preparedData\.address\.line1,preparedData\.address\.city\n10015,order-1,"1 Main St, Apt 4",Any Town\n10015,order-2,"2 Main St; rear",Any Town\n$/ },
  { code: 'blank-row', csv: `${HEADER}\n${ROW}\n,,,,,,,\n\n${row({ ref: 'order-2' })}\n,,,,,,,\n`, title: /^Remove all blank rows$/, after: new RegExp(`^${HEADER}\n${ROW}\n10015,order-2,[^\n]*\n$`) },
  { code: 'image-name-unicode', csv: `${HEADER}\n${row({ face: NFC })}\n`, files: { [NFD]: makePng(4, 4) }, title: /^Write the name in the Unicode form of the file's own name$/, after: new RegExp(`^10015,order-1,${NFD},`, 'm') },
  { code: 'missing-column', csv: `customerInternalReference,preparedData.firstName\norder-1,Ada\norder-2,Grace\n`, title: /^Add the column workflowDefinitionKey \(workflow key 10015\)$/, after: /^workflowDefinitionKey,customerInternalReference,preparedData\.firstName\n10015,order-1,Ada\n10015,order-2,Grace\n$/ },
];

describe('quick fixes', () => {
  before(async () => { await api(); });
  afterEach(close);

  for (const c of CASES) {
    it(`fixes ${c.code} and the diagnostic goes away`, async () => {
      const { csv } = makeBatchFolder(c.csv, c.files);
      const { doc, actions } = await fixesFor(csv, c.code);
      const action = actions.find((a) => c.title.test(a.title));
      assert.ok(action, `a fix titled ${c.title} among: ${actions.map((a) => a.title).join(' | ') || 'none'}`);
      assert.equal(action.kind?.value, 'quickfix');
      await apply(action);
      await waitForDiagnostics(csv, lacksCode(c.code), `${c.code} gone`);
      assert.match(doc.getText(), c.after);
      assert.deepEqual(codes(csv), [], 'the fix leaves no other problem');
    });
  }

  it('fixes all problems of one kind in the file at once', async () => {
    const { csv } = makeBatchFolder(`${HEADER}\n${row({ ref: 'a<b>c', country: 'US' })}\n${row({ ref: 'd;e', country: 'DE' })}\n`);
    const { doc, actions } = await fixesFor(csv, 'forbidden-character');
    const all = actions.find((a) => a.title === 'Remove all 3 forbidden characters');
    assert.ok(all, `fix-all among: ${actions.map((a) => a.title).join(' | ')}`);
    await apply(all);
    await waitForDiagnostics(csv, lacksCode('forbidden-character'), 'every forbidden-character gone');
    assert.match(doc.getText(), /^10015,abc,/m);
    assert.match(doc.getText(), /^10015,de,/m);
    const countries = await fixesFor(csv, 'country-code');
    const allCountries = countries.actions.find((a) => a.title === 'Correct all 2 country codes');
    assert.ok(allCountries, `fix-all among: ${countries.actions.map((a) => a.title).join(' | ')}`);
    await apply(allCountries);
    await waitForDiagnostics(csv, (ds) => ds.length === 0, 'a clean file');
    assert.match(doc.getText(), /,USA,.*\n.*,DEU,/);
  });

  it('removes a byte-order mark from the file on disk', async () => {
    const { csv } = makeBatchFolder(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${HEADER}\n${ROW}\n`)]));
    const { actions } = await fixesFor(csv, 'bom');
    const action = actions.find((a) => /byte-order mark/.test(a.title));
    assert.ok(action?.command, 'a command fix for the BOM');
    await apply(action);
    await waitForDiagnostics(csv, lacksCode('bom'), 'bom gone');
    assert.deepEqual([...readFileSync(csv.fsPath).subarray(0, 3)], [...Buffer.from('wor')]);
    assert.deepEqual(codes(csv), []);
  });

  it('offers no fix where the right text is not known (an e-mail is no reference)', async () => {
    const { csv } = makeBatchFolder(`${HEADER}\n${row({ ref: 'ada@example.com' })}\n`);
    await waitForDiagnostics(csv, hasCode('pii-in-reference'), 'pii-in-reference');
    const { actions } = await fixesFor(csv, 'pii-in-reference');
    assert.deepEqual(actions.map((a) => a.title), []);
  });
});
