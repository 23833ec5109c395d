/**
 * What the upload's safety costs: the same batch, to the same sshd on loopback, in one process,
 * interleaved (the order alternates each pair), after a warm-up pair; medians and their ratios.
 *   checked: `runUpload` as the CLI runs it — lint, plan with every file's identity (lstat), the
 *     folder lock, the already-sent look-up, each file opened without following links and checked
 *     against the plan (fstat), SHA-256 of every byte sent, the receipt written.
 *   plain: the same lint and the same engine and transport, with files opened and read as before
 *     the checks existed (no identity, no hash, no lock, no receipt).
 * Goal (issue 9): checked ≤ 1.05 × plain.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalSource, UploadFile, uploadBatch } from '../src/core';
import { lintBatchPath } from '../src/node/batch/lintPath';
import { Ssh2SftpTransport } from '../src/node/ssh/sftpTransport';
import { connectionFor } from '../src/node/upload/connection';
import { UploadRequest, runUpload } from '../src/node/upload/service';
import { Sshd, remoteDir } from '../test/helpers/sshd';

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** A file read as the transport read it before issue 9: open, read in order, close. */
function plainOpen(folder: string) {
  return async (f: UploadFile): Promise<LocalSource> => {
    const fd = openSync(path.join(folder, f.path), 'r');
    let offset = 0;
    return {
      ...f,
      async read(max: number) {
        const n = Math.min(max, f.size - offset);
        if (n <= 0) return new Uint8Array(0);
        const b = Buffer.allocUnsafe(n);
        readSync(fd, b, 0, n, offset);
        offset += n;
        return b;
      },
      digest: async () => undefined,
      async close() { closeSync(fd); },
    };
  };
}

export interface ChecksResult {
  checked: number[];
  plain: number[];
  /** Median wall time, checked over plain. */
  ratio: number;
  /** This process's CPU seconds (user + system) per run: steadier than wall time on a shared machine. */
  checkedCpu: number[];
  plainCpu: number[];
  cpuRatio: number;
}

export async function benchChecks(s: Sshd, batch: string, pairs: number, log: (line: string) => void): Promise<ChecksResult> {
  const receipts = mkdtempSync(path.join(os.tmpdir(), 'jb-bench-receipts-'));
  const base = (remote: string): UploadRequest => ({
    folder: batch, host: '127.0.0.1', port: s.port, user: s.user, identity: s.clientKey, hostKeyFingerprint: s.hostKeyFingerprint,
    remoteDir: remote, env: {}, retries: 0,
  });
  const checked: number[] = [];
  const plain: number[] = [];
  const checkedCpu: number[] = [];
  const plainCpu: number[] = [];
  try {
    // Pair 0 warms the page cache, the JIT and the server, and is not counted.
    for (let i = 0; i <= pairs; i++) {
      for (const kind of (i % 2 ? ['plain', 'checked'] : ['checked', 'plain']) as ('checked' | 'plain')[]) {
        const remote = remoteDir(s, `checks-${kind}-${i}`);
        const started = performance.now();
        const cpu = process.cpuUsage();
        if (kind === 'checked') {
          await runUpload({ ...base(remote), receiptPath: path.join(receipts, `${i}.json`) });
        } else {
          const lint = await lintBatchPath(batch);
          const files = [{ path: 'input.csv', size: lint.csvBytes }, ...lint.images];
          const connect = await connectionFor(base(remote), {}, {});
          await uploadBatch(files, new Ssh2SftpTransport(connect), {
            remoteDir: remote, newBatchId: () => crypto.randomUUID(), open: plainOpen(lint.folder), concurrency: 32, retries: 0,
            backoffMs: () => 1000, sleep: (ms) => new Promise((r) => setTimeout(r, ms)), now: () => performance.now(),
          });
        }
        const seconds = (performance.now() - started) / 1000;
        const used = process.cpuUsage(cpu);
        const cpuSeconds = (used.user + used.system) / 1e6;
        rmSync(remote, { recursive: true, force: true });
        log(`   ${i === 0 ? 'warm-up' : `pair ${i}`.padEnd(7)} ${kind.padEnd(8)} ${seconds.toFixed(2)} s wall, ${cpuSeconds.toFixed(2)} s CPU`);
        if (i === 0) continue;
        (kind === 'checked' ? checked : plain).push(seconds);
        (kind === 'checked' ? checkedCpu : plainCpu).push(cpuSeconds);
      }
    }
  } finally {
    rmSync(receipts, { recursive: true, force: true });
  }
  return { checked, plain, ratio: median(checked) / median(plain), checkedCpu, plainCpu, cpuRatio: median(checkedCpu) / median(plainCpu) };
}
