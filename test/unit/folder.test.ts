import * as assert from 'node:assert/strict';
import { isInside } from '../../src/node/batch/folder';

describe('isInside', () => {
  it('tells paths below the root from paths beside or above it', () => {
    assert.equal(isInside('/b/batch', '/b/batch'), true);
    assert.equal(isInside('/b/batch', '/b/batch/img/a.png'), true);
    assert.equal(isInside('/b/batch', '/b/batch/..hidden.png'), true, 'a name starting with two dots is inside');
    assert.equal(isInside('/b/batch', '/b/batch-2/a.png'), false);
    assert.equal(isInside('/b/batch', '/b'), false);
    assert.equal(isInside('/b/batch', '/b/other/a.png'), false);
  });
});
