import * as assert from 'node:assert/strict';
import { UploadProgress, counted, lintStatusText, uploadStatusText } from '../../src/core';

describe('the status bar texts', () => {
  it('counts in the singular for exactly one, else the plural, with thousands separators', () => {
    assert.equal(counted(1, 'row'), '1 row');
    assert.equal(counted(0, 'row'), '0 rows');
    assert.equal(counted(2, 'error'), '2 errors');
    assert.equal(counted(12_345, 'row'), '12,345 rows');
  });

  it('shows errors first, with warnings after them when there are any', () => {
    assert.equal(lintStatusText({ rows: 10, errors: 1, warnings: 0 }), '$(error) Batch: 1 error');
    assert.equal(lintStatusText({ rows: 10, errors: 3, warnings: 1 }), '$(error) Batch: 3 errors, 1 warning');
  });

  it('shows rows and warnings when there are warnings only, and "ready" when there is nothing', () => {
    assert.equal(lintStatusText({ rows: 1, errors: 0, warnings: 2 }), '$(warning) Batch: 1 row, 2 warnings');
    assert.equal(lintStatusText({ rows: 1_500, errors: 0, warnings: 0 }), '$(check) Batch: 1,500 rows, ready');
  });

  const progress = (p: Partial<UploadProgress>): UploadProgress => ({
    phase: 'uploading', batchId: '', filesDone: 0, filesTotal: 0, bytesDone: 0, bytesTotal: 0, bytesPerSecond: 0, ...p,
  });

  it('says connecting or reconnecting while there is no connection', () => {
    assert.equal(uploadStatusText(progress({ phase: 'connecting' })), '$(sync~spin) Connecting…');
    assert.equal(uploadStatusText(progress({ phase: 'reconnecting', filesDone: 5, filesTotal: 9 })), '$(sync~spin) Reconnecting…');
  });

  it('shows files done of all and the percent of bytes sent, rounded down', () => {
    assert.equal(uploadStatusText(progress({ filesDone: 1_234, filesTotal: 30_000, bytesDone: 999, bytesTotal: 1_000 })), '$(sync~spin) Uploading 1,234/30,000 (99%)');
    assert.equal(uploadStatusText(progress({ phase: 'verifying', filesDone: 3, filesTotal: 3, bytesDone: 10, bytesTotal: 10 })), '$(sync~spin) Uploading 3/3 (100%)');
    assert.equal(uploadStatusText(progress({ filesDone: 0, filesTotal: 0, bytesTotal: 0 })), '$(sync~spin) Uploading 0/0 (0%)');
  });
});
