import * as assert from 'node:assert/strict';
import { imageSize } from 'image-size';
import { IMAGE_READ_BYTES } from '../../src/core';
import { makeBilevelPng, makeJpeg, makePng } from '../helpers/images';
import { inspect } from '../helpers/lint';

// What an image's own bytes say: its pixel size and whether its data reaches its end marker,
// read with a few small reads. image-size (a well-kept library) is the oracle for the sizes.

/** Bytes with no 0xFF: a trailer in which no end-of-image marker can hide. */
function noise(length: number, seed = 1): Buffer {
  const b = Buffer.alloc(length);
  let x = seed;
  for (let i = 0; i < length; i++) { x = (x * 1103515245 + 12345) >>> 0; b[i] = (x >>> 24) % 255; }
  return b;
}

const cut = (b: Buffer, drop: number): Buffer => b.subarray(0, b.length - drop);

describe('inspectImage: PNG', () => {
  it('reads the size from IHDR and finds IEND, with one read for a small file', () => {
    const png = makePng(48, 32);
    const { facts, reads } = inspect(png);
    assert.deepEqual({ width: facts.width, height: facts.height, ends: facts.ends }, { width: 48, height: 32, ends: true });
    assert.deepEqual(reads, [[0, png.length]]);
    assert.deepEqual([...facts.head], [...png.subarray(0, 16)]);
  });

  it('reads a valid 8,000 × 8,000 PNG from its first 4 KB and its last 8 bytes', () => {
    const png = makeBilevelPng(8000, 8000, 100_000);
    assert.ok(png.length > 2 * IMAGE_READ_BYTES, 'large enough that the head and tail are two reads');
    const { facts, reads } = inspect(png);
    assert.deepEqual({ width: facts.width, height: facts.height, ends: facts.ends }, { width: 8000, height: 8000, ends: true });
    assert.deepEqual(reads, [[0, IMAGE_READ_BYTES], [png.length - 8, 8]]);
  });

  it('tells a PNG cut short: in its image data, just before IEND, or after its signature', () => {
    const png = makePng(64, 64, [1, 2, 3], 50_000);
    for (const drop of [1, 12, 20_000, png.length - 8]) assert.equal(inspect(cut(png, drop)).facts.ends, false, `${drop} bytes cut`);
    assert.equal(inspect(cut(png, 20_000)).facts.width, 64, 'the size is still read');
  });

  it('finds IEND by walking the chunks when data follows it beyond the last 4 KB', () => {
    const png = Buffer.concat([makePng(8, 8, [1, 2, 3], 20_000), noise(10_000)]);
    assert.equal(inspect(png).facts.ends, true);
  });
});

describe('inspectImage: JPEG', () => {
  it('reads the frame header of a baseline JPEG and finds its end-of-image marker', () => {
    const { facts, reads } = inspect(makeJpeg({ width: 640, height: 480 }));
    assert.deepEqual({ width: facts.width, height: facts.height, ends: facts.ends }, { width: 640, height: 480, ends: true });
    assert.equal(reads.length, 1);
  });

  it('steps over a 60 KB EXIF block (whose thumbnail has its own EOI) to the frame header, reading little', () => {
    const jpeg = makeJpeg({ width: 4032, height: 3024, exifBytes: 60_000, scanBytes: 200_000 });
    const { facts, reads } = inspect(jpeg);
    assert.deepEqual({ width: facts.width, height: facts.height, ends: facts.ends }, { width: 4032, height: 3024, ends: true });
    assert.ok(reads.length <= 3, `${reads.length} reads`);
    assert.ok(reads.reduce((n, [, l]) => n + l, 0) <= 3 * IMAGE_READ_BYTES);
  });

  it('reads the size from every kind of frame header (progressive, lossless, arithmetic)', () => {
    for (const sof of [0xc1, 0xc2, 0xc3, 0xc5, 0xc9, 0xcb, 0xcd, 0xcf]) {
      const { facts } = inspect(makeJpeg({ width: 9000, height: 7, sof }));
      assert.deepEqual([facts.width, facts.height, facts.ends], [9000, 7, true], sof.toString(16));
    }
  });

  it('tells a JPEG cut short: in its image data, in a progressive JPEG between scans, or inside its EXIF block', () => {
    const baseline = makeJpeg({ scanBytes: 30_000 });
    for (const drop of [2, 1, 10_000]) assert.equal(inspect(cut(baseline, drop)).facts.ends, false, `${drop} cut`);
    const progressive = makeJpeg({ progressive: true, scanBytes: 20_000 });
    assert.equal(inspect(cut(progressive, 20_000)).facts.ends, false);
    const exif = makeJpeg({ exifBytes: 30_000 });
    const early = inspect(exif.subarray(0, 20_000)).facts;
    assert.deepEqual([early.width, early.ends], [undefined, false], 'no frame header read, and no end');
  });

  it('does not flag what phones write: data after the end marker, small or large (a motion photo)', () => {
    for (const trailer of [Buffer.from('SEFHxxxxSEFT'), noise(5_000), noise(300_000)]) {
      const { facts } = inspect(makeJpeg({ exifBytes: 20_000, scanBytes: 50_000, trailer }));
      assert.equal(facts.ends, true, `${trailer.length} bytes after the end`);
    }
    assert.equal(inspect(makeJpeg({ progressive: true, trailer: noise(9_000) })).facts.ends, true);
  });
});

describe('inspectImage: other files', () => {
  it('gives only size and first bytes of other formats and of empty files, and never throws', () => {
    assert.deepEqual(inspect(Buffer.from('GIF89a\x01\x00\x01\x00')).facts, { size: 10, head: Uint8Array.from(Buffer.from('GIF89a\x01\x00\x01\x00')) });
    assert.deepEqual(inspect(Buffer.alloc(0)).facts, { size: 0, head: new Uint8Array(0) });
    for (const bytes of [Buffer.from([0xff, 0xd8, 0xff]), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 1]), makePng(1, 1).subarray(0, 20)]) {
      assert.equal(inspect(bytes).facts.ends, false);
    }
  });
});

describe('inspectImage against image-size', () => {
  it('reads the same width and height as image-size from the whole file', () => {
    const files = [
      makePng(1, 1), makePng(300, 7), makeBilevelPng(8001, 3), makeBilevelPng(12, 65_535),
      makeJpeg(), makeJpeg({ width: 65_535, height: 1, exifBytes: 40_000 }), makeJpeg({ width: 8000, height: 8000, progressive: true }), makeJpeg({ sof: 0xc1, width: 123, height: 456 }),
    ];
    for (const f of files) {
      const ours = inspect(f).facts;
      const theirs = imageSize(f);
      assert.deepEqual([ours.width, ours.height], [theirs.width, theirs.height]);
    }
  });
});
