import * as assert from 'node:assert/strict';
import { addMissingColumns, cellAt, headerNames, TextEdit } from '../../src/core';

/** Applies edits (non-overlapping, any order) to text, as an editor would. */
function apply(text: string, edits: TextEdit[]): string {
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
