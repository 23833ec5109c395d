import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isInside, listBatchFolder } from '../../src/node/batch/folder';
import { lintBatchPath } from '../../src/node/batch/lintPath';
import { SplitError, splitBatchFolder } from '../../src/node/batch/split';
import { checksums, makeBatch } from '../helpers/batch';
import { makePng } from '../helpers/images';
import { SEED_HEADER, codes, seedRow, where } from '../helpers/lint';

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

describe('the .jumio-batch folder (the upload receipts)', () => {
  let root: string;
  beforeEach(() => { root = mkdtempSync(path.join(os.tmpdir(), 'jb-receipts-')); });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function write(folder: string, files: string[]): void {
    for (const f of files) {
      mkdirSync(path.dirname(path.join(folder, f)), { recursive: true });
      writeFileSync(path.join(folder, f), f.endsWith('.png') ? makePng(2, 2) : '{}');
    }
  }

  it('is not entered by the folder listing, as .git is not; near names are', async () => {
    write(root, ['a.png', '.jumio-batch/x.json', '.jumio-batch/y.png', '.jumio-batch/old/z.png', '.git/HEAD', '.jumio-batch-old/y.png', '.jumio-batch.png', 'sub/.jumio-batchy/q.png']);
    const listed = (await listBatchFolder(root)).map((e) => e.path).sort();
    assert.deepEqual(listed, ['.jumio-batch-old/y.png', '.jumio-batch.png', 'a.png', 'sub/.jumio-batchy/q.png']);
  });

  it('holds no image-unreferenced for lint, and a reference into it is image-missing', async () => {
    const folder = path.join(root, 'batch');
    write(folder, ['face.png', '.jumio-batch/x.json', '.jumio-batch/y.png', '.jumio-batch-old/y.png']);
    const header = 'workflowDefinitionKey,customerInternalReference,faceImage';
    writeFileSync(path.join(folder, 'input.csv'), `${header}\n10015,a,face.png\n`);
    const result = await lintBatchPath(folder);
    assert.deepEqual(result.problems.map((p) => `${p.code} ${p.message.match(/"([^"]+)"/)?.[1]}`), ['image-unreferenced .jumio-batch-old/y.png'], 'only the near name is reported');
    writeFileSync(path.join(folder, 'input.csv'), `${header}\n10015,a,.jumio-batch/y.png\n`);
    assert.deepEqual(where((await lintBatchPath(folder)).problems.filter((p) => p.code !== 'image-unreferenced')), ['image-missing@1:8-1:26']);
  });

  it('is not copied by split, and a row that references a file in it stops the split', async () => {
    const src = makeBatch(3, 256, path.join(root, 'batch'));
    write(src, ['.jumio-batch/x.json', '.jumio-batch/y.png']);
    const r = await splitBatchFolder(src, { maxRows: 2 });
    for (const p of r.parts) assert.ok([...checksums(p.folder).keys()].every((f) => !f.startsWith('.jumio-batch')), p.folder);
    for (const p of r.parts) rmSync(p.folder, { recursive: true });

    const csv = path.join(src, 'input.csv');
    writeFileSync(csv, `${SEED_HEADER}\n${seedRow({ backImage: '.jumio-batch/y.png', frontImage: 'img/0.face.png', faceImage: 'img/1.face.png' })}\n`);
    const e = await splitBatchFolder(src, { maxRows: 1 }).then(() => undefined, (err: unknown) => err);
    assert.ok(e instanceof SplitError && e.kind === 'unsafe', String(e));
    assert.deepEqual(codes(e.problems), ['image-missing']);
  });
});
