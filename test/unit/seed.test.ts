import * as assert from 'node:assert/strict';
import { RULES, RULE_CODES } from '../../src/core';
import { SEED_HEADER, SEED_ROW_1, SEED_ROW_2, lint } from '../helpers/lint';

/** The codes and severities of shared/spec/batch-format.md, the public contract. */
const SPEC_CODES: Record<string, string> = {
  'file-name': 'error', 'encoding': 'error', 'bom': 'warning', 'empty-file': 'error', 'no-rows': 'error',
  'row-limit': 'error', 'csv-syntax': 'error', 'column-count': 'error', 'blank-row': 'warning',
  'line-endings': 'warning', 'missing-column': 'error', 'unknown-column': 'warning', 'duplicate-column': 'error',
  'blank-column-name': 'error', 'required-value': 'error', 'workflow-key': 'error', 'forbidden-character': 'error',
  'reference-too-long': 'error', 'pii-in-reference': 'warning', 'image-missing': 'error',
  'image-outside-batch': 'error', 'image-case-mismatch': 'error', 'image-format': 'warning',
  'image-too-large': 'warning', 'image-unreferenced': 'info', 'image-reserved-name': 'error', 'consent-incomplete': 'warning',
  'ip-address': 'error', 'country-code': 'error', 'consent-value': 'error', 'timestamp': 'error',
  'date-of-birth': 'error', 'phone-number': 'warning', 'email': 'error', 'excel-damage': 'warning',
  'whitespace': 'warning',
  // Codes added later
  'delimiter': 'error', 'image-name-unicode': 'error', 'image-dimensions': 'warning', 'image-corrupt': 'warning',
  'duplicate-row': 'warning', 'image-reused': 'warning',
};

describe('the rule table', () => {
  it('has exactly the codes and severities of the spec', () => {
    assert.deepEqual(Object.fromEntries(RULE_CODES.map((c) => [c, RULES[c].severity])), SPEC_CODES);
  });
});

describe("the seed's example batch", () => {
  it('lints clean: no error, no warning, no info', () => {
    const result = lint(`${SEED_HEADER}\n${SEED_ROW_1}\n${SEED_ROW_2}\n`);
    assert.deepEqual(result.problems, []);
    assert.equal(result.rows, 2);
    assert.equal(result.images.length, 6);
  });

  it('lints clean without a final line break and with CRLF line endings', () => {
    assert.deepEqual(lint(`${SEED_HEADER}\n${SEED_ROW_1}\n${SEED_ROW_2}`).problems, []);
    assert.deepEqual(lint(`${SEED_HEADER}\r\n${SEED_ROW_1}\r\n${SEED_ROW_2}\r\n`).problems, []);
  });
});
