import * as assert from 'node:assert/strict';
import { SpawnSyncReturns, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeBilevelPng, makeJpeg, makePng } from '../helpers/images';
import { SEED_HEADER, SEED_IMAGES, SEED_ROW_1, SEED_ROW_2 } from '../helpers/lint';

// The built CLI (dist/cli.js, bundled by `npm test` before the suites run), run as a real
// process against batch folders made in a temporary folder. spawnSync gives the child pipes,
// never a terminal, which is what CI and scripts see.

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const EXAMPLE = path.join(ROOT, 'examples/batch');

/** `path:line:col: severity code message`, 1-based. */
const PROBLEM_LINE = /^(.+):(\d+):(\d+): (error|warning|info) ([a-z0-9-]+) (.+)$/;
const SUMMARY_LINE = /^([\d,]+) files?, ([\d,]+) rows?: ([\d,]+) errors?, ([\d,]+) warnings?, ([\d,]+) infos? \(.+\)$/;

interface Run { status: number | null; stdout: string; stderr: string }

function run(...args: string[]): Run {
  const env = { ...process.env };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  const r: SpawnSyncReturns<string> = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', env, timeout: 60_000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function lines(s: string): string[] {
  return s.split('\n').filter((l) => l !== '');
}

interface TextProblem { path: string; line: number; column: number; severity: string; code: string; message: string }

/** Every output line but the last must be a problem line; the last must be the summary. */
function parseText(stdout: string): { problems: TextProblem[]; summary: RegExpExecArray } {
  assert.ok(stdout.endsWith('\n'), 'the output ends with a line break');
  const all = lines(stdout);
  const summary = SUMMARY_LINE.exec(all[all.length - 1] ?? '');
  assert.ok(summary, `last line is the summary: ${JSON.stringify(all[all.length - 1])}`);
  const problems = all.slice(0, -1).map((l) => {
    const m = PROBLEM_LINE.exec(l);
    assert.ok(m, `not a problem line: ${JSON.stringify(l)}`);
    return { path: m[1], line: Number(m[2]), column: Number(m[3]), severity: m[4], code: m[5], message: m[6] };
  });
  return { problems, summary };
}

/** A usage or I/O failure: status 2, one plain line on stderr and (unless told) nothing on stdout. */
function assertFailsCleanly(r: Run, mentions?: string, stdoutMayHoldResults = false): void {
  assert.equal(r.status, 2, `stderr: ${r.stderr}`);
  if (!stdoutMayHoldResults) assert.equal(r.stdout, '');
  assert.equal(lines(r.stderr).length, 1, `one stderr line: ${JSON.stringify(r.stderr)}`);
  assert.ok(r.stderr.endsWith('\n'));
  assert.ok(!r.stderr.includes('    at '), 'no stack trace');
  assert.match(r.stderr, /^jumio-batch: /);
  if (mentions) assert.ok(r.stderr.includes(mentions), `stderr mentions ${mentions}: ${r.stderr}`);
}

const COLUMNS = SEED_HEADER.split(',');

function seedRow(changes: Record<string, string>, row = SEED_ROW_1): string {
  const cells = row.split(',');
  for (const [name, value] of Object.entries(changes)) cells[COLUMNS.indexOf(name)] = value;
  return cells.join(',');
}

describe('the jumio-batch CLI, run as a process', function () {
  this.timeout(60_000);
  let tmp: string;

  /** A batch folder holding `input.csv` (or the named CSV) and the seed's six PNGs (each `pngBytes` long). */
  function batch(name: string, csv: string | undefined, options: { csvName?: string; images?: string[]; pngBytes?: number } = {}): string {
    const dir = path.join(tmp, name);
    mkdirSync(dir);
    for (const f of options.images ?? SEED_IMAGES) writeFileSync(path.join(dir, f), makePng(8, 8, [40, 120, 200], options.pngBytes ?? 0));
    if (csv !== undefined) writeFileSync(path.join(dir, options.csvName ?? 'input.csv'), csv);
    return dir;
  }

  before(() => {
    assert.ok(existsSync(CLI), `${CLI} is missing: run npm test (it builds dist first)`);
    tmp = mkdtempSync(path.join(os.tmpdir(), 'jumio-batch-cli-'));
  });

  after(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  describe('clean batches', () => {
    it('lints examples/batch clean: exit 0, the summary line and no problem line', () => {
      const r = run('lint', EXAMPLE);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stderr, '');
      const { problems, summary } = parseText(r.stdout);
      assert.deepEqual(problems, []);
      assert.deepEqual(summary.slice(1, 6), ['1', '2', '0', '0', '0']);
    });

    it('lints the CSV file given instead of its folder the same way', () => {
      const byFolder = run('lint', EXAMPLE);
      const byFile = run('lint', path.join(EXAMPLE, 'input.csv'));
      assert.equal(byFile.status, 0, byFile.stderr);
      assert.equal(byFile.stdout, byFolder.stdout);
      assert.equal(byFile.stderr, '');
    });

    it('exits 0 when there are warnings but no error', () => {
      const dir = batch('warnings-only', `${SEED_HEADER}\n${seedRow({ 'preparedData.address.city': 'Any Town ' })}\n${SEED_ROW_2}\n`);
      const r = run('lint', dir);
      assert.equal(r.status, 0, r.stderr);
      const { problems, summary } = parseText(r.stdout);
      assert.deepEqual(problems.map((p) => `${p.severity} ${p.code}`), ['warning whitespace']);
      assert.deepEqual(summary.slice(3, 6), ['0', '1', '0']);
    });
  });

  describe('a batch with errors', () => {
    // Row 2 (file line 3): a forbidden "<" at 0-based character 8 and an invalid IP address.
    const badRow = seedRow({ customerInternalReference: 'my<Org', userConsentUserIp: '999.1.1.1' }, SEED_ROW_2);
    let dir: string;
    let csvPath: string;
    before(() => {
      dir = batch('errors', `${SEED_HEADER}\n${SEED_ROW_1}\n${badRow}\n`);
      csvPath = path.join(dir, 'input.csv');
    });

    it('exits 1 and prints each problem as path:line:col: severity code message', () => {
      const r = run('lint', dir);
      assert.equal(r.status, 1, r.stderr);
      assert.equal(r.stderr, '');
      const { problems, summary } = parseText(r.stdout);
      assert.deepEqual(problems.map((p) => `${p.path}:${p.line}:${p.column}: ${p.severity} ${p.code}`), [
        `${csvPath}:3:9: error forbidden-character`,
        `${csvPath}:3:${badRow.indexOf('999.1.1.1') + 1}: error ip-address`,
      ]);
      assert.deepEqual(summary.slice(1, 6), ['1', '2', '2', '0', '0']);
    });

    it('--format json prints exactly one JSON document: 1-based positions, end exclusive, and the totals', () => {
      const r = run('lint', '--format', 'json', dir);
      assert.equal(r.status, 1, r.stderr);
      assert.equal(r.stderr, '');
      const doc = JSON.parse(r.stdout);
      assert.deepEqual(Object.keys(doc).sort(), ['errors', 'files', 'infos', 'warnings']);
      assert.equal(doc.files.length, 1);
      const file = doc.files[0];
      assert.deepEqual(Object.keys(file).sort(), ['path', 'problems', 'rows']);
      assert.equal(file.path, csvPath);
      assert.equal(file.rows, 2);
      for (const p of file.problems) {
        assert.deepEqual(Object.keys(p).sort(), ['code', 'column', 'endColumn', 'endLine', 'line', 'message', 'severity']);
        assert.ok(['error', 'warning', 'info'].includes(p.severity));
        for (const k of ['line', 'column', 'endLine', 'endColumn']) assert.ok(Number.isInteger(p[k]) && p[k] >= 1, `${k} is 1-based`);
        assert.equal(typeof p.message, 'string');
      }
      // The "<" of "my<Org": 0-based line 2, character 8; one character wide.
      const forbidden = file.problems.find((p: { code: string }) => p.code === 'forbidden-character');
      assert.deepEqual({ ...forbidden, message: undefined }, {
        code: 'forbidden-character', severity: 'error', line: 3, column: 9, endLine: 3, endColumn: 10, message: undefined,
      });
      // The whole IP cell, "999.1.1.1": nine characters, end exclusive.
      const ip = file.problems.find((p: { code: string }) => p.code === 'ip-address');
      const ipColumn = badRow.indexOf('999.1.1.1') + 1;
      assert.deepEqual([ip.line, ip.column, ip.endLine, ip.endColumn], [3, ipColumn, 3, ipColumn + '999.1.1.1'.length]);
      assert.equal(doc.errors, 2);
      assert.equal(doc.warnings, 0);
      assert.equal(doc.infos, 0);
    });

    it('--format json exits 0 with empty problem lists for a clean batch', () => {
      const r = run('lint', EXAMPLE, '--format=json');
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout), { files: [{ path: path.join(EXAMPLE, 'input.csv'), rows: 2, problems: [] }], errors: 0, warnings: 0, infos: 0 });
    });

    it('prints no ANSI escape code when stdout is not a terminal', () => {
      for (const args of [['lint', dir], ['lint', '--format', 'json', dir], ['lint', '--format', 'xml', dir]]) {
        const r = run(...args);
        assert.ok(!r.stdout.includes('\x1b') && !r.stderr.includes('\x1b'), args.join(' '));
      }
    });

    it('lints several paths in one call, in order, and totals them', () => {
      const text = run('lint', EXAMPLE, dir);
      assert.equal(text.status, 1);
      const { problems, summary } = parseText(text.stdout);
      assert.deepEqual([...new Set(problems.map((p) => p.path))], [csvPath]);
      assert.deepEqual(summary.slice(1, 6), ['2', '4', '2', '0', '0']);

      const json = run('lint', '--format', 'json', dir, EXAMPLE, csvPath);
      assert.equal(json.status, 1);
      const doc = JSON.parse(json.stdout);
      assert.deepEqual(doc.files.map((f: { path: string }) => f.path), [csvPath, path.join(EXAMPLE, 'input.csv'), csvPath]);
      assert.deepEqual(doc.files.map((f: { problems: unknown[] }) => f.problems.length), [2, 0, 2]);
      assert.equal(doc.errors, 4);
    });
  });

  describe('limits', () => {
    it('--max-rows 1 on the two-row example reports row-limit at the second row and exits 1', () => {
      const r = run('lint', '--max-rows', '1', EXAMPLE);
      assert.equal(r.status, 1, r.stderr);
      const { problems } = parseText(r.stdout);
      assert.deepEqual(problems.map((p) => `${p.line}:${p.column}: ${p.severity} ${p.code}`), ['3:1: error row-limit']);
    });

    it('--max-image-mb with a tiny limit warns image-too-large for each image, and exits 0', () => {
      const dir = batch('big-images', `${SEED_HEADER}\n${SEED_ROW_1}\n${SEED_ROW_2}\n`, { pngBytes: 5_000 });
      assert.equal(run('lint', dir).status, 0);
      const r = run('lint', '--max-image-mb', '0.001', dir);
      assert.equal(r.status, 0, r.stderr);
      const { problems } = parseText(r.stdout);
      assert.deepEqual(problems.map((p) => `${p.severity} ${p.code}`), Array(6).fill('warning image-too-large'));
    });
  });

  describe('what spreadsheets, Macs and cameras do to a batch', () => {
    const [back, front, face] = SEED_IMAGES;
    const nfd = 'Mu\u0308ller.png';
    /** A batch folder on disk whose files show each image rule of the second generation. */
    let made = 0;
    function realWorldBatch(): string {
      const dir = batch(`real-world-${made++}`, undefined, { images: [] });
      writeFileSync(path.join(dir, back), makeBilevelPng(9000, 10));
      writeFileSync(path.join(dir, front), makePng(16, 16, [1, 2, 3], 10_000).subarray(0, 6_000));
      writeFileSync(path.join(dir, face), makeJpeg({ exifBytes: 30_000, trailer: Buffer.alloc(20_000, 7) }));
      writeFileSync(path.join(dir, nfd), makeJpeg());
      const rows = [SEED_ROW_1, SEED_ROW_1, seedRow({ customerInternalReference: 'order-2', backImage: 'M\u00fcller.png', frontImage: '', faceImage: face }), ','.repeat(18)];
      writeFileSync(path.join(dir, 'input.csv'), `${SEED_HEADER}\n${rows.join('\n')}\n`);
      return dir;
    }

    it('reports each in the JSON output, read from the files on disk, and the JPEG with a trailer as whole', () => {
      const r = run('lint', '--format', 'json', realWorldBatch());
      assert.equal(r.status, 1, r.stderr);
      const found = JSON.parse(r.stdout).files[0].problems.map((p: { code: string; line: number; column: number }) => `${p.line}:${p.column} ${p.code}`);
      // The duplicate row references the same files, so their content problems show there too.
      assert.deepEqual(found, [
        '2:22 image-dimensions', '2:46 image-corrupt', '3:1 duplicate-row', '3:22 image-dimensions', '3:46 image-corrupt',
        '4:15 image-name-unicode', '4:27 image-reused', '5:1 blank-row',
      ]);
    });

    it('--max-image-px moves the pixel limit; it needs a whole positive number', () => {
      const dir = realWorldBatch();
      const codes = (r: Run) => JSON.parse(r.stdout).files[0].problems.map((p: { code: string }) => p.code);
      assert.ok(!codes(run('lint', '--format', 'json', '--max-image-px', '9000', dir)).includes('image-dimensions'));
      // The 9,000 × 10 PNG and the cut 16 × 16 PNG (lines 2 and 3), the 16 × 8 JPEG behind its EXIF block (lines 2 to 4).
      assert.equal(codes(run('lint', '--format', 'json', '--max-image-px=15', dir)).filter((c: string) => c === 'image-dimensions').length, 7);
      for (const bad of ['abc', '0', '-1', '1.5']) assertFailsCleanly(run('lint', `--max-image-px=${bad}`, EXAMPLE), '--max-image-px');
    });
  });

  describe('the CSV file name', () => {
    it('reports file-name and exits 1 for a folder without input.csv', () => {
      const dir = batch('no-csv', undefined);
      const r = run('lint', dir);
      assert.equal(r.status, 1, r.stderr);
      const { problems } = parseText(r.stdout);
      assert.deepEqual(problems.map((p) => `${p.path}:${p.line}:${p.column}: ${p.severity} ${p.code}`), [`${path.join(dir, 'input.csv')}:1:1: error file-name`]);
    });

    it('reports file-name for a CSV named batch.csv, given as its folder or as the file', () => {
      const dir = batch('batch-csv', `${SEED_HEADER}\n${SEED_ROW_1}\n${SEED_ROW_2}\n`, { csvName: 'batch.csv' });
      for (const target of [dir, path.join(dir, 'batch.csv')]) {
        const r = run('lint', target);
        assert.equal(r.status, 1, r.stderr);
        const { problems, summary } = parseText(r.stdout);
        assert.deepEqual(problems.map((p) => `${p.path}:${p.line}:${p.column}: ${p.severity} ${p.code}`), [`${path.join(dir, 'batch.csv')}:1:1: error file-name`]);
        assert.equal(summary[2], '2', 'the rows are still linted');
      }
    });

    it('lints an input.csv that is a link to a CSV elsewhere, through the link', () => {
      const dir = batch('linked-csv', undefined);
      writeFileSync(path.join(tmp, 'elsewhere.csv'), `${SEED_HEADER}\n${SEED_ROW_1}\n${SEED_ROW_2}\n`);
      symlinkSync(path.join(tmp, 'elsewhere.csv'), path.join(dir, 'input.csv'));
      const r = run('lint', dir);
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.deepEqual(parseText(r.stdout).summary.slice(1, 6), ['1', '2', '0', '0', '0']);
    });
  });

  describe('usage and I/O problems: exit 2, one stderr line, no stack trace', () => {
    it('a path that does not exist', () => {
      const missing = path.join(tmp, 'no-such-batch');
      assertFailsCleanly(run('lint', missing), missing);
      assertFailsCleanly(run('lint', path.join(missing, 'input.csv')), missing);
    });

    it('a missing path among good ones', () => {
      // Whether the good paths' results are printed first is not part of the contract.
      assertFailsCleanly(run('lint', EXAMPLE, path.join(tmp, 'no-such-batch')), 'no-such-batch', true);
    });

    it('an input.csv that cannot be read', () => {
      const dir = batch('unreadable', `${SEED_HEADER}\n${SEED_ROW_1}\n${SEED_ROW_2}\n`);
      const csv = path.join(dir, 'input.csv');
      chmodSync(csv, 0o000);
      let denied = false;
      try { readFileSync(csv); } catch { denied = true; }
      if (!denied) {
        // Root (or CAP_DAC_OVERRIDE) reads through chmod 000: make the read fail another way,
        // with an input.csv that is a link to nothing.
        rmSync(csv);
        symlinkSync(path.join(dir, 'gone.csv'), csv);
      }
      assertFailsCleanly(run('lint', dir), 'input.csv');
      assertFailsCleanly(run('lint', csv), 'input.csv');
      assertFailsCleanly(run('lint', '--format', 'json', dir), 'input.csv');
    });

    it('no path at all', () => {
      assertFailsCleanly(run('lint'));
    });

    it('an unknown option', () => {
      assertFailsCleanly(run('lint', '--frobnicate', EXAMPLE), '--frobnicate');
    });

    it('an unknown command', () => {
      assertFailsCleanly(run('frobnicate', EXAMPLE), 'frobnicate');
    });

    it('a --format that is none of text, json, sarif, github', () => {
      assertFailsCleanly(run('lint', '--format', 'xml', EXAMPLE), 'xml');
      assertFailsCleanly(run('lint', EXAMPLE, '--format'), '--format');
    });

    it('a --max-rows that is not positive or rounds down to no row', () => {
      for (const bad of ['abc', '0', '-5', '0.5', '']) assertFailsCleanly(run('lint', `--max-rows=${bad}`, EXAMPLE), '--max-rows');
    });

    it('a --max-image-mb that is not positive or rounds to no byte at all', () => {
      for (const bad of ['abc', '0', '-1', '0.0000001']) assertFailsCleanly(run('lint', `--max-image-mb=${bad}`, EXAMPLE), '--max-image-mb');
    });
  });
});
