import * as assert from 'node:assert/strict';
import { FolderIndex, addMissingColumns, cellAt, commaEdits, detectDelimiter, headerNames, lintCsv, removeBlankRows, TextEdit } from '../../src/core';
import { fixText } from '../helpers/fixText';

/** Applies edits (non-overlapping, any order) to text, as an editor would. */
function apply(text: string, edits: TextEdit[]): string {
  assert.ok(!text.includes('\r'), 'this apply counts lines by LF');
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start))
    .reduce((t, e) => t.slice(0, offset(e.range.start)) + e.newText + t.slice(offset(e.range.end)), text);
}

describe('cellAt', () => {
  const text = 'workflowDefinitionKey,customerInternalReference\n10015,"a, b"\n\n10015,"multi\nline",x\n';

  it('finds a header cell and its name', () => {
    const at = cellAt(text, 0, 25);
    assert.deepEqual({ record: at?.record, dataRow: at?.dataRow, column: at?.column }, { record: 0, dataRow: -1, column: 1 });
    assert.deepEqual(at?.header, ['workflowDefinitionKey', 'customerInternalReference']);
  });

  it('treats a quoted comma as part of its cell', () => {
    const at = cellAt(text, 1, 9);
    assert.equal(at?.column, 1);
    assert.deepEqual(at?.range, { start: { line: 1, character: 6 }, end: { line: 1, character: 12 } });
  });

  it('counts records, not lines: a blank line is no row and a quoted cell spans lines', () => {
    assert.equal(cellAt(text, 2, 0), undefined);
    const inside = cellAt(text, 4, 2);
    assert.deepEqual({ dataRow: inside?.dataRow, column: inside?.column }, { dataRow: 1, column: 1 });
    assert.equal(cellAt(text, 4, 6)?.column, 2);
  });

  it('gives up past a syntax error rather than guess', () => {
    assert.equal(cellAt('a,b\n1,x"y\n2,3\n', 2, 0), undefined);
  });
});

describe('headerNames', () => {
  it('reads the first non-blank record, unquoted and trimmed', () => {
    assert.deepEqual(headerNames('\n a ,"b,c",d\n1,2,3\n'), ['a', 'b,c', 'd']);
    assert.deepEqual(headerNames(''), []);
  });
});

describe('addMissingColumns', () => {
  it('adds workflowDefinitionKey with the default key to every record, skipping blank lines', () => {
    const text = 'customerInternalReference,preparedData.firstName\norder-1,Ada\n\norder-2,"Grace\nHopper"\n';
    const { columns, edits } = addMissingColumns(text);
    assert.deepEqual(columns, ['workflowDefinitionKey']);
    assert.equal(apply(text, edits), 'workflowDefinitionKey,customerInternalReference,preparedData.firstName\n10015,order-1,Ada\n\n10015,order-2,"Grace\nHopper"\n');
  });

  it('adds both required columns, the reference left empty for the user to fill', () => {
    const text = 'preparedData.firstName\nAda\n';
    assert.equal(apply(text, addMissingColumns(text).edits), 'workflowDefinitionKey,customerInternalReference,preparedData.firstName\n10015,,Ada\n');
  });

  it('adds nothing when a required column is only misspelt (renaming fixes that)', () => {
    assert.deepEqual(addMissingColumns('workflowDefinitionKey,customerinternalreference\n10015,a\n').edits, []);
  });

  it('adds nothing to a file it cannot scan to the end', () => {
    assert.deepEqual(addMissingColumns('customerInternalReference\n"open\n').edits, []);
  });
});

describe('detectDelimiter', () => {
  it('tells the separator from the header by which split names known columns', () => {
    assert.equal(detectDelimiter('workflowDefinitionKey;customerInternalReference\n1;a\n'), ';');
    assert.equal(detectDelimiter('\n"workflowDefinitionKey"\t"customerInternalReference"\n'), '\t');
    assert.equal(detectDelimiter('workflowdefinitionkey|customerinternalreference\n'), '|', 'near-misses count');
    assert.equal(detectDelimiter('myColumn;otherColumn\n'), ',', 'no known column either way: commas');
    assert.equal(detectDelimiter('workflowDefinitionKey,customerInternalReference\n1;2;3;4,a\n'), ',', 'rows do not count');
    assert.equal(detectDelimiter('a;b\n', ['a', 'b']), ';', 'extra columns count as known');
  });
});

describe('commaEdits', () => {
  it('rewrites every record with commas, quoting values that hold one, keeping quoted cells and blank lines', () => {
    const text = 'workflowDefinitionKey;customerInternalReference;preparedData.address.line1\n10015;order-1;1 Main St, Apt 4\n\n10015;"order;2";"a ""b"""\n';
    assert.equal(apply(text, commaEdits(text)), 'workflowDefinitionKey,customerInternalReference,preparedData.address.line1\n10015,order-1,"1 Main St, Apt 4"\n\n10015,"order;2","a ""b"""\n');
  });

  it('keeps CRLF line endings and a quoted value spanning lines', () => {
    const text = 'workflowDefinitionKey\tcustomerInternalReference\r\n10015\t"two\r\nlines"\r\n';
    const edits = commaEdits(text);
    assert.deepEqual(edits.map((e) => e.newText), ['workflowDefinitionKey,customerInternalReference', '10015,"two\r\nlines"']);
    assert.deepEqual(edits[1].range, { start: { line: 1, character: 0 }, end: { line: 2, character: 6 } });
  });

  it('leaves a file the lint then reads as commas, with no delimiter problem', () => {
    const text = 'workflowDefinitionKey|customerInternalReference\n10015|order-1\n';
    const fixed = apply(text, commaEdits(text));
    assert.deepEqual(lintCsv({ fileName: 'input.csv', bytes: new TextEncoder().encode(fixed) }).problems, []);
  });

  it('is empty for a comma file, and for a file it cannot scan to its end', () => {
    assert.deepEqual(commaEdits('workflowDefinitionKey,customerInternalReference\n1,a;b\n'), []);
    assert.deepEqual(commaEdits('workflowDefinitionKey;customerInternalReference\n1;"open\n'), []);
  });
});

describe('removeBlankRows', () => {
  it('removes empty lines and rows of empty cells, each with its line break', () => {
    const text = '\nworkflowDefinitionKey,customerInternalReference\n10015,a\n,\n\n"",""\n10015,b\n,';
    assert.equal(apply(text, removeBlankRows(text)), 'workflowDefinitionKey,customerInternalReference\n10015,a\n10015,b\n');
  });

  it('removes rows of empty cells or spaces in a semicolon file, and leaves a row with a value', () => {
    const text = 'workflowDefinitionKey;customerInternalReference\n;;\n ; \n10015;a\n;x\n';
    assert.equal(apply(text, removeBlankRows(text)), 'workflowDefinitionKey;customerInternalReference\n10015;a\n;x\n');
  });

  it('is empty without blank rows, and for a file it cannot scan to its end', () => {
    assert.deepEqual(removeBlankRows('a,b\n1,2\n'), []);
    assert.deepEqual(removeBlankRows('a,b\n\n1,"open\n'), []);
  });
});

describe('addMissingColumns in a file of another separator', () => {
  it("adds the column with the file's separator and leaves blank rows alone", () => {
    const text = 'customerInternalReference;preparedData.firstName\norder-1;Ada\n;\n';
    assert.equal(apply(text, addMissingColumns(text).edits), 'workflowDefinitionKey;customerInternalReference;preparedData.firstName\n10015;order-1;Ada\n;\n');
  });
});

describe('fixCsv (every certain fix, the engine of the editor\'s fixes)', () => {
  const HEADER = 'workflowDefinitionKey;customerInternalReference;userConsentUserLocationCountry;preparedData.firstName';

  it('rewrites with commas first, then removes blank rows and makes the replacements, until none is left', () => {
    const text = `${HEADER}\n10015; order-1 ;us;Ada, the first\n;;;\n10015;order/2;DE;Grace\n`;
    const fixed = fixText(text);
    assert.equal(fixed, 'workflowDefinitionKey,customerInternalReference,userConsentUserLocationCountry,preparedData.firstName\n10015,order-1,USA,"Ada, the first"\n10015,order2,DEU,Grace\n');
    assert.equal(fixText(fixed), fixed, 'nothing is left to fix');
  });

  it('adds a missing required column, and fixes image names against the folder', () => {
    const folder = new FolderIndex([{ path: 'Face.png' }]);
    assert.equal(fixText('customerInternalReference,faceImage\norder-1,face.png\n', { folder }), 'workflowDefinitionKey,customerInternalReference,faceImage\n10015,order-1,Face.png\n');
  });

  it('changes nothing it has no certain fix for', () => {
    const text = 'workflowDefinitionKey,customerInternalReference,preparedData.email\nabc,order-1,not-an-email\n';
    assert.equal(fixText(text), text);
  });
});
