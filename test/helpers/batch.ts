import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makePng } from './images';
import { SEED_HEADER, SEED_ROW_1 } from './lint';

export const ROOT = path.resolve(__dirname, '../../..');
export const CLI = path.join(ROOT, 'dist', 'cli.js');

/**
 * Writes a valid batch: `rows` rows, each referencing three PNGs of about `imageBytes` bytes
 * (sizes vary a little so that no two files are alike), in the sub-folder `img/`.
 */
export function makeBatch(rows: number, imageBytes = 2048, folder = mkdtempSync(path.join(os.tmpdir(), 'jb-batch-'))): string {
  mkdirSync(path.join(folder, 'img', 'ids'), { recursive: true });
  const lines = [SEED_HEADER];
  const cells = SEED_ROW_1.split(',');
  for (let i = 0; i < rows; i++) {
    const names = [`img/ids/${i}.back.png`, `img/ids/${i}.front.png`, `img/${i}.face.png`];
    names.forEach((n, k) => writeFileSync(path.join(folder, n), makePng(8, 8, [i % 256, k * 80, 100], imageBytes + ((i * 3 + k) * 97) % 1024)));
    const row = [...cells];
    row[1] = `ref-${i}`;
    row[2] = names[0];
    row[3] = names[1];
    row[4] = names[2];
    lines.push(row.join(','));
  }
  writeFileSync(path.join(folder, 'input.csv'), lines.join('\n') + '\n');
  return folder;
}

/** Every file below a folder, relative path → sha256 (not the tool's own .jumio-batch: receipts and the lock). */
export function checksums(folder: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = path.join(dir, name);
      if (dir === folder && name === '.jumio-batch') continue;
      if (statSync(p).isDirectory()) walk(p);
      else out.set(path.relative(folder, p).split(path.sep).join('/'), createHash('sha256').update(readFileSync(p)).digest('hex'));
    }
  };
  walk(folder);
  return out;
}

export interface CliRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built CLI as a real process, asynchronously (test servers and proxies live in this
 * process and must keep running). `onStderr` sees stderr as it arrives.
 */
export function runCli(args: string[], opts: { env?: NodeJS.ProcessEnv; onStart?: (child: ReturnType<typeof spawn>) => void } = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, SSH_AUTH_SOCK: '', JUMIO_SFTP_PASSPHRASE: undefined, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    opts.onStart?.(child);
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
}
