import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { InputError, lintBatchPath } from '../../src/node/batch/lintPath';
import { SplitError, splitBatchFolder } from '../../src/node/batch/split';
import { checksums, makeBatch } from '../helpers/batch';
import { makePng } from '../helpers/images';
import { SEED_HEADER, codes, seedRow } from '../helpers/lint';

// The split adapter on real folders: what lands in which part, and that every refusal,
// failure or cancellation leaves the disk exactly as it was.

describe('splitBatchFolder', function () {
  this.timeout(60_000);
  let root: string;
  beforeEach(() => { root = mkdtempSync(path.join(os.tmpdir(), 'jb-split-')); });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** A makeBatch batch of `rows` rows in `<root>/batch`. */
  function batch(rows: number): string {
    return makeBatch(rows, 256, path.join(root, 'batch'));
  }

  /** The rows of makeBatch's input.csv, by index. */
  function sourceRows(folder: string): string[] {
    return readFileSync(path.join(folder, 'input.csv'), 'utf8').split('\n').slice(1, -1);
  }

  async function refusal(run: Promise<unknown>): Promise<SplitError> {
    const e = await run.then(() => undefined, (err: unknown) => err);
    assert.ok(e instanceof SplitError, `a SplitError, got ${String(e)}`);
    return e;
  }

  it('writes <name>-partN beside the source, each with its rows and exactly the images they reference', async () => {
    const src = batch(5);
    writeFileSync(path.join(src, 'img', 'unreferenced.png'), makePng(2, 2));
    const before = checksums(src);
    const rows = sourceRows(src);
    const r = await splitBatchFolder(src, { maxRows: 2 });

    assert.deepEqual(r.parts.map((p) => path.basename(p.folder)), ['batch-part1', 'batch-part2', 'batch-part3']);
    assert.deepEqual(r.parts.map((p) => p.rows), [2, 2, 1]);
    assert.deepEqual(readdirSync(root).sort(), ['batch', 'batch-part1', 'batch-part2', 'batch-part3']);
    const firstRows = [0, 2, 4];
    r.parts.forEach((p, k) => {
      const own = rows.slice(firstRows[k], firstRows[k] + p.rows);
      assert.equal(readFileSync(path.join(p.folder, 'input.csv'), 'utf8'), [SEED_HEADER, ...own].join('\n') + '\n');
      const ids = own.map((_, j) => firstRows[k] + j);
      const expected = ids.flatMap((i) => [`img/ids/${i}.back.png`, `img/ids/${i}.front.png`, `img/${i}.face.png`]);
      assert.deepEqual([...p.images].sort(), [...expected].sort());
      const copied = checksums(p.folder);
      assert.deepEqual([...copied.keys()].sort(), ['input.csv', ...expected].sort());
      for (const f of expected) assert.equal(copied.get(f), before.get(f), `${f} is a faithful copy`);
    });
    assert.deepEqual(checksums(src), before, 'the source is unchanged');
  });

  it('produces parts that each lint clean', async () => {
    const r = await splitBatchFolder(batch(7), { maxRows: 3 });
    for (const p of r.parts) {
      const lint = await lintBatchPath(p.folder, { maxRows: 3 });
      assert.deepEqual(codes(lint.problems), [], p.folder);
      assert.equal(lint.rows, p.rows);
    }
  });

  it('copies an image that rows of two parts reference into both, and accepts the input.csv path', async () => {
    const src = path.join(root, 'shared');
    mkdirSync(path.join(src, 'faces'), { recursive: true });
    writeFileSync(path.join(src, 'faces', 'same.png'), makePng(3, 3));
    const lines = [0, 1, 2].map((i) => {
      for (const s of ['back', 'front']) writeFileSync(path.join(src, `${i}.${s}.png`), makePng(2, 2, [i, 0, 0]));
      return seedRow({ customerInternalReference: `ref-${i}`, backImage: `${i}.back.png`, frontImage: `${i}.front.png`, faceImage: i === 1 ? './faces/same.png' : 'faces/same.png' });
    });
    writeFileSync(path.join(src, 'input.csv'), [SEED_HEADER, ...lines].join('\n') + '\n');
    const r = await splitBatchFolder(path.join(src, 'input.csv'), { maxRows: 2 });
    assert.deepEqual(r.parts.map((p) => p.images), [
      ['0.back.png', '0.front.png', 'faces/same.png', '1.back.png', '1.front.png'],
      ['2.back.png', '2.front.png', 'faces/same.png'],
    ]);
    for (const p of r.parts) assert.deepEqual(readFileSync(path.join(p.folder, 'faces', 'same.png')), readFileSync(path.join(src, 'faces', 'same.png')));
  });

  it('creates the parts in outDir, making it when missing', async () => {
    const out = path.join(root, 'out', 'deeper');
    const r = await splitBatchFolder(batch(3), { maxRows: 2, outDir: out });
    assert.deepEqual(readdirSync(out).sort(), ['batch-part1', 'batch-part2']);
    assert.equal(r.parts[0].folder, path.join(out, 'batch-part1'));
  });

  it('reports progress up to every file written', async () => {
    const seen: string[] = [];
    await splitBatchFolder(batch(3), { maxRows: 2, onProgress: (p) => seen.push(`${p.filesDone}/${p.filesTotal}`) });
    assert.equal(seen.length, 11, 'two CSVs and nine images');
    assert.equal(seen[seen.length - 1], '11/11');
  });

  describe('refuses, writing nothing,', () => {
    /** Every entry below the temporary root, to compare before and after. */
    const snapshot = (): string[] => readdirSync(root, { recursive: true }).map(String).sort();

    it('when a referenced image is missing, naming the image and its 1-based line', async () => {
      const src = batch(4);
      unlinkSync(path.join(src, 'img', '2.face.png'));
      const before = snapshot();
      const e = await refusal(splitBatchFolder(src, { maxRows: 2 }));
      assert.equal(e.kind, 'unsafe');
      assert.deepEqual(codes(e.problems), ['image-missing']);
      assert.match(e.message, /line 4: image-missing: faceImage "img\/2\.face\.png" is not in the batch folder/);
      assert.ok(e.message.includes(path.join(src, 'input.csv')), e.message);
      assert.deepEqual(snapshot(), before);
    });

    it('when a referenced image lies outside the batch', async () => {
      const src = batch(2);
      writeFileSync(path.join(root, 'elsewhere.png'), makePng(2, 2));
      symlinkSync(path.join(root, 'elsewhere.png'), path.join(src, 'link.png'));
      const csv = readFileSync(path.join(src, 'input.csv'), 'utf8').replace('img/1.face.png', 'link.png').replace('img/ids/0.back.png', '../elsewhere.png');
      writeFileSync(path.join(src, 'input.csv'), csv);
      const before = snapshot();
      const e = await refusal(splitBatchFolder(src, { maxRows: 1 }));
      assert.deepEqual(codes(e.problems), ['image-outside-batch', 'image-outside-batch']);
      assert.match(e.message, /line 2: image-outside-batch: backImage "\.\.\/elsewhere\.png"/);
      assert.match(e.message, /line 3: image-outside-batch: faceImage "link\.png"/);
      assert.deepEqual(snapshot(), before);
    });

    it('when the CSV cannot be read safely', async () => {
      const src = batch(3);
      const csv = readFileSync(path.join(src, 'input.csv'), 'utf8').replace('ref-1', 'ref-"1"');
      writeFileSync(path.join(src, 'input.csv'), csv);
      const before = snapshot();
      const e = await refusal(splitBatchFolder(src, { maxRows: 1 }));
      assert.deepEqual(codes(e.problems), ['csv-syntax']);
      assert.deepEqual(snapshot(), before);
    });

    it('when the folder has no input.csv', async () => {
      const src = batch(1);
      unlinkSync(path.join(src, 'input.csv'));
      const e = await refusal(splitBatchFolder(src));
      assert.equal(e.kind, 'unsafe');
      assert.deepEqual(codes(e.problems), ['file-name']);
    });

    it('when a part\'s folder already exists, leaving it as it was', async () => {
      const src = batch(3);
      mkdirSync(path.join(root, 'batch-part2'));
      writeFileSync(path.join(root, 'batch-part2', 'mine.txt'), 'keep');
      const before = snapshot();
      const e = await refusal(splitBatchFolder(src, { maxRows: 1 }));
      assert.equal(e.kind, 'target');
      assert.ok(e.message.includes(path.join(root, 'batch-part2')), e.message);
      assert.doesNotMatch(e.message, /batch-part[13]/);
      assert.deepEqual(snapshot(), before);
    });

    it('when the parts would be written inside the source', async () => {
      const src = batch(2);
      const before = snapshot();
      const e = await refusal(splitBatchFolder(src, { maxRows: 1, outDir: path.join(src, 'parts') }));
      assert.equal(e.kind, 'target');
      assert.deepEqual(snapshot(), before);
    });

    it('when the source does not exist (InputError)', async () => {
      await assert.rejects(splitBatchFolder(path.join(root, 'nope')), InputError);
    });
  });

  describe('leaves nothing behind', () => {
    const entries = (): string[] => readdirSync(root).sort();

    it('when cancelled while copying, including an outDir it made', async () => {
      const src = batch(6);
      const controller = new AbortController();
      const e = await refusal(splitBatchFolder(src, {
        maxRows: 2, outDir: path.join(root, 'out'), signal: controller.signal,
        onProgress: (p) => { if (p.filesDone === 5) controller.abort(); },
      }));
      assert.equal(e.kind, 'cancelled');
      assert.deepEqual(entries(), ['batch']);
    });

    it('when a part\'s folder appears after the copies, undoing the parts already moved', async () => {
      const src = batch(3);
      const intruder = path.join(root, 'batch-part2');
      const e = await refusal(splitBatchFolder(src, {
        maxRows: 1,
        onProgress: (p) => { if (p.filesDone === p.filesTotal) mkdirSync(intruder); },
      }));
      assert.equal(e.kind, 'target');
      assert.deepEqual(entries(), ['batch', 'batch-part2']);
      assert.deepEqual(readdirSync(intruder), []);
    });

    it('when an image cannot be copied', async function () {
      if (process.platform === 'win32') this.skip();
      const src = batch(4);
      // A socket sits in the folder listing like a file but cannot be opened for reading.
      unlinkSync(path.join(src, 'img', '3.face.png'));
      const server: Server = createServer();
      await new Promise<void>((resolve) => server.listen(path.join(src, 'img', '3.face.png'), resolve));
      try {
        const e = await refusal(splitBatchFolder(src, { maxRows: 2, outDir: path.join(root, 'out') }));
        assert.equal(e.kind, 'io');
        assert.ok(e.message.includes(path.join(src, 'img', '3.face.png')), e.message);
        assert.deepEqual(entries(), ['batch']);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });
  });
});
