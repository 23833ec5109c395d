import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { pixelSize } from '../../src/core';
import { ICON_FILE, drawIcon } from '../helpers/icon';

/** The raw pixel rows of an 8-bit RGB PNG whose rows all use filter 0 (as ours are written). */
function pixelsOf(png: Buffer, width: number): Buffer {
  const idat: Buffer[] = [];
  for (let i = 8; i < png.length;) {
    const length = png.readUInt32BE(i);
    if (png.toString('latin1', i + 4, i + 8) === 'IDAT') idat.push(png.subarray(i + 8, i + 8 + length));
    i += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = 1 + width * 3;
  return Buffer.concat(Array.from({ length: raw.length / stride }, (_, y) => raw.subarray(y * stride + 1, (y + 1) * stride)));
}

describe('the extension icon', () => {
  it('is the 128×128 PNG that test/helpers/icon.ts draws (npm run icon)', () => {
    const png = readFileSync(ICON_FILE);
    assert.deepEqual(pixelSize(png, png.length), { width: 128, height: 128 });
    assert.ok(pixelsOf(png, 128).equals(Buffer.from(drawIcon().pixels)), 'the committed icon is the drawing');
  });
});
