import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CliRun, checksums, makeBatch, runCli } from '../helpers/batch';

// `jumio-batch resubmit`, run as a process (dist/cli.js): the new batch from a row on, and every
// refusal leaving the disk as it was.

function lines(s: string): string[] {
  return s.split('\n').filter((l) => l !== '');
}

/** Refused: status 2, one `jumio-batch:` line on stderr naming `mentions`, nothing on stdout. */
function assertRefused(r: CliRun, mentions: RegExp): void {
  assert.equal(r.status, 2, r.stderr);
  assert.equal(r.stdout, '');
  assert.equal(lines(r.stderr).length, 1, r.stderr);
  assert.match(r.stderr, /^jumio-batch: /);
  assert.match(r.stderr, mentions);
}

describe('jumio-batch resubmit', function () {
  this.timeout(60_000);
  let root: string;
  let src: string;
  let rows: string[];
  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'jb-cli-resubmit-'));
    src = makeBatch(5, 128, path.join(root, 'batch'));
    rows = readFileSync(path.join(src, 'input.csv'), 'utf8').split('\n').slice(0, -1);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** The images makeBatch gives rows `from` to the end. */
  const imagesFrom = (from: number): string[] => Array.from({ length: 5 - from }, (_, k) => from + k).flatMap((i) => [`img/ids/${i}.back.png`, `img/ids/${i}.front.png`, `img/${i}.face.png`]).sort();

  it('--from-row N makes <folder>-from-row-N beside the source: the header, rows N to the end as written, only their images', async () => {
    const before = checksums(src);
    const r = await runCli(['resubmit', src, '--from-row', '3']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    const out = lines(r.stdout);
    assert.equal(out[0], `Starting at row 3 of 5 of ${path.join(src, 'input.csv')}: line 4, customerInternalReference "ref-2".`);
    const made = path.join(root, 'batch-from-row-3');
    assert.equal(out[1], `Made ${made} with 3 rows and 9 images. The source is unchanged.`);
    assert.match(out[2], /jumio-batch upload .*batch-from-row-3 --host H$/);
    assert.equal(readFileSync(path.join(made, 'input.csv'), 'utf8'), [rows[0], ...rows.slice(3)].join('\n') + '\n');
    const copied = checksums(made);
    assert.deepEqual([...copied.keys()].sort(), ['input.csv', ...imagesFrom(2)].sort());
    for (const f of imagesFrom(2)) assert.equal(copied.get(f), before.get(f), `${f} is a faithful copy`);
    assert.deepEqual(checksums(src), before, 'the source is unchanged');
    assert.deepEqual(readdirSync(root).sort(), ['batch', 'batch-from-row-3']);
  });

  it('--from-reference REF starts at the row with that reference, into --out DIR', async () => {
    const out = path.join(root, 'again', 'retry');
    mkdirSync(path.dirname(out));
    const r = await runCli(['resubmit', src, '--from-reference', 'ref-3', '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Starting at row 4 of 5 of .*: line 5, customerInternalReference "ref-3"\.$/m);
    assert.equal(readFileSync(path.join(out, 'input.csv'), 'utf8'), [rows[0], ...rows.slice(4)].join('\n') + '\n');
    assert.deepEqual([...checksums(out).keys()].sort(), ['input.csv', ...imagesFrom(3)].sort());
  });

  it('refuses a row out of range, exit 2, writing nothing', async () => {
    for (const n of ['0', '6']) assertRefused(await runCli(['resubmit', src, '--from-row', n]), new RegExp(`has 5 data rows: there is no row ${n} to start from`));
    assert.deepEqual(readdirSync(root), ['batch']);
  });

  it('refuses a reference that several rows carry, listing them, and one no row carries: exit 2, nothing written', async () => {
    const csv = path.join(src, 'input.csv');
    writeFileSync(csv, [rows[0], rows[1], rows[2].replace('ref-1', 'ref-0'), ...rows.slice(3)].join('\n') + '\n');
    assertRefused(await runCli(['resubmit', src, '--from-reference', 'ref-0']), /2 rows of .*input\.csv have the customerInternalReference "ref-0": row 1 \(line 2\), row 2 \(line 3\); start from one of them by its row number/);
    assertRefused(await runCli(['resubmit', src, '--from-reference', 'nobody']), /no row of .*input\.csv has the customerInternalReference "nobody"/);
    assert.deepEqual(readdirSync(root), ['batch']);
  });

  it('refuses when the new folder exists, exit 2, leaving it as it was', async () => {
    mkdirSync(path.join(root, 'batch-from-row-2'));
    assertRefused(await runCli(['resubmit', src, '--from-row', '2']), /batch-from-row-2 already exists/);
    assert.deepEqual(readdirSync(path.join(root, 'batch-from-row-2')), []);
  });

  it('shows the errors that make it unsafe as lint does, exit 1, but not those of rows it leaves out', async () => {
    unlinkSync(path.join(src, 'img', '1.face.png'));
    const r = await runCli(['resubmit', src, '--from-row', '2']);
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stdout, '');
    const err = lines(r.stderr);
    assert.match(err[0], /input\.csv:3:\d+: error image-missing faceImage "img\/1\.face\.png"/);
    assert.match(err[1], /^jumio-batch: cannot resubmit .*input\.csv: the 1 error above makes resubmitting unsafe; fix it and resubmit again\. Nothing was written\.$/);
    assert.deepEqual(readdirSync(root), ['batch']);
    const later = await runCli(['resubmit', src, '--from-row', '3']);
    assert.equal(later.status, 0, later.stderr);
  });

  it('rejects bad arguments, exit 2', async () => {
    const usage = async (args: string[], mentions: RegExp): Promise<void> => assertRefused(await runCli(['resubmit', ...args]), mentions);
    await usage([src], /either --from-row N or --from-reference REF/);
    await usage([src, '--from-row', '2', '--from-reference', 'ref-1'], /either --from-row N or --from-reference REF/);
    await usage([src, '--from-row', '2.5'], /--from-row needs a row number/);
    await usage([src, '--from-row', 'x'], /--from-row needs a row number/);
    await usage(['--from-row', '2'], /resubmit needs exactly one batch folder/);
    await usage([path.join(root, 'nope'), '--from-row', '1'], /nope/);
    assert.ok(!existsSync(path.join(root, 'batch-from-row-2')));
    const help = await runCli(['resubmit', '--help']);
    assert.match(help.stdout, /^Usage: jumio-batch resubmit <folder> \(--from-row N \| --from-reference REF\) \[--out DIR\]/);
    assert.match((await runCli(['--help'])).stdout, /^ {2}resubmit <folder> /m);
  });
});
