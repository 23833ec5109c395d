import * as assert from 'node:assert/strict';
import { progressLine } from '../../src/cli/upload';

describe('the upload progress line', () => {
  const base = { batchId: '4d07845b-b326-4c54-a4c2-1ee276221063', filesTotal: 30_000, bytesTotal: 3_400_000_000 };

  it('shows files, MB, rate and ETA while uploading', () => {
    const line = progressLine({ ...base, phase: 'uploading', filesDone: 1_234, bytesDone: 850_000_000, bytesPerSecond: 170_000_000, etaSeconds: 15.2 });
    assert.equal(line, '[######..................] 1,234/30,000 files  850.0/3400.0 MB  170.0 MB/s  ETA 16s  uploading');
  });

  it('leaves the ETA out before anything was sent and after the upload phase', () => {
    assert.doesNotMatch(progressLine({ ...base, phase: 'connecting', filesDone: 0, bytesDone: 0, bytesPerSecond: 0 }), /ETA/);
    const done = progressLine({ ...base, phase: 'verifying', filesDone: 30_000, bytesDone: 3_400_000_000, bytesPerSecond: 200_000_000, etaSeconds: 0 });
    assert.match(done, /^\[#{24}\] 30,000\/30,000 files/);
    assert.doesNotMatch(done, /ETA/);
  });
});
