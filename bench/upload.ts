/**
 * `npm run bench:upload`: this tool against `lftp mirror -R --parallel=8` (the fastest common SFTP
 * tool) and a plain-ssh2 baseline (bench/plainSsh2.ts: the library alone, no checks), pushing the
 * same batches to the same local sshd in one run, **interleaved** (ours, lftp, plain, ours, …),
 * medians and ratios. Distance comes from a proxy on 127.0.0.1 that delays every chunk.
 *   cases: loopback 30,000 and 3,000 images of 20-200 KB; 300 of them at 50 ms round-trip time;
 *   120 and 300 images of ~3 MB at 100 ms. Then a --connections sweep at 100 ms, and part 4:
 *   what the receipt's hashing and the checks cost (bench/uploadChecks.ts).
 * Goals (issue 11): ≤ 0.5× lftp at 100 ms with large images and at 50 ms with 300 small ones;
 * ≤ 0.8× lftp and ≤ 1.1× plain ssh2 on loopback; peak RSS ≤ 250 MB.
 * BENCH_CASES=loop3000,rtt50 picks cases; BENCH_REPS=N repetitions (default 3); BENCH_ONLY=checks.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLI } from '../test/helpers/batch';
import { makePng } from '../test/helpers/images';
import { SEED_HEADER, SEED_ROW_1 } from '../test/helpers/lint';
import { startProxy } from '../test/helpers/proxy';
import { Sshd, remoteDir, startSshd } from '../test/helpers/sshd';
import { benchChecks, median } from './uploadChecks';

const FILES = Number(process.env.BENCH_FILES ?? 30_000);
const REPS = Number(process.env.BENCH_REPS ?? 3);
/** `BENCH_ONLY=checks` runs only part 4 (what the receipt's hashing and the checks cost). */
const ONLY = process.env.BENCH_ONLY;
const CHECK_PAIRS = Number(process.env.BENCH_CHECK_PAIRS ?? 5);
const PLAIN = path.resolve(__dirname, 'plainSsh2.js');
/**
 * The CLI as built when the run started: a rebuild meanwhile must not change what is measured.
 * Copied inside the clone (.bench/, ignored by git) so that it still finds node_modules (ssh2).
 */
const OUR_CLI = (() => {
  mkdirSync(path.resolve(__dirname, '../../.bench'), { recursive: true });
  const dir = mkdtempSync(path.resolve(__dirname, '../../.bench/cli-'));
  cpSync(path.dirname(CLI), dir, { recursive: true });
  return path.join(dir, path.basename(CLI));
})();

/** A batch of `files` images (3 per row) of 20-200 KB, sizes spread evenly. */
function generate(dir: string, files: number, size: (i: number) => number = (i) => 20_000 + ((i * 7919) % 180_001)): { bytes: number } {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'img'), { recursive: true });
  const cells = SEED_ROW_1.split(',');
  const lines = [SEED_HEADER];
  let bytes = 0;
  for (let r = 0; r * 3 < files; r++) {
    const row = [...cells];
    row[1] = `ref-${r}`;
    for (let k = 0; k < 3 && r * 3 + k < files; k++) {
      const i = r * 3 + k;
      const name = `img/${i}.png`;
      writeFileSync(path.join(dir, name), makePng(4, 4, [i % 256, 0, 0], size(i)));
      bytes += size(i);
      row[2 + k] = name;
    }
    lines.push(row.join(','));
  }
  writeFileSync(path.join(dir, 'input.csv'), lines.join('\n') + '\n');
  return { bytes };
}

function countFiles(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) n += e.isDirectory() ? countFiles(path.join(dir, e.name)) : 1;
  return n;
}

/** The batch `name` in the work folder, made once (kept between runs when it is complete). */
function batchSet(work: string, name: string, files: number, size?: (i: number) => number): { dir: string; bytes: number; files: number } {
  const dir = path.join(work, name);
  if (!(existsSync(path.join(dir, 'input.csv')) && countFiles(dir) === files + 1)) generate(dir, files, size);
  const bytes = readdirSync(path.join(dir, 'img')).reduce((n, f) => n + statSync(path.join(dir, 'img', f)).size, 0);
  return { dir, bytes, files };
}

interface Run { seconds: number; peakRssMB: number; /** user + system CPU seconds of the process */ cpu: number }

/** Runs a command under GNU time for its peak RSS; rejects on a non-zero exit. */
function timed(cmd: string, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-f', 'MAXRSS_KB=%M CPU=%U+%S', cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stdout.resume();
    child.stderr.setEncoding('utf8').on('data', (d: string) => { err += d; });
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const rss = /MAXRSS_KB=(\d+)/.exec(err);
      const cpu = /CPU=([\d.]+)\+([\d.]+)/.exec(err);
      if (code !== 0) reject(new Error(`${path.basename(cmd)} exited ${code}: ${err.slice(-600)}`));
      else resolve({ seconds, peakRssMB: rss ? Number(rss[1]) / 1024 : NaN, cpu: cpu ? Number(cpu[1]) + Number(cpu[2]) : NaN });
    });
  });
}

function sshOptions(s: Sshd): string[] {
  return ['-i', s.clientKey, '-o', `UserKnownHostsFile=${s.knownHosts}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes',
    '-o', `HostKeyAlias=[127.0.0.1]:${s.port}`, '-o', 'IdentitiesOnly=yes'];
}

async function ours(s: Sshd, batch: string, remote: string, port: number, extra: string[] = []): Promise<Run> {
  return timed(process.execPath, [OUR_CLI, 'upload', batch, '--host', '127.0.0.1', '--port', String(port), '--user', s.user, '--identity', s.clientKey,
    '--host-key-fingerprint', s.hostKeyFingerprint, '--remote-dir', remote, '--json', '--again', '--receipt', path.join(s.dir, `receipt-${Date.now()}.json`), ...extra]);
}

async function plain(s: Sshd, batch: string, remote: string, port: number): Promise<Run> {
  return timed(process.execPath, [PLAIN, batch, '127.0.0.1', String(port), s.user, s.clientKey, remote, '4', '16']);
}

async function lftp(s: Sshd, batch: string, remote: string, port: number): Promise<Run> {
  const ssh = ['ssh', '-a', '-x', ...sshOptions(s)].join(' ');
  const script = `set sftp:connect-program "${ssh}"; set net:max-retries 1; open -u ${s.user}, -p ${port} sftp://127.0.0.1; mirror -R --parallel=8 ${batch} ${remote}/lftp`;
  return timed('/usr/bin/lftp', ['-c', script]);
}

interface Case { key: string; title: string; set: () => { dir: string; bytes: number; files: number }; delayMs: number }

const TOOLS = [
  ['jumio-batch upload', ours],
  ['lftp mirror -R --parallel=8', lftp],
  ['plain ssh2 (4 conn × 16)', plain],
] as const;

/** One case: every tool REPS times, interleaved, fresh remote folders; medians and ratios. */
async function runCase(s: Sshd, c: Case, results: Record<string, unknown>): Promise<void> {
  const set = c.set();
  console.log(`\n${c.title}: ${set.files.toLocaleString('en-US')} images, ${(set.bytes / 1e6).toFixed(0)} MB${c.delayMs ? `, ${2 * c.delayMs} ms round trip` : ', loopback'}`);
  const proxy = c.delayMs ? await startProxy({ targetPort: s.port, delayMs: c.delayMs }) : undefined;
  const runs = new Map<string, Run[]>(TOOLS.map(([name]) => [name, []]));
  try {
    for (let rep = 0; rep < REPS; rep++) {
      for (const [name, tool] of TOOLS) {
        const d = remoteDir(s, `${c.key}-${name.split(' ')[0]}-${rep}`);
        const r = await tool(s, set.dir, d, proxy?.port ?? s.port);
        const arrived = countFiles(d);
        rmSync(d, { recursive: true, force: true });
        runs.get(name)?.push(r);
        console.log(`   ${name.padEnd(28)} ${r.seconds.toFixed(2).padStart(7)} s  ${(set.bytes / 1e6 / r.seconds).toFixed(1).padStart(6)} MB/s  CPU ${r.cpu.toFixed(1).padStart(5)} s  peak RSS ${r.peakRssMB.toFixed(0).padStart(4)} MB  (${arrived} files arrived)`);
      }
    }
  } finally {
    await proxy?.close();
  }
  const med = (name: string): number => median((runs.get(name) ?? []).map((r) => r.seconds));
  const ourTime = med(TOOLS[0][0]);
  const lftpTime = med(TOOLS[1][0]);
  const plainTime = med(TOOLS[2][0]);
  const rss = Math.max(...(runs.get(TOOLS[0][0]) ?? []).map((r) => r.peakRssMB));
  console.log(`   medians: ours ${ourTime.toFixed(2)} s, lftp ${lftpTime.toFixed(2)} s, plain ssh2 ${plainTime.toFixed(2)} s`
    + ` → ${(ourTime / lftpTime).toFixed(2)}× lftp, ${(ourTime / plainTime).toFixed(2)}× plain ssh2; our peak RSS ${rss.toFixed(0)} MB`);
  results[c.key] = { title: c.title, files: set.files, bytes: set.bytes, delayMs: c.delayMs, reps: REPS, runs: Object.fromEntries(runs), ours: ourTime, lftp: lftpTime, plain: plainTime, vsLftp: ourTime / lftpTime, vsPlain: ourTime / plainTime, rss };
}

/** --connections sweep at 100 ms (what the default is chosen from), interleaved. */
async function sweep(s: Sshd, set: { dir: string }, results: Record<string, unknown>): Promise<void> {
  console.log('\n--connections sweep, 100 ms round trip, 120 images of ~3 MB (ours only, interleaved)');
  const proxy = await startProxy({ targetPort: s.port, delayMs: 50 });
  const times = new Map<number, number[]>();
  try {
    for (let rep = 0; rep < REPS; rep++) {
      for (const k of [1, 2, 4, 8]) {
        const d = remoteDir(s, `sweep-${k}-${rep}`);
        const r = await ours(s, set.dir, d, proxy.port, ['--connections', String(k)]);
        rmSync(d, { recursive: true, force: true });
        times.set(k, [...(times.get(k) ?? []), r.seconds]);
        console.log(`   --connections ${k}  ${r.seconds.toFixed(2).padStart(7)} s  peak RSS ${r.peakRssMB.toFixed(0)} MB`);
      }
    }
  } finally {
    await proxy.close();
  }
  const line = [...times].map(([k, t]) => `${k}: ${median(t).toFixed(2)} s`).join(', ');
  console.log(`   medians: ${line}`);
  results.sweep = Object.fromEntries([...times].map(([k, t]) => [k, median(t)]));
}

/** Part 4: the upload with its receipt hashing and checks against the same upload without them. */
async function checksPart(s: Sshd, big: string): Promise<void> {
  console.log(`4. receipt hashing and checks: the same loopback upload of ${FILES.toLocaleString('en-US')} images in one process, with and without them, interleaved (${CHECK_PAIRS} pairs)`);
  const r = await benchChecks(s, big, CHECK_PAIRS, (line) => console.log(line));
  console.log(`   medians: with checks ${median(r.checked).toFixed(2)} s, without ${median(r.plain).toFixed(2)} s: ${r.ratio.toFixed(3)}× wall (≤ 1.05: ${r.ratio <= 1.05 ? 'MET' : 'MISSED'}); `
    + `CPU of this process ${median(r.checkedCpu).toFixed(2)} s vs ${median(r.plainCpu).toFixed(2)} s: ${r.cpuRatio.toFixed(3)}×`);
  mkdirSync(path.resolve(__dirname, '../../.bench'), { recursive: true });
  writeFileSync(path.resolve(__dirname, '../../.bench/upload-checks.json'), JSON.stringify({ files: FILES, ...r }, null, 2));
}

async function main(): Promise<void> {
  const work = path.join(os.tmpdir(), 'jumio-batch-bench-upload');
  mkdirSync(work, { recursive: true });
  const large = (i: number): number => 2_700_000 + ((i * 7919) % 600_001);
  const cases: Case[] = [
    { key: 'loop30000', title: '1. loopback', set: () => batchSet(work, `batch-${FILES}`, FILES), delayMs: 0 },
    { key: 'loop3000', title: '2. loopback', set: () => batchSet(work, 'batch-3000', 3000), delayMs: 0 },
    { key: 'rtt50', title: '3. 50 ms round trip', set: () => batchSet(work, 'batch-300', 300), delayMs: 25 },
    { key: 'rtt100large120', title: '4. 100 ms round trip', set: () => batchSet(work, 'large-120', 120, large), delayMs: 50 },
    { key: 'rtt100large300', title: '5. 100 ms round trip', set: () => batchSet(work, 'large-300', 300, large), delayMs: 50 },
  ];
  const wanted = process.env.BENCH_CASES?.split(',');
  console.log(`node ${process.version}, ${os.cpus().length} cores, OpenSSH sshd on 127.0.0.1, ${REPS} interleaved repetitions`);
  // The server writes to tmpfs when there is one: on disk, every tool measured the disk.
  const shm = existsSync('/dev/shm') ? '/dev/shm' : undefined;
  const s = await startSshd({ homeParent: shm });
  console.log(`server destination: ${shm ? 'tmpfs (/dev/shm)' : 'disk (no /dev/shm)'}`);
  const results: Record<string, unknown> = {};
  try {
    if (ONLY === 'checks') {
      await checksPart(s, batchSet(work, `batch-${FILES}`, FILES).dir);
      return;
    }
    for (const c of cases) if (!wanted || wanted.includes(c.key)) await runCase(s, c, results);
    if (!wanted || wanted.includes('sweep')) await sweep(s, batchSet(work, 'large-120', 120, large), results);
    if (!wanted || wanted.includes('checks')) await checksPart(s, batchSet(work, `batch-${FILES}`, FILES).dir);
    mkdirSync(path.resolve(__dirname, '../../.bench'), { recursive: true });
    writeFileSync(path.resolve(__dirname, '../../.bench/upload.json'), JSON.stringify(results, null, 2));
  } finally {
    await s.stop();
  }
}

main().catch((e) => {
  console.error(`bench:upload failed: ${(e as Error).message}`);
  process.exitCode = 1;
});
