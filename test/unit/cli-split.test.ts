import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, unlinkSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CliRun, makeBatch, runCli } from '../helpers/batch';

// `jumio-batch split` and `jumio-batch new`, run as a process (dist/cli.js, built by npm test).

function lines(s: string): string[] {
  return s.split('\n').filter((l) => l !== '');
}

/** A usage or I/O failure: status 2, one `jumio-batch:` line on stderr, nothing on stdout. */
function assertFailsCleanly(r: CliRun, mentions: string): void {
  assert.equal(r.status, 2, `stderr: ${r.stderr}`);
  assert.equal(r.stdout, '');
  assert.equal(lines(r.stderr).length, 1, r.stderr);
  assert.match(r.stderr, /^jumio-batch: /);
  assert.ok(r.stderr.includes(mentions), `stderr mentions ${mentions}: ${r.stderr}`);
}

describe('jumio-batch split and new', function () {
  this.timeout(60_000);
  let root: string;
  beforeEach(() => { root = mkdtempSync(path.join(os.tmpdir(), 'jb-cli-split-')); });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('split writes the parts and lists them, exit 0', async () => {
    const src = makeBatch(5, 256, path.join(root, 'batch'));
    const r = await runCli(['split', src, '--rows', '2']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    const out = lines(r.stdout);
    assert.match(out[0], /^Split .*input\.csv \(5 rows\) into 3 batches of at most 2 rows:$/);
    assert.ok(out[1].includes(`${path.join(root, 'batch-part1')}  2 rows, 6 images`), out[1]);
    assert.ok(out[3].includes(`${path.join(root, 'batch-part3')}  1 row, 3 images`), out[3]);
    assert.match(out[4], /jumio-batch upload /);
    assert.deepEqual(readdirSync(root).sort(), ['batch', 'batch-part1', 'batch-part2', 'batch-part3']);
  });

  it('split --out puts the parts in that folder', async () => {
    const src = makeBatch(2, 256, path.join(root, 'batch'));
    const r = await runCli(['split', src, '--rows', '1', '--out', path.join(root, 'parts')]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(readdirSync(path.join(root, 'parts')).sort(), ['batch-part1', 'batch-part2']);
  });

  it('split shows the problems that make it unsafe, as lint does, and exits 1 having written nothing', async () => {
    const src = makeBatch(3, 256, path.join(root, 'batch'));
    unlinkSync(path.join(src, 'img', 'ids', '1.front.png'));
    const r = await runCli(['split', src, '--rows', '1']);
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stdout, '');
    const err = lines(r.stderr);
    assert.equal(err.length, 2, r.stderr);
    assert.match(err[0], /input\.csv:3:\d+: error image-missing frontImage "img\/ids\/1\.front\.png" is not in the batch folder/);
    assert.match(err[1], /^jumio-batch: cannot split .*input\.csv: the 1 error above makes splitting unsafe; fix it and split again\. Nothing was written\.$/);
    assert.deepEqual(readdirSync(root), ['batch']);
  });

  it('split refuses when a part folder exists, exit 2', async () => {
    const src = makeBatch(2, 256, path.join(root, 'batch'));
    mkdirSync(path.join(root, 'batch-part1'));
    const r = await runCli(['split', src, '--rows', '1']);
    assertFailsCleanly(r, path.join(root, 'batch-part1'));
    assert.ok(!existsSync(path.join(root, 'batch-part2')));
  });

  it('split rejects bad arguments, exit 2', async () => {
    const src = makeBatch(1, 256, path.join(root, 'batch'));
    assertFailsCleanly(await runCli(['split']), 'split needs exactly one batch folder');
    assertFailsCleanly(await runCli(['split', src, '--rows', '0']), '--rows');
    assertFailsCleanly(await runCli(['split', src, '--rows', '2.5']), '--rows');
    assertFailsCleanly(await runCli(['split', path.join(root, 'nope')]), path.join(root, 'nope'));
  });

  it('new creates a batch folder and says what to do next, exit 0', async () => {
    const r = await runCli(['new', root, '--name', 'march']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Created .*march.* with input\.csv \(header only\) and STEPS\.md\.\nNext: add one row per transaction to .*input\.csv.*jumio-batch lint /);
    assert.match(readFileSync(path.join(root, 'march', 'input.csv'), 'utf8'), /^workflowDefinitionKey,customerInternalReference,frontImage,/);
    const again = await runCli(['new', root, '--name', 'march']);
    assert.equal(again.status, 0, again.stderr);
    assert.ok(existsSync(path.join(root, 'march-2', 'input.csv')));
  });

  it('new rejects a missing parent or a name with a slash, exit 2', async () => {
    assertFailsCleanly(await runCli(['new', path.join(root, 'missing')]), path.join(root, 'missing'));
    assertFailsCleanly(await runCli(['new', root, '--name', 'a/b']), 'a/b');
    assertFailsCleanly(await runCli(['new', root, 'other']), 'new takes at most one parent folder');
    assert.deepEqual(readdirSync(root), []);
  });

  it('lists both commands in the help', async () => {
    const r = await runCli(['--help']);
    assert.match(r.stdout, /^ {2}split <folder> /m);
    assert.match(r.stdout, /^ {2}new \[parent\] /m);
    const split = await runCli(['split', '--help']);
    assert.match(split.stdout, /^Usage: jumio-batch split <folder> \[--rows N\] \[--out DIR\]/);
  });
});
