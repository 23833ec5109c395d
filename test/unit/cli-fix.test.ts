import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checksums, runCli } from '../helpers/batch';
import { FIXABLE_CSV, FIXABLE_IMAGES, FIXED_CSV } from '../helpers/fixable';
import { makePng } from '../helpers/images';
import { SEED_HEADER, SEED_IMAGES, seedRow } from '../helpers/lint';

// `jumio-batch fix`, run as a process (dist/cli.js): what it writes, what --dry-run prints, what
// it refuses, and that it then reports as lint does.

const SUMMARY = /^1 file, (\d+) rows?: (\d+) errors?, (\d+) warnings?, (\d+) infos? \(.+\)$/m;

describe('jumio-batch fix', function () {
  this.timeout(60_000);
  let root: string;
  beforeEach(() => { root = mkdtempSync(path.join(os.tmpdir(), 'jb-cli-fix-')); });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** A batch folder holding `csv` as input.csv and the images its rows name. */
  function batch(csv: Buffer | string, images: string[] = FIXABLE_IMAGES, name = 'batch'): string {
    const dir = path.join(root, name);
    mkdirSync(dir);
    for (const f of images) writeFileSync(path.join(dir, f), makePng(4, 4));
    writeFileSync(path.join(dir, 'input.csv'), csv);
    return dir;
  }

  it('fixes every fixable problem in place, changing no other byte (CRLF kept), and reports that none is left: exit 0', async () => {
    const dir = batch(FIXABLE_CSV);
    assert.equal((await runCli(['lint', dir])).status, 1, 'lint finds errors before');
    const r = await runCli(['fix', dir]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.deepEqual(readFileSync(path.join(dir, 'input.csv')), FIXED_CSV);
    // (What counts as fixed, code by code, is fix.test.ts's; here how it is said.)
    assert.match(r.stderr, /^Fixed \d+ problems \(1 bom, 1 missing-column, 3 whitespace(, \d+ [a-z-]+)+\) in .*\.\n$/);
    assert.ok(r.stderr.endsWith(` in ${path.join(dir, 'input.csv')}.\n`));
    assert.deepEqual(SUMMARY.exec(r.stdout)?.slice(1), ['3', '0', '0', '0']);
    assert.equal(r.stdout.split('\n').length, 2, 'only the summary: no problem is left');
    assert.deepEqual(readdirSync(dir).sort(), [...FIXABLE_IMAGES, 'input.csv'].sort(), 'no temporary file left behind');
    const again = await runCli(['fix', dir]);
    assert.equal(again.status, 0);
    assert.equal(again.stderr, `Nothing to fix in ${path.join(dir, 'input.csv')}.\n`);
  });

  it('--dry-run writes nothing, prints the unified diff that makes the fix, then what would be left', async () => {
    const dir = batch(FIXABLE_CSV);
    const csv = path.join(dir, 'input.csv');
    const before = checksums(dir);
    const mtime = statSync(csv).mtimeMs;
    const r = await runCli(['fix', '--dry-run', csv]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(checksums(dir), before, 'nothing written');
    assert.equal(statSync(csv).mtimeMs, mtime);
    assert.match(r.stderr, /^Would fix \d+ problems \(1 bom, /);
    const diff = r.stdout.slice(0, r.stdout.search(SUMMARY));
    assert.match(diff, /^--- (.+)\n\+\+\+ \1\n@@ -1,\d+ \+1,\d+ @@\n-\uFEFFcustomerInternalReference, faceImage,/);
    assert.ok(diff.startsWith(`--- ${csv}\n`));
    assert.deepEqual(SUMMARY.exec(r.stdout)?.slice(1), ['3', '0', '0', '0']);
    // The diff is a patch: applied to the file, it gives what fix writes (the path was absolute).
    const applied = spawnSync('git', ['apply', '-p0', '--unsafe-paths', '-'], { cwd: '/', input: diff, encoding: 'utf8' });
    assert.equal(applied.status, 0, applied.stderr);
    assert.deepEqual(readFileSync(csv), FIXED_CSV);
  });

  it('writes nothing into a file that is not UTF-8 or not valid CSV, and reports it as lint does: exit 1', async () => {
    const latin1 = Buffer.concat([Buffer.from(`${SEED_HEADER}\n${seedRow({ userConsentUserLocationCountry: 'US', 'preparedData.lastName': 'M' })}`), Buffer.from([0xfc, 0x0a])]);
    const syntax = `${SEED_HEADER}\n${seedRow({ userConsentUserLocationCountry: 'US' })}\n${seedRow({ customerInternalReference: 'a"b' })}\n`;
    for (const [name, csv, code] of [['latin1', latin1, 'encoding'], ['syntax', syntax, 'csv-syntax']] as const) {
      const dir = batch(csv, SEED_IMAGES, name);
      const before = checksums(dir);
      const r = await runCli(['fix', dir]);
      assert.equal(r.status, 1, r.stderr);
      assert.deepEqual(checksums(dir), before, `${name}: nothing written`);
      assert.equal(r.stderr, `Not fixed: ${path.join(dir, 'input.csv')} cannot be read cell for cell (${code}, below); fix that first. It was not changed.\n`);
      assert.match(r.stdout, new RegExp(`input\\.csv:\\d+:\\d+: error ${code} `));
    }
  });

  it('exits 1 when errors without a certain fix are left, and prints only those', async () => {
    const dir = batch(`${SEED_HEADER}\n${seedRow({ userConsentUserLocationCountry: 'US', 'preparedData.email': 'not-an-email' })}\n`, SEED_IMAGES.slice(0, 3));
    const r = await runCli(['fix', dir, '--format', 'json']);
    assert.equal(r.status, 1, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.deepEqual(doc.files[0].problems.map((p: { code: string }) => p.code), ['email']);
    assert.match(readFileSync(path.join(dir, 'input.csv'), 'utf8'), /,USA,IL,/);
  });

  it('keeps the file\'s permissions, and writes through a link to the CSV it leads to', async () => {
    const dir = batch(FIXABLE_CSV);
    const csv = path.join(dir, 'input.csv');
    chmodSync(csv, 0o640);
    assert.equal((await runCli(['fix', dir])).status, 0);
    assert.equal(statSync(csv).mode & 0o777, 0o640);

    const linked = batch('', FIXABLE_IMAGES, 'linked');
    const target = path.join(root, 'elsewhere.csv');
    writeFileSync(target, FIXABLE_CSV);
    rmSync(path.join(linked, 'input.csv'));
    symlinkSync(target, path.join(linked, 'input.csv'));
    const r = await runCli(['fix', linked]);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(lstatSync(path.join(linked, 'input.csv')).isSymbolicLink(), 'the link stays a link');
    assert.deepEqual(readFileSync(target), FIXED_CSV);
    assert.deepEqual(readdirSync(root).sort(), ['batch', 'elsewhere.csv', 'linked']);
  });

  it('fixes several paths in one call and totals what is left; --dry-run with github annotations', async () => {
    const a = batch(FIXABLE_CSV, FIXABLE_IMAGES, 'a');
    const b = batch(`${SEED_HEADER}\n${seedRow({ 'preparedData.email': 'nope' })}\n`, SEED_IMAGES.slice(0, 3), 'b');
    const dry = await runCli(['fix', '--dry-run', '--format', 'github', a, b]);
    assert.equal(dry.status, 1);
    assert.match(dry.stdout, /^::error file=.*b\/input\.csv,line=2,.*title=email::/m);
    assert.match(dry.stdout, /^2 files, 4 rows: 1 error, 0 warnings, 0 infos \(not ready to upload\)$/m);
    assert.match(dry.stderr, /Nothing to fix in .*b\/input\.csv\./);
    assert.deepEqual(readFileSync(path.join(a, 'input.csv')), FIXABLE_CSV);
  });

  it('rejects --dry-run with a format that needs the whole of stdout, a call without a path, and a path that is not there: exit 2', async () => {
    const dir = batch(FIXABLE_CSV);
    for (const args of [['fix', '--dry-run', '--format', 'json', dir], ['fix', '--dry-run', '--format', 'sarif', dir], ['fix'], ['fix', '--format', 'xml', dir]]) {
      const r = await runCli(args);
      assert.equal(r.status, 2, args.join(' '));
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^jumio-batch: .*\(see jumio-batch --help\)\n$/);
    }
    assert.deepEqual(readFileSync(path.join(dir, 'input.csv')), FIXABLE_CSV);
    const missing = await runCli(['fix', path.join(root, 'nope')]);
    assert.equal(missing.status, 2);
    assert.equal(missing.stderr, `jumio-batch: ${path.join(root, 'nope')}: no such file or folder\n`);
    const help = await runCli(['fix', '--help']);
    assert.match(help.stdout, /^Usage: jumio-batch fix <path>\.\.\. \[--dry-run\] \[options\]/);
  });
});
