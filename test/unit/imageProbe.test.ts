import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { probeBatchImage } from '../../src/node/images/probe';
import { makePng } from '../helpers/images';
import { Raster } from '../helpers/raster';

describe('probing an image cell\'s file for the hover', () => {
  let root: string;
  let folder: string;

  before(() => {
    root = realpathSync(mkdtempSync(path.join(tmpdir(), 'jumio-probe-')));
    folder = path.join(root, 'batch');
    mkdirSync(path.join(folder, 'id'), { recursive: true });
    writeFileSync(path.join(folder, 'id', 'front.png'), makePng(64, 40));
    // A JPEG whose frame header lies past the first read: 200 kB of metadata before it.
    const jpeg = new Raster(48, 32).jpeg(6);
    const app15 = (n: number) => Buffer.concat([Buffer.from([0xff, 0xef, 0xff, 0xff]), Buffer.alloc(n)]);
    writeFileSync(path.join(folder, 'face.jpg'), Buffer.concat([jpeg.subarray(0, 2), ...Array.from({ length: 4 }, () => app15(65_533)), jpeg.subarray(2)]));
    writeFileSync(path.join(root, 'secret.png'), makePng(8, 8));
    symlinkSync(path.join(root, 'secret.png'), path.join(folder, 'link.png'));
    writeFileSync(path.join(folder, 'photo.heic'), Buffer.from('\0\0\0\x18ftypheic\0\0\0\0'));
  });

  after(() => rmSync(root, { recursive: true, force: true }));

  it('reports a PNG\'s bytes, format and pixel size', async () => {
    const p = await probeBatchImage(folder, 'id/front.png');
    assert.equal(p.kind, 'file');
    assert.deepEqual(p.kind === 'file' && { ...p, file: path.relative(folder, p.file) }, { kind: 'file', file: 'id/front.png', bytes: makePng(64, 40).length, format: 'PNG', pixels: { width: 64, height: 40 } });
  });

  it('reads on through a JPEG\'s metadata to its frame header', async () => {
    const p = await probeBatchImage(folder, './face.jpg');
    assert.ok(p.kind === 'file' && p.bytes > 260_000, JSON.stringify(p));
    assert.deepEqual(p.kind === 'file' && [p.format, p.pixels], ['JPEG', { width: 32, height: 48, rotated: true }]);
  });

  it('says missing, outside or not-a-file without reading anything outside the batch folder', async () => {
    assert.deepEqual(await probeBatchImage(folder, 'id/nope.png'), { kind: 'missing' });
    assert.deepEqual(await probeBatchImage(folder, ''), { kind: 'missing' });
    assert.deepEqual(await probeBatchImage(folder, '../secret.png'), { kind: 'outside' });
    assert.deepEqual(await probeBatchImage(folder, path.join(root, 'secret.png')), { kind: 'outside' });
    assert.deepEqual(await probeBatchImage(folder, 'link.png'), { kind: 'outside' }, 'a link that leads out is not followed');
    assert.deepEqual(await probeBatchImage(folder, 'id'), { kind: 'not-a-file' });
  });

  it('names another format by its first bytes, with no pixel size', async () => {
    const p = await probeBatchImage(folder, 'photo.heic');
    assert.deepEqual(p.kind === 'file' && [p.format, p.pixels], ['HEIC/HEIF', undefined]);
  });
});
