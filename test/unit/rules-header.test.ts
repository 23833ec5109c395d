import * as assert from 'node:assert/strict';
import { SEED_HEADER, SEED_IMAGES, SEED_ROW_1, lint, where, withCode } from '../helpers/lint';

// Header rules. Every case is SEED_HEADER with one name replaced, above the unchanged seed row.

const COLUMNS = SEED_HEADER.split(',');
const ROW_1_IMAGES = SEED_IMAGES.filter((f) => f.startsWith('0_'));

/** SEED_HEADER with the named columns renamed. */
function seedHeader(renames: Record<string, string>): string {
  const names = [...COLUMNS];
  for (const [name, to] of Object.entries(renames)) {
    const i = names.indexOf(name);
    assert.ok(i >= 0, `no column ${name} in the seed header`);
    names[i] = to;
  }
  return names.join(',');
}

function lintHeader(header: string, extraColumns?: string[]) {
  return lint(`${header}\n${SEED_ROW_1}\n`, { files: ROW_1_IMAGES, options: { extraColumns } });
}

/** Where some header names start, counted by hand from the lengths of the names before them. */
const START = {
  workflowDefinitionKey: 0, // 21 characters
  customerInternalReference: 22, // 25
  frontImage: 58, // after backImage (48, 9 characters)
  'preparedData.firstName': 213, // after userConsentConsentObtainedAt (184, 28)
  'preparedData.email': 283, // after preparedData.phoneNumber (258, 24)
  'preparedData.address.subdivision': 387, // after preparedData.address.city (361, 25)
};
const HEADER_LENGTH = 448;

const at = (code: string, start: number, text: string): string => `${code}@0:${start}-0:${start + text.length}`;

describe('the hand-counted header starts', () => {
  it('fit the seed header', () => {
    assert.equal(SEED_HEADER.length, HEADER_LENGTH);
    for (const [name, start] of Object.entries(START)) assert.equal(SEED_HEADER.slice(start, start + name.length + 1), `${name},`, name);
  });
});

describe('missing-column', () => {
  it('reports a missing customerInternalReference over the whole header', () => {
    // "customerInternalReference" (25) becomes "reference" (9): the header is 16 shorter.
    const result = lintHeader(seedHeader({ customerInternalReference: 'reference' }));
    assert.deepEqual(where(withCode(result.problems, 'missing-column')), [`missing-column@0:0-0:${HEADER_LENGTH - 16}`]);
    assert.equal(result.problems.find((p) => p.code === 'missing-column')?.severity, 'error');
  });

  it('reports a missing workflowDefinitionKey', () => {
    const result = lintHeader(seedHeader({ workflowDefinitionKey: 'key' }));
    assert.deepEqual(where(withCode(result.problems, 'missing-column')), [`missing-column@0:0-0:${HEADER_LENGTH - 18}`]);
  });

  it('reports a required column written in another case, which is not the column', () => {
    const result = lintHeader(seedHeader({ customerInternalReference: 'CustomerInternalReference' }));
    assert.deepEqual(where(result.problems), [`missing-column@0:0-0:${HEADER_LENGTH}`, at('unknown-column', 22, 'CustomerInternalReference')]);
  });

  it('does not report the required columns in another order', () => {
    const header = ['customerInternalReference', 'workflowDefinitionKey', ...COLUMNS.slice(2)].join(',');
    const row = ['myOrganization', '10015', ...SEED_ROW_1.split(',').slice(2)].join(',');
    assert.deepEqual(lint(`${header}\n${row}\n`, { files: ROW_1_IMAGES }).problems, []);
  });
});

describe('unknown-column', () => {
  it('reports a name in the wrong case at its cell, with the known name as fix', () => {
    const result = lintHeader(seedHeader({ 'preparedData.firstName': 'preparedData.FirstName' }));
    assert.deepEqual(where(result.problems), [at('unknown-column', START['preparedData.firstName'], 'preparedData.FirstName')]);
    assert.equal(result.problems[0].severity, 'warning');
    assert.equal(result.problems[0].replacement, 'preparedData.firstName');
  });

  it('names the preparedData field meant by a name without its prefix', () => {
    const result = lintHeader(seedHeader({ 'preparedData.firstName': 'firstName' }));
    assert.deepEqual(where(result.problems), [at('unknown-column', START['preparedData.firstName'], 'firstName')]);
    assert.equal(result.problems[0].replacement, 'preparedData.firstName');
  });

  it('names the column meant by a small typo', () => {
    const result = lintHeader(seedHeader({ frontImage: 'frontImag' }));
    assert.deepEqual(where(withCode(result.problems, 'unknown-column')), [at('unknown-column', START.frontImage, 'frontImag')]);
    assert.equal(withCode(result.problems, 'unknown-column')[0].replacement, 'frontImage');
  });

  it('reports a name like no known column without a fix', () => {
    for (const name of ['foo', 'preparedData.nationality']) {
      const result = lintHeader(seedHeader({ 'preparedData.address.subdivision': name }));
      assert.deepEqual(where(result.problems), [at('unknown-column', START['preparedData.address.subdivision'], name)], name);
      assert.equal(result.problems[0].replacement, undefined);
    }
  });

  it('offers no rename to a column the header already has, and says so at the copy', () => {
    // "frontimage" is frontImage in another case; the seed header has frontImage (column 4).
    const header = `${SEED_HEADER},frontimage`;
    const result = lint(`${header}\n${SEED_ROW_1},\n`, { files: ROW_1_IMAGES });
    assert.deepEqual(where(result.problems), [at('unknown-column', HEADER_LENGTH + 1, 'frontimage')]);
    assert.equal(result.problems[0].replacement, undefined);
    assert.match(result.problems[0].message, /already has "frontImage" \(column 4\)/);
    assert.doesNotMatch(result.problems[0].message, /did you mean/);
  });

  it('offers a rename to a missing column once: two near-misses of it do not both get it', () => {
    const result = lintHeader(seedHeader({ 'preparedData.firstName': 'preparedData.firstname', 'preparedData.address.subdivision': 'preparedData.FirstName' }));
    const unknown = withCode(result.problems, 'unknown-column');
    assert.deepEqual(where(unknown), [at('unknown-column', START['preparedData.firstName'], 'preparedData.firstname'), at('unknown-column', START['preparedData.address.subdivision'], 'preparedData.FirstName')]);
    assert.deepEqual(unknown.map((p) => p.replacement), ['preparedData.firstName', undefined]);
  });

  it('does not report known names, nor names listed as extra columns', () => {
    assert.deepEqual(lintHeader(SEED_HEADER).problems, []);
    assert.deepEqual(lintHeader(seedHeader({ 'preparedData.address.subdivision': 'preparedData.nationality' }), ['preparedData.nationality']).problems, []);
  });
});

describe('duplicate-column', () => {
  it('reports the second occurrence of a name at its cell', () => {
    const result = lintHeader(seedHeader({ 'preparedData.address.subdivision': 'preparedData.email' }));
    assert.deepEqual(where(result.problems), [at('duplicate-column', START['preparedData.address.subdivision'], 'preparedData.email')]);
    assert.equal(result.problems[0].severity, 'error');
  });

  it('reports a duplicate that differs only by surrounding spaces', () => {
    const result = lintHeader(seedHeader({ 'preparedData.address.subdivision': 'preparedData.email ' }));
    assert.deepEqual(where(withCode(result.problems, 'duplicate-column')), [at('duplicate-column', START['preparedData.address.subdivision'], 'preparedData.email ')]);
  });

  it('does not report distinct names', () => {
    assert.deepEqual(withCode(lintHeader(seedHeader({ 'preparedData.address.subdivision': 'preparedData.address.line2' })).problems, 'duplicate-column'), []);
  });
});

describe('blank-column-name', () => {
  it('reports an empty header cell at its (empty) place', () => {
    const result = lintHeader(seedHeader({ 'preparedData.address.subdivision': '' }));
    assert.deepEqual(where(result.problems), [`blank-column-name@0:${START['preparedData.address.subdivision']}-0:${START['preparedData.address.subdivision']}`]);
    assert.equal(result.problems[0].severity, 'error');
  });

  it('reports a header cell of only spaces at its cell', () => {
    assert.deepEqual(where(lintHeader(seedHeader({ 'preparedData.address.subdivision': '  ' })).problems), [at('blank-column-name', START['preparedData.address.subdivision'], '  ')]);
  });

  it('reports the empty cell after a trailing comma', () => {
    const result = lint(`${SEED_HEADER},\n${SEED_ROW_1},\n`, { files: ROW_1_IMAGES });
    assert.deepEqual(where(result.problems), [`blank-column-name@0:${HEADER_LENGTH + 1}-0:${HEADER_LENGTH + 1}`]);
  });

  it('does not report a quoted name', () => {
    assert.deepEqual(lintHeader(seedHeader({ 'preparedData.email': '"preparedData.email"' })).problems, []);
  });
});

describe('whitespace in the header', () => {
  it('warns about spaces around a column name at its cell, with the bare name as fix', () => {
    const result = lintHeader(seedHeader({ 'preparedData.email': ' preparedData.email ' }));
    assert.deepEqual(where(result.problems), [at('whitespace', START['preparedData.email'], ' preparedData.email ')]);
    assert.equal(result.problems[0].replacement, 'preparedData.email');
  });

  it('still reads the column, so its values are checked', () => {
    const header = seedHeader({ 'preparedData.email': ' preparedData.email' });
    const row = SEED_ROW_1.replace('email1@gmail.com', 'email1@gmail');
    assert.deepEqual(withCode(lint(`${header}\n${row}\n`, { files: ROW_1_IMAGES }).problems, 'email').length, 1);
  });
});
