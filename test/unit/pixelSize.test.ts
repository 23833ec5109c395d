import * as assert from 'node:assert/strict';
import { fitInto, formatBytes, pixelSize } from '../../src/core';
import { makePng } from '../helpers/images';
import { Raster } from '../helpers/raster';

describe('pixel size from the first bytes', () => {
  it('reads a PNG\'s width and height from its header', () => {
    const png = makePng(64, 40);
    assert.deepEqual(pixelSize(png, png.length), { width: 64, height: 40 });
    assert.deepEqual(pixelSize(png.subarray(0, 20), png.length), { needBytes: 24 });
  });

  it('reads a JPEG\'s frame header, and turns it a quarter when its EXIF orientation says so', () => {
    const plain = new Raster(48, 32).jpeg();
    assert.deepEqual(pixelSize(plain, plain.length), { width: 48, height: 32 });
    for (const o of [1, 2, 3, 4]) assert.deepEqual(pixelSize(new Raster(48, 32).jpeg(o), 10_000), { width: 48, height: 32 }, `orientation ${o}`);
    for (const o of [5, 6, 7, 8]) assert.deepEqual(pixelSize(new Raster(48, 32).jpeg(o), 10_000), { width: 32, height: 48, rotated: true }, `orientation ${o}`);
  });

  it('asks for more bytes when a JPEG\'s frame header lies past what it was given, then finds it', () => {
    const jpeg = new Raster(48, 32).jpeg(6);
    let have = 6;
    let answer = pixelSize(jpeg.subarray(0, have), jpeg.length);
    const asked: number[] = [];
    while (answer && 'needBytes' in answer) {
      assert.ok(answer.needBytes > have && answer.needBytes <= jpeg.length, `asks for ${answer.needBytes} with ${have}`);
      asked.push(answer.needBytes);
      have = answer.needBytes;
      answer = pixelSize(jpeg.subarray(0, have), jpeg.length);
    }
    assert.deepEqual(answer, { width: 32, height: 48, rotated: true });
    assert.ok(asked.length >= 3, `segment by segment: ${asked.join(', ')}`);
  });

  it('answers undefined for other formats, damaged headers and a JPEG cut before its frame header', () => {
    assert.equal(pixelSize(new TextEncoder().encode('GIF89a........'), 14), undefined);
    const png = Buffer.from(makePng(4, 4));
    png.write('IHDX', 12, 'latin1');
    assert.equal(pixelSize(png, png.length), undefined);
    const jpeg = new Raster(16, 16).jpeg();
    assert.equal(pixelSize(jpeg.subarray(0, 30), 30), undefined, 'the file ends before a frame header');
    assert.equal(pixelSize(Uint8Array.from([0xff, 0xd8, 0xff, 0xda, 0, 2]), 6), undefined, 'a scan before any frame header');
  });
});

describe('thumbnail size and byte counts', () => {
  it('fits an image into a box, keeping its proportions and never enlarging it', () => {
    assert.deepEqual(fitInto({ width: 1200, height: 800 }, 240, 240), { width: 240, height: 160 });
    assert.deepEqual(fitInto({ width: 900, height: 1600 }, 240, 240), { width: 135, height: 240 });
    assert.deepEqual(fitInto({ width: 64, height: 40 }, 240, 240), { width: 64, height: 40 });
    assert.deepEqual(fitInto({ width: 10_000, height: 1 }, 240, 240), { width: 240, height: 1 });
  });

  it('writes bytes in decimal units, as the 10 MB limit counts them', () => {
    assert.equal(formatBytes(812), '812 B');
    assert.equal(formatBytes(12_345), '12.3 kB');
    assert.equal(formatBytes(2_400_000), '2.4 MB');
  });
});
