import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { lintBatchPath } from '../../src/node/batch/lintPath';

const EXAMPLES = path.resolve(__dirname, '../../../examples');

describe('the bundled examples', () => {
  it('examples/batch (the seed example with real PNGs) lints with no problem at all', async () => {
    const result = await lintBatchPath(path.join(EXAMPLES, 'batch'));
    assert.deepEqual(result.problems, []);
    assert.equal(result.rows, 2);
  });

  it('examples/broken-batch shows most rule codes at once', async () => {
    const result = await lintBatchPath(path.join(EXAMPLES, 'broken-batch'));
    const codes = new Set(result.problems.map((p) => p.code));
    for (const code of ['bom', 'line-endings', 'csv-syntax', 'column-count', 'blank-row', 'unknown-column', 'duplicate-column',
      'blank-column-name', 'required-value', 'workflow-key', 'forbidden-character', 'reference-too-long', 'pii-in-reference',
      'image-missing', 'image-outside-batch', 'image-case-mismatch', 'image-format', 'image-unreferenced', 'consent-incomplete',
      'ip-address', 'country-code', 'consent-value', 'timestamp', 'date-of-birth', 'phone-number', 'email', 'excel-damage', 'whitespace']) {
      assert.ok(codes.has(code as never), `broken-batch should show ${code}`);
    }
  });
});
