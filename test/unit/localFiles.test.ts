import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalSource, UploadError, UploadFile } from '../../src/core';
import { openChecked, snapshotFiles } from '../../src/node/upload/localFiles';
import { Hasher, SLAB_BYTES } from '../../src/node/upload/hasher';
import { lockFolder } from '../../src/node/upload/lock';

function folderWith(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jb-local-'));
  for (const [name, body] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), body);
  }
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function drain(source: LocalSource, chunk = 7): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (;;) {
    const b = await source.read(chunk);
    if (b.length === 0) break;
    parts.push(Buffer.from(b));
  }
  return Buffer.concat(parts);
}

function changedSinceLint(fn: () => unknown): void {
  assert.throws(fn, (e: unknown) => e instanceof UploadError && e.reason === 'changed-since-lint');
}

async function rejectsChanged(p: Promise<unknown>): Promise<void> {
  await assert.rejects(p, (e: unknown) => e instanceof UploadError && e.reason === 'changed-since-lint');
}

describe('the files an upload sends', () => {
  let hasher: Hasher;
  before(() => { hasher = new Hasher(); });
  after(() => hasher.close());
  const plan = (dir: string, names: string[]): UploadFile[] => names.map((p) => ({ path: p, size: require('node:fs').statSync(path.join(dir, p)).size }));

  it('streams the linted bytes in order and hashes exactly them', async () => {
    const dir = folderWith({ 'input.csv': 'a,b\n1,2\n', 'img/x.png': Buffer.alloc(1000, 7) });
    const files = plan(dir, ['input.csv', 'img/x.png']);
    const ids = snapshotFiles(dir, files);
    const s = openChecked(dir, files, 1, ids[1], hasher);
    const bytes = await drain(s, 64);
    await s.close();
    assert.deepEqual(bytes, Buffer.alloc(1000, 7));
    assert.equal(await s.digest(), createHash('sha256').update(bytes).digest('hex'));
  });

  it('reuses chunk memory once it was hashed and read past, and never while either still holds it', async () => {
    const a = Buffer.alloc(3 * 1024 * 1024);
    const b = Buffer.alloc(3 * 1024 * 1024);
    for (let i = 0; i < a.length; i++) { a[i] = (i * 31) & 255; b[i] = (i * 17 + 5) & 255; }
    const dir = folderWith({ 'a.png': a, 'b.png': b });
    const files = plan(dir, ['a.png', 'b.png']);
    const ids = snapshotFiles(dir, files);
    const seen = new Set<ArrayBufferLike>();
    const readAll = async (index: number): Promise<{ bytes: Buffer; digest?: string }> => {
      const s = openChecked(dir, files, index, ids[index], hasher);
      const parts: Buffer[] = [];
      for (;;) {
        const chunk = await s.read(SLAB_BYTES);
        if (chunk.length === 0) break;
        seen.add(chunk.buffer);
        // While this source holds its chunk, another source must get other memory.
        const other = openChecked(dir, files, 1 - index, ids[1 - index], hasher);
        const theirs = await other.read(1024);
        assert.notEqual(theirs.buffer, chunk.buffer);
        await other.close();
        parts.push(Buffer.from(chunk));
        await new Promise((resolve) => setTimeout(resolve, 10)); // lets the hashing thread answer
      }
      await s.close();
      return { bytes: Buffer.concat(parts), digest: await s.digest() };
    };
    const first = await readAll(0);
    const second = await readAll(1);
    assert.deepEqual(first.bytes, a);
    assert.deepEqual(second.bytes, b);
    assert.equal(first.digest, createHash('sha256').update(a).digest('hex'));
    assert.equal(second.digest, createHash('sha256').update(b).digest('hex'));
    // 24 chunks of 256 KB were read (and 24 small ones beside them): without reuse, 24 slabs.
    assert.ok(seen.size <= 12, `chunks came from ${seen.size} different slabs`);
  });

  it('refuses at the plan a file that is a link, a file of another size, and a file in a linked folder', () => {
    const dir = folderWith({ 'a.png': 'aaaa', 'real/b.png': 'bb', 'outside.key': 'secret' });
    symlinkSync(path.join(dir, 'outside.key'), path.join(dir, 'link.png'));
    symlinkSync(path.join(dir, 'real'), path.join(dir, 'linked'));
    changedSinceLint(() => snapshotFiles(dir, [{ path: 'link.png', size: 6 }]));
    changedSinceLint(() => snapshotFiles(dir, [{ path: 'a.png', size: 5 }]));
    changedSinceLint(() => snapshotFiles(dir, [{ path: 'linked/b.png', size: 2 }]));
    assert.equal(snapshotFiles(dir, [{ path: 'real/b.png', size: 2 }]).length, 1);
  });

  it('refuses to open a file replaced by a link, by another file, or modified in place since the plan', async () => {
    const dir = folderWith({ 'a.png': 'aaaa', 'b.png': 'bbbb', 'c.png': 'cccc', 'secret': 'ssss' });
    const files = plan(dir, ['a.png', 'b.png', 'c.png']);
    const ids = snapshotFiles(dir, files);
    rmSync(path.join(dir, 'a.png'));
    symlinkSync(path.join(dir, 'secret'), path.join(dir, 'a.png'));
    changedSinceLint(() => openChecked(dir, files, 0, ids[0], hasher));
    writeFileSync(path.join(dir, 'b.new'), 'BBBB');
    renameSync(path.join(dir, 'b.new'), path.join(dir, 'b.png'));
    changedSinceLint(() => openChecked(dir, files, 1, ids[1], hasher));
    writeFileSync(path.join(dir, 'c.png'), 'CCCC');
    utimesSync(path.join(dir, 'c.png'), new Date(2001, 1, 1), new Date(2001, 1, 1));
    changedSinceLint(() => openChecked(dir, files, 2, ids[2], hasher));
  });

  it('stops a file that shrinks or grows while it is read (no endless loop, no short file sent as whole)', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024, 9);
    const dir = folderWith({ 'shrinks.png': big, 'grows.png': big });
    const files = plan(dir, ['shrinks.png', 'grows.png']);
    const ids = snapshotFiles(dir, files);
    const shrinking = openChecked(dir, files, 0, ids[0], hasher);
    await shrinking.read(1024);
    truncateSync(path.join(dir, 'shrinks.png'), 2048);
    await rejectsChanged(drain(shrinking, 1024 * 1024));
    await shrinking.close();
    const growing = openChecked(dir, files, 1, ids[1], hasher);
    await growing.read(1024);
    writeFileSync(path.join(dir, 'grows.png'), Buffer.concat([big, Buffer.from('more')]));
    await rejectsChanged(drain(growing, 1024 * 1024));
    assert.equal(await growing.digest(), undefined, 'no hash for a file that was not sent whole');
    await growing.close();
  });

  it('hashes a file read in one piece and one read in many pieces alike', async () => {
    const body = Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251));
    const dir = folderWith({ 'a.png': body });
    const files = plan(dir, ['a.png']);
    const ids = snapshotFiles(dir, files);
    const whole = openChecked(dir, files, 0, ids[0], hasher);
    await drain(whole, 1 << 20);
    const pieces = openChecked(dir, files, 0, ids[0], hasher);
    await drain(pieces, 333);
    const expected = createHash('sha256').update(body).digest('hex');
    assert.equal(await whole.digest(), expected);
    assert.equal(await pieces.digest(), expected);
    await whole.close();
    await pieces.close();
  });

  it('names the file only in the failure\'s `file`, never in its message', () => {
    const dir = folderWith({ 'Ada Lovelace.png': 'x' });
    changedSinceLint(() => snapshotFiles(dir, [{ path: 'Ada Lovelace.png', size: 2 }]));
    try {
      snapshotFiles(dir, [{ path: 'Ada Lovelace.png', size: 2 }]);
    } catch (e) {
      assert.equal((e as UploadError).file, 'Ada Lovelace.png');
      assert.doesNotMatch((e as Error).message, /Ada/);
    }
  });
});

describe('the upload lock of a batch folder', () => {
  it('lets one holder at a time, and the next once it is released', async () => {
    const dir = folderWith({});
    const lock = await lockFolder(dir);
    await assert.rejects(lockFolder(dir), (e: unknown) => e instanceof UploadError && e.reason === 'locked' && /process \d+/.test(e.message));
    await lock.release();
    await (await lockFolder(dir)).release();
  });

  it('is taken once when many try at the same moment', async () => {
    const dir = folderWith({});
    const tries = await Promise.allSettled(Array.from({ length: 8 }, () => lockFolder(dir)));
    assert.equal(tries.filter((t) => t.status === 'fulfilled').length, 1);
  });

  it('takes over a lock whose process is gone, but not one held on another machine', async () => {
    const dir = folderWith({});
    mkdirSync(path.join(dir, '.jumio-batch'));
    const file = path.join(dir, '.jumio-batch', 'upload.lock');
    writeFileSync(file, JSON.stringify({ pid: 2 ** 22 + 4321, hostname: os.hostname(), since: '2026-01-01T00:00:00Z' }));
    const taken = await Promise.allSettled(Array.from({ length: 4 }, () => lockFolder(dir)));
    assert.equal(taken.filter((t) => t.status === 'fulfilled').length, 1, 'one of four takers got it');
    for (const t of taken) if (t.status === 'fulfilled') await t.value.release();
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ pid: 2 ** 22 + 4321, hostname: 'another-machine', since: '2026-01-01T00:00:00Z' }));
    await assert.rejects(lockFolder(dir), /another upload .* on another-machine/);
  });
});
