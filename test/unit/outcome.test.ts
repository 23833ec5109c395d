import * as assert from 'node:assert/strict';
import { Problem, RuleCode, Severity, batchOutcome, describeStatus } from '../../src/core';

function at(code: RuleCode, line: number, severity: Severity = 'error'): Problem {
  const pos = { line, character: 0 };
  return { code, severity, range: { start: pos, end: pos }, message: 'a message that holds cell values' };
}

describe('batchOutcome', () => {
  it('completes a batch with no problems, and one with warnings and infos only', () => {
    assert.deepEqual(batchOutcome([], 2), { status: 'COMPLETED', rows: 2 });
    assert.deepEqual(batchOutcome([at('forbidden-character', 1, 'warning'), at('forbidden-character', 2, 'info')], 2), { status: 'COMPLETED', rows: 2 });
  });

  it('ends in INVALID_ROW at the 1-based line of the first error', () => {
    const out = batchOutcome([at('forbidden-character', 1, 'warning'), at('forbidden-character', 2), at('forbidden-character', 5)], 9);
    assert.deepEqual(out, { status: 'ERROR', errorCode: 'INVALID_ROW', line: 3, code: 'forbidden-character', rows: 9 });
  });

  it('lets a missing image win over an invalid row before it', () => {
    const out = batchOutcome([at('forbidden-character', 1), at('image-missing', 4)], 5);
    assert.deepEqual(out, { status: 'ERROR', errorCode: 'INPUT_FILE_NOT_FOUND', line: 5, code: 'image-missing', rows: 5 });
    // An image there only in another letter case is not found either: Jumio's storage is case-sensitive.
    assert.equal(batchOutcome([at('forbidden-character', 1), at('image-case-mismatch', 2)], 5).errorCode, 'INPUT_FILE_NOT_FOUND');
  });

  it('gives a missing input.csv no line: the file it would point into does not exist', () => {
    const out = batchOutcome([at('file-name', 0)], 0);
    assert.deepEqual(out, { status: 'ERROR', errorCode: 'INPUT_FILE_NOT_FOUND', code: 'file-name', rows: 0 });
  });

  it('does not count a missing image that is only a warning', () => {
    assert.equal(batchOutcome([at('image-missing', 1, 'warning')], 1).status, 'COMPLETED');
  });
});

describe('describeStatus', () => {
  const batchId = '096c7aef-3c1e-4a5b-9d2e-6f1a2b3c4d5e';
  const time = '2024-01-01T00:00:00.000Z';

  it('names the batch, status, error code, line, rule and rows', () => {
    assert.equal(describeStatus({ batchId, at: time, status: 'ERROR', errorCode: 'INVALID_ROW', line: 3, code: 'forbidden-character', rows: 2 }),
      `batch ${batchId}: ERROR INVALID_ROW at line 3 (forbidden-character) - 2 rows`);
  });

  it('says "1 row" for one, and leaves out what a status does not have', () => {
    assert.equal(describeStatus({ batchId, at: time, status: 'COMPLETED', rows: 1 }), `batch ${batchId}: COMPLETED - 1 row`);
    assert.equal(describeStatus({ batchId, at: time, status: 'CREATED' }), `batch ${batchId}: CREATED`);
  });
});
