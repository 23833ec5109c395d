/**
 * `npm run bench:lint`: the linter's speed on a large batch, as ratios to baselines measured in
 * the same process (absolute times on shared machines are noisy; ratios are what we track).
 *
 * Batch: 10,000 rows × 19 columns, every row referencing 3 images, 30,000 PNG files in the folder.
 *   (a) lint of the CSV with every cell rule and image existence (one folder listing) vs a bare
 *       csv-parse parse of the same file. Goal: ratio ≤ 1.5.
 *   (b) image content checks (first bytes + size) over the 30,000 files. Goal: < 1 s.
 *   (c) the whole `jumio-batch lint` process vs a process that only reads and parses the file.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, openSync, readSync, fstatSync, closeSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import { FolderIndex, SNIFF_BYTES, lintCsv } from '../src/core';
import { listBatchFolder, readImageFacts } from '../src/node/batch/folder';
import { lintBatchPath } from '../src/node/batch/lintPath';
import { makePng } from '../test/helpers/images';
import { SEED_HEADER } from '../test/helpers/lint';

const ROWS = 10_000;
const ROOT = path.resolve(__dirname, '../..');

function generate(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const png = makePng(32, 32);
  const lines = [SEED_HEADER];
  for (let i = 0; i < ROWS; i++) {
    const id = `${i}_${200014954151 + i}`;
    for (const side of ['back', 'front', 'face']) writeFileSync(path.join(dir, `${id}.${side}.png`), png);
    lines.push(`10015,ref-${i},${id}.back.png,${id}.front.png,${id}.face.png,226.80.${i % 256}.${(i * 7) % 256},USA,IL,yes,2022-07-20T17:20:35.000Z,John,Smith,15031234567,person${i}@example.com,"${i} SW Address Ln, Apt ${i % 40}",${10000 + (i % 89999)},Any Town,OR,USA`);
  }
  writeFileSync(path.join(dir, 'input.csv'), lines.join('\n') + '\n');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function timeIt(fn: () => unknown | Promise<unknown>): Promise<number> {
  // Collect the previous run's garbage first, so that no run pays for another's.
  (globalThis as { gc?: () => void }).gc?.();
  const t = process.hrtime.bigint();
  await fn();
  return ms(t);
}

function sequentialFacts(dir: string, files: string[]): number {
  const buf = Buffer.alloc(SNIFF_BYTES);
  let n = 0;
  for (const f of files) {
    const fd = openSync(path.join(dir, f), 'r');
    readSync(fd, buf, 0, SNIFF_BYTES, 0);
    n += fstatSync(fd).size;
    closeSync(fd);
  }
  return n;
}

async function main(): Promise<void> {
  const dir = path.join(os.tmpdir(), 'jumio-batch-bench-lint');
  const csvPath = path.join(dir, 'input.csv');
  if (!existsSync(csvPath) || process.env.BENCH_REGENERATE) {
    const t = process.hrtime.bigint();
    generate(dir);
    console.log(`generated ${ROWS.toLocaleString('en-US')} rows and ${(ROWS * 3).toLocaleString('en-US')} PNG files in ${dir} (${ms(t).toFixed(0)} ms)`);
  }
  const size = readFileSync(csvPath).length;
  console.log(`input.csv: ${(size / 1e6).toFixed(2)} MB, node ${process.version}, ${os.cpus().length} cores\n`);

  // (a) lint vs bare parse, alternating, after warm-up.
  const bare = (): number => parse(readFileSync(csvPath, 'utf8')).length;
  let lintRows = 0;
  let lintProblems = 0;
  let images: string[] = [];
  const full = async (): Promise<void> => {
    // What `jumio-batch lint` does before the image contents: list, read, parse, check.
    const result = await lintBatchPath(dir, {}, { imageContents: false });
    lintRows = result.rows;
    lintProblems = result.problems.length;
  };
  const csvOnly = (): number => lintCsv({ fileName: 'input.csv', bytes: readFileSync(csvPath) }).rows;
  const listing = (): Promise<unknown> => listBatchFolder(dir);
  for (let i = 0; i < 3; i++) { bare(); await full(); csvOnly(); await listing(); }
  const t = { bare: [] as number[], full: [] as number[], csvOnly: [] as number[], listing: [] as number[] };
  for (let i = 0; i < 11; i++) {
    t.bare.push(await timeIt(bare));
    t.full.push(await timeIt(full));
    t.csvOnly.push(await timeIt(csvOnly));
    t.listing.push(await timeIt(listing));
  }
  images = lintCsv({ fileName: 'input.csv', bytes: readFileSync(csvPath), folder: new FolderIndex(await listBatchFolder(dir)) }).images;
  if (lintRows !== ROWS || lintProblems !== 0 || images.length !== ROWS * 3) {
    throw new Error(`the generated batch did not lint as expected: rows=${lintRows} problems=${lintProblems} images=${images.length}`);
  }
  const a = { bare: median(t.bare), full: median(t.full), csvOnly: median(t.csvOnly), listing: median(t.listing) };
  const ratioA = a.full / a.bare;

  // (b) image content checks: the sliced reads vs a plain synchronous loop.
  const factTimes: number[] = [];
  const seqTimes: number[] = [];
  let factCount = 0;
  for (let i = 0; i < 3; i++) {
    factTimes.push(await timeIt(async () => { factCount = (await readImageFacts(dir, images)).size; }));
    seqTimes.push(await timeIt(() => sequentialFacts(dir, images)));
  }
  if (factCount !== images.length) throw new Error(`image facts read for ${factCount} of ${images.length} files`);
  const b = { concurrent: median(factTimes), sequential: median(seqTimes) };

  // (c) whole processes: the CLI vs a process that only reads and parses.
  const cli = path.join(ROOT, 'dist', 'cli.js');
  const bareScript = `require('csv-parse/sync').parse(require('fs').readFileSync(${JSON.stringify(csvPath)}, 'utf8'))`;
  const proc = { cli: [] as number[], bare: [] as number[], node: [] as number[] };
  for (let i = 0; i < 5; i++) {
    proc.cli.push(await timeIt(() => {
      const r = spawnSync(process.execPath, [cli, 'lint', dir, '--format', 'json'], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`jumio-batch lint exited ${r.status}: ${r.stderr}`);
    }));
    proc.bare.push(await timeIt(() => spawnSync(process.execPath, ['-e', bareScript], { cwd: ROOT })));
    proc.node.push(await timeIt(() => spawnSync(process.execPath, ['-e', '0'])));
  }
  const c = { cli: median(proc.cli), bare: median(proc.bare), node: median(proc.node) };

  const f = (x: number): string => `${x.toFixed(1)} ms`;
  console.log('(a) lint of the CSV, every cell rule + image existence (median of 11, warm process)');
  console.log(`    bare csv-parse parse (read + parse)          ${f(a.bare)}   1.00×`);
  console.log(`    full lint (listing ‖ read + parse, checks)  ${f(a.full)}   ${ratioA.toFixed(2)}×   goal ≤ 1.50×  ${ratioA <= 1.5 ? 'MET' : 'MISSED'}`);
  console.log(`      of which lintCsv alone (no folder)        ${f(a.csvOnly)}   ${(a.csvOnly / a.bare).toFixed(2)}×`);
  console.log(`      of which the folder listing (30,000)      ${f(a.listing)}   ${(a.listing / a.bare).toFixed(2)}×`);
  console.log('(b) image content checks over 30,000 files (first bytes + size; median of 3)');
  console.log(`    sequential sync loop (baseline)              ${f(b.sequential)}   1.00×`);
  console.log(`    readImageFacts, sync in slices of 256       ${f(b.concurrent)}   ${(b.concurrent / b.sequential).toFixed(2)}×   goal < 1000 ms  ${b.concurrent < 1000 ? 'MET' : 'MISSED'}`);
  console.log('(c) whole processes (median of 5)');
  console.log(`    node -e 0                                    ${f(c.node)}`);
  console.log(`    node: read + csv-parse only (baseline)       ${f(c.bare)}   1.00×`);
  console.log(`    jumio-batch lint <folder> --format json      ${f(c.cli)}   ${(c.cli / c.bare).toFixed(2)}×`);
  const summary = { rows: ROWS, images: images.length, csvMB: size / 1e6, a, ratioA, b, c, ratioC: c.cli / c.bare };
  mkdirSync(path.join(ROOT, '.bench'), { recursive: true });
  writeFileSync(path.join(ROOT, '.bench', 'lint.json'), JSON.stringify(summary, null, 2));
}

main().catch((e) => {
  console.error(`bench:lint failed: ${(e as Error).message}`);
  process.exitCode = 1;
});
