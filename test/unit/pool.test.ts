import * as assert from 'node:assert/strict';
import { isBatchId, runPool } from '../../src/core';

describe('runPool', () => {
  it('runs every item with at most `limit` in flight', async () => {
    let running = 0;
    let most = 0;
    const seen: number[] = [];
    await runPool([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setImmediate(r));
      seen.push(n);
      running--;
    });
    assert.equal(most, 3);
    assert.deepEqual(seen.sort(), [1, 2, 3, 4, 5, 6, 7]);
  });

  it('starts nothing after the first failure, waits for the running ones, then throws that failure', async () => {
    const started: number[] = [];
    let settled = 0;
    await assert.rejects(runPool([1, 2, 3, 4, 5, 6], 2, async (n) => {
      started.push(n);
      await new Promise((r) => setImmediate(r));
      settled++;
      if (n === 2) throw new Error('second');
      if (n === 1) throw new Error('first is later');
    }), /first is later|second/);
    assert.equal(settled, started.length, 'no task was still running when it threw');
    assert.ok(started.length <= 3, `started ${started.join(',')}`);
  });

  it('starts no more once stop() is true', async () => {
    const started: number[] = [];
    await runPool([1, 2, 3, 4], 1, async (n) => { started.push(n); }, () => started.length >= 2);
    assert.deepEqual(started, [1, 2]);
  });

  it('settles at once on no items', async () => {
    await runPool([], 4, async () => { throw new Error('never'); });
  });
});

describe('isBatchId', () => {
  it('takes a lower-case UUID v4 only', () => {
    assert.equal(isBatchId('096c7aef-c3dd-4427-9f93-f64295b8f2d6'), true);
    assert.equal(isBatchId('096C7AEF-C3DD-4427-9F93-F64295B8F2D6'), false);
    assert.equal(isBatchId('096c7aef-c3dd-1427-9f93-f64295b8f2d6'), false, 'v1');
    assert.equal(isBatchId('096c7aef-c3dd-4427-7f93-f64295b8f2d6'), false, 'variant');
    assert.equal(isBatchId(undefined), false);
  });
});
