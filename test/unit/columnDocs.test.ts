import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { KNOWN_COLUMNS, REQUIRED_COLUMNS, RULES, RULES_URL, describeCell, describeColumn, headerCompletions, ruleUrl } from '../../src/core';
import { SEED_COLUMNS, SEED_ROW_1, SEED_ROW_2 } from '../helpers/lint';

const README = readFileSync(path.resolve(__dirname, '../../../README.md'), 'utf8');
const README_HEADINGS = new Set([...README.matchAll(/^### ([a-z0-9-]+)$/gm)].map((m) => m[1]));

/** The rule codes a doc links to, by the URL of each markdown link. */
function linkedCodes(markdown: string): string[] {
  return [...markdown.matchAll(/\]\(([^)]*)\)/g)].map((m) => {
    assert.ok(m[1].startsWith(`${RULES_URL}#`), `link ${m[1]} does not point into the README`);
    return m[1].slice(RULES_URL.length + 1);
  });
}

describe('column docs', () => {
  it('document every known column, preparedData fields included', () => {
    assert.ok(KNOWN_COLUMNS.includes('preparedData.address.subdivision'));
    for (const name of KNOWN_COLUMNS) {
      const doc = describeColumn(name);
      assert.ok(doc, `no doc for ${name}`);
      assert.equal(doc.name, name);
      assert.equal(doc.required, (REQUIRED_COLUMNS as readonly string[]).includes(name), name);
      assert.ok(doc.summary.length > 0 && !doc.summary.includes('\n'), `${name}: the summary is one line`);
      assert.match(doc.markdown, /Example: `[^`]+`/, `${name} has an example`);
    }
  });

  it('give each required column a doc that says so', () => {
    assert.match(describeColumn('workflowDefinitionKey')?.markdown ?? '', /^\*\*workflowDefinitionKey\*\* · required/);
    assert.match(describeColumn('frontImage')?.markdown ?? '', /^\*\*frontImage\*\* · optional/);
  });

  it('link only rule codes that exist, each to its README heading', () => {
    const linked = new Set(KNOWN_COLUMNS.flatMap((name) => linkedCodes(describeColumn(name)?.markdown ?? '')));
    assert.ok(linked.size > 10);
    for (const code of linked) {
      assert.ok(code in RULES, `${code} is no rule code`);
      assert.ok(README_HEADINGS.has(code), `the README has no "### ${code}"`);
    }
  });

  it('link the rules that check a column, to RULES_URL#code', () => {
    assert.equal(ruleUrl('workflow-key'), 'https://github.com/jumio-batch/jumio-batch/blob/main/README.md#workflow-key');
    assert.ok(linkedCodes(describeColumn('workflowDefinitionKey')?.markdown ?? '').includes('workflow-key'));
    assert.ok(linkedCodes(describeColumn('preparedData.dateOfBirth')?.markdown ?? '').includes('date-of-birth'));
    assert.ok(linkedCodes(describeColumn('backImage')?.markdown ?? '').includes('image-missing'));
  });

  it('know no other column, and ignore spaces around a name', () => {
    assert.equal(describeColumn('firstName'), undefined);
    assert.equal(describeColumn('FrontImage'), undefined);
    assert.equal(describeColumn(''), undefined);
    assert.equal(describeColumn('toString'), undefined);
    assert.equal(describeColumn(' frontImage ')?.name, 'frontImage');
  });
});

describe('header completions', () => {
  it('offer every known column to an empty header, required first, then in the spec\'s order', () => {
    assert.deepEqual(headerCompletions([]).map((d) => d.name), KNOWN_COLUMNS);
  });

  it('leave out the columns the header has', () => {
    const names = headerCompletions(['frontImage', ' preparedData.email ', 'workflowDefinitionKey']).map((d) => d.name);
    assert.deepEqual(names, KNOWN_COLUMNS.filter((n) => !['frontImage', 'preparedData.email', 'workflowDefinitionKey'].includes(n)));
    assert.deepEqual(headerCompletions(SEED_COLUMNS).map((d) => d.name), ['preparedData.dateOfBirth', 'preparedData.address.line2']);
  });

  it('put a missing required column before every optional one', () => {
    const names = headerCompletions(['workflowDefinitionKey', 'frontImage']).map((d) => d.name);
    assert.deepEqual(names.slice(0, 2), ['customerInternalReference', 'backImage']);
    const docs = headerCompletions(['frontImage']);
    const firstOptional = docs.findIndex((d) => !d.required);
    assert.deepEqual(docs.slice(0, firstOptional).map((d) => d.name), [...REQUIRED_COLUMNS]);
    assert.ok(docs.slice(firstOptional).every((d) => !d.required));
  });
});

describe('describeCell', () => {
  it('names the column, its 1-based number and the data row', () => {
    assert.equal(describeCell('customerInternalReference', 1, 5), '**customerInternalReference** · column 2 · row 5');
    assert.equal(describeCell(undefined, 20, 1), 'column 21 · row 1');
    assert.equal(describeCell('  ', 0, 3), 'column 1 · row 3');
  });

  it('never contains a cell value of the seed rows, whatever column it is in', () => {
    for (const [r, row] of [SEED_ROW_1, SEED_ROW_2].entries()) {
      row.split(',').forEach((value, column) => {
        const line = describeCell(SEED_COLUMNS[column], column, r + 1);
        assert.ok(!line.includes(value), `"${line}" shows the value "${value}"`);
      });
    }
  });

  it('escapes markup in a header name from the file', () => {
    assert.equal(describeCell('a*b_[c](x)', 0, 1), '**a\\*b\\_\\[c\\](x)** · column 1 · row 1');
  });
});
