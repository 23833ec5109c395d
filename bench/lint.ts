/**
 * `npm run bench:lint`: the linter's speed on a large batch, as ratios to baselines measured in
 * the same process (absolute times on shared machines are noisy; ratios are what we track).
 *
 * Batch: 10,000 rows × 19 columns, every row referencing 3 images, 30,000 image files in the
 * folder as cameras and scanners make them (0.9 GB): a PNG of 12-28 KB, a JPEG whose 24 KB EXIF
 * block puts its frame header past the first 4 KB, and a JPEG of which every tenth carries 16 KB
 * of trailer after its end marker (as phones append), so that its end must be walked to.
 *   (a) lint of the CSV with every cell rule and image existence (one folder listing) vs a bare
 *       csv-parse parse of the same file. Goal: ratio ≤ 1.5.
 *   (b) image content checks (first bytes, size, dimensions, end marker) over the 30,000 files,
 *       vs the first bytes alone, and vs image-size (the well-kept library) reading the same
 *       files. Goal: < 1 s.
 *   (c) the whole `jumio-batch lint` process vs a process that only reads and parses the file.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, openSync, readSync, fstatSync, closeSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import { imageSize } from 'image-size';
import { imageSizeFromFile } from 'image-size/fromFile';
import { FolderIndex, SNIFF_BYTES, inspectImage, lintCsv } from '../src/core';
import { listBatchFolder, readImageFacts } from '../src/node/batch/folder';
import { lintBatchPath } from '../src/node/batch/lintPath';
import { makeJpeg, makePng } from '../test/helpers/images';
import { SEED_HEADER } from '../test/helpers/lint';

const ROWS = 10_000;
const ROOT = path.resolve(__dirname, '../..');

/** Bytes with no 0xFF, so that no end-of-image marker hides in a trailer. */
function trailer(length: number): Buffer {
  return Buffer.from(Array.from({ length }, (_, i) => (i * 131) % 255));
}

/** 16 variants of each kind of file (the lint reads no two alike; the disk holds 30,000 copies). */
const BACKS = Array.from({ length: 16 }, (_, k) => makePng(32 + k, 32, [k, 80, 160], 12_000 + k * 1_000));
const FRONTS = Array.from({ length: 16 }, (_, k) => makeJpeg({ width: 3024 + k, height: 4032, exifBytes: 24_000, scanBytes: 16_000 + k * 500 }));
const FACES = Array.from({ length: 16 }, (_, k) => makeJpeg({ width: 1080, height: 1440 + k, scanBytes: 20_000, trailer: k === 0 ? trailer(16_000) : undefined }));

function generate(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const lines = [SEED_HEADER];
  for (let i = 0; i < ROWS; i++) {
    const id = `${i}_${200014954151 + i}`;
    writeFileSync(path.join(dir, `${id}.back.png`), BACKS[i % 16]);
    writeFileSync(path.join(dir, `${id}.front.jpg`), FRONTS[(i >> 4) % 16]);
    // Every tenth face has a trailer after its end marker.
    writeFileSync(path.join(dir, `${id}.face.jpg`), i % 10 === 0 ? FACES[0] : FACES[1 + (i % 15)]);
    lines.push(`10015,ref-${i},${id}.back.png,${id}.front.jpg,${id}.face.jpg,226.80.${i % 256}.${(i * 7) % 256},USA,IL,yes,2022-07-20T17:20:35.000Z,John,Smith,15031234567,person${i}@example.com,"${i} SW Address Ln, Apt ${i % 40}",${10000 + (i % 89999)},Any Town,OR,USA`);
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

/** The first bytes and size alone: what the image checks read before dimensions and end markers. */
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

/**
 * image-size on the same files, as fast as it can be used: synchronous reads like ours, and one
 * read of the first 64 KB (it needs the bytes up to a JPEG's frame header in one buffer, and the
 * EXIF block of a phone photo runs to 64 KB). The end marker is not its business: not checked here.
 */
function imageSizeFacts(dir: string, files: string[]): number {
  const buf = Buffer.alloc(65_536);
  let n = 0;
  for (const f of files) {
    const fd = openSync(path.join(dir, f), 'r');
    const read = readSync(fd, buf, 0, buf.length, 0);
    n += fstatSync(fd).size + (imageSize(buf.subarray(0, read)).width ?? 0);
    closeSync(fd);
  }
  return n;
}

/** image-size's own file API (it reads up to 512 KB of each file, 100 at a time through promises). */
async function imageSizeFromFiles(dir: string, files: string[]): Promise<number> {
  let n = 0;
  for (let i = 0; i < files.length; i += 100) {
    const sizes = await Promise.all(files.slice(i, i + 100).map((f) => imageSizeFromFile(path.join(dir, f))));
    for (const s of sizes) n += s.width ?? 0;
  }
  return n;
}

async function main(): Promise<void> {
  const dir = path.join(os.tmpdir(), 'jumio-batch-bench-lint-2');
  const csvPath = path.join(dir, 'input.csv');
  if (!existsSync(csvPath) || process.env.BENCH_REGENERATE) {
    const t = process.hrtime.bigint();
    generate(dir);
    console.log(`generated ${ROWS.toLocaleString('en-US')} rows and ${(ROWS * 3).toLocaleString('en-US')} PNG and JPEG files in ${dir} (${ms(t).toFixed(0)} ms)`);
  }
  const size = readFileSync(csvPath).length;
  const imageBytes = (await listBatchFolder(dir)).reduce((n, e) => n + (e.path.endsWith('.csv') ? 0 : statSync(path.join(dir, e.path)).size), 0);
  console.log(`input.csv: ${(size / 1e6).toFixed(2)} MB, images: ${(imageBytes / 1e9).toFixed(2)} GB, node ${process.version}, ${os.cpus().length} cores\n`);

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

  // (b) image content checks, interleaved: ours (first bytes, size, dimensions, end marker), the
  // first bytes alone, and image-size on the same files; then the parsers alone on bytes in memory.
  const times = { ours: [] as number[], firstBytes: [] as number[], imageSize: [] as number[], imageSizeFromFile: [] as number[] };
  let imageFacts = new Map<string, ReturnType<typeof inspectImage>>();
  // image-size takes 10-30 s a pass here: it runs in 3 of the 7 rounds (its file API in 1).
  for (let i = 0; i < 7; i++) {
    times.ours.push(await timeIt(async () => { imageFacts = await readImageFacts(dir, images); }));
    times.firstBytes.push(await timeIt(() => sequentialFacts(dir, images)));
    if (i % 2 === 1) times.imageSize.push(await timeIt(() => imageSizeFacts(dir, images)));
    if (i === 3) times.imageSizeFromFile.push(await timeIt(() => imageSizeFromFiles(dir, images)));
  }
  if (imageFacts.size !== images.length) throw new Error(`image facts read for ${imageFacts.size} of ${images.length} files`);
  const checked = lintCsv({ fileName: 'input.csv', bytes: readFileSync(csvPath), folder: new FolderIndex(await listBatchFolder(dir)) }).checkImages(imageFacts);
  const unread = [...imageFacts.values()].filter((f) => f.width === undefined || f.ends !== true).length;
  if (checked.length !== 0 || unread !== 0) throw new Error(`the realistic images did not check clean: ${checked.length} problems, ${unread} without a size or an end`);
  const templates = [...BACKS, ...FRONTS, ...FACES];
  const inMemory = { ours: [] as number[], imageSize: [] as number[] };
  const parseOurs = (): number => {
    let n = 0;
    for (let k = 0; k < 30_000; k++) {
      const b = templates[k % templates.length];
      n += inspectImage(b.length, (offset, length) => b.subarray(offset, offset + length)).width ?? 0;
    }
    return n;
  };
  const parseImageSize = (): number => {
    let n = 0;
    for (let k = 0; k < 30_000; k++) n += imageSize(templates[k % templates.length].subarray(0, 65_536)).width ?? 0;
    return n;
  };
  for (let i = 0; i < 7; i++) {
    inMemory.ours.push(await timeIt(parseOurs));
    if (i % 2 === 1) inMemory.imageSize.push(await timeIt(parseImageSize));
  }
  const b = {
    ours: median(times.ours), firstBytes: median(times.firstBytes), imageSize: median(times.imageSize), imageSizeFromFile: median(times.imageSizeFromFile),
    parseOurs: median(inMemory.ours), parseImageSize: median(inMemory.imageSize),
  };

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
  console.log('(b) image content checks over 30,000 files (median of 7, interleaved; image-size of 3, its file API of 1)');
  console.log(`    first bytes + size only (baseline)           ${f(b.firstBytes)}   1.00×`);
  console.log(`    readImageFacts: + dimensions + end marker    ${f(b.ours)}   ${(b.ours / b.firstBytes).toFixed(2)}×   goal < 1000 ms  ${b.ours < 1000 ? 'MET' : 'MISSED'}`);
  console.log(`    image-size, sync, first 64 KB (no end check) ${f(b.imageSize)}   ${(b.imageSize / b.firstBytes).toFixed(2)}×`);
  console.log(`    image-size's imageSizeFromFile (512 KB)      ${f(b.imageSizeFromFile)}   ${(b.imageSizeFromFile / b.firstBytes).toFixed(2)}×`);
  console.log(`    parsers alone, bytes in memory: ours ${f(b.parseOurs)}, image-size ${f(b.parseImageSize)} (${(b.parseImageSize / b.parseOurs).toFixed(2)}×)`);
  console.log('(c) whole processes (median of 5)');
  console.log(`    node -e 0                                    ${f(c.node)}`);
  console.log(`    node: read + csv-parse only (baseline)       ${f(c.bare)}   1.00×`);
  console.log(`    jumio-batch lint <folder> --format json      ${f(c.cli)}   ${(c.cli / c.bare).toFixed(2)}×`);
  const summary = { rows: ROWS, images: images.length, csvMB: size / 1e6, imageGB: imageBytes / 1e9, a, ratioA, b, c, ratioC: c.cli / c.bare };
  mkdirSync(path.join(ROOT, '.bench'), { recursive: true });
  writeFileSync(path.join(ROOT, '.bench', 'lint.json'), JSON.stringify(summary, null, 2));
}

main().catch((e) => {
  console.error(`bench:lint failed: ${(e as Error).message}`);
  process.exitCode = 1;
});
