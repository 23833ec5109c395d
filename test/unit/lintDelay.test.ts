import * as assert from 'node:assert/strict';
import { MIN_LINT_DELAY_MS, lintDelay } from '../../src/core';

describe('the wait after a keystroke', () => {
  it('is twice the file\'s last lint, at least 50 ms and at most the debounce setting', () => {
    assert.equal(lintDelay(250, 3), MIN_LINT_DELAY_MS, 'a 2-row file');
    assert.equal(lintDelay(250, 60), 120);
    assert.equal(lintDelay(250, 180), 250, 'a 10,000-row file waits as long as before');
  });

  it('is the setting before a file\'s first lint, and 0 when the setting is 0', () => {
    assert.equal(lintDelay(250, undefined), 250);
    assert.equal(lintDelay(0, 3), 0);
    assert.equal(lintDelay(30, 3), 30, 'a setting below the floor wins');
  });
});
