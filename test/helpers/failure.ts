import * as assert from 'node:assert/strict';
import { UploadError } from '../../src/core';

/** The UploadError an upload ends with (fails the test if it succeeds or throws something else). */
export async function uploadFailure(p: Promise<unknown>): Promise<UploadError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof UploadError, `expected an UploadError, got ${String(e)}`);
    return e;
  }
  return assert.fail('the upload succeeded');
}
