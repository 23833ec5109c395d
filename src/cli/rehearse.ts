import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeStatus } from '../core';
import { BatchStatus, generateSshKeyPair, startSandbox } from '../node/sandbox/server';
import { lintBatchPath } from '../node/batch/lintPath';
import { formatText } from './format';
import { Io, UsageError } from './io';
import { uploadCommand } from './upload';

export const REHEARSE_USAGE = `Usage: jumio-batch rehearse [folder]

A full rehearsal, touching nothing outside this machine: lints the batch (default:
examples/batch), starts a local sandbox SFTP server on 127.0.0.1 with fresh keys, uploads the
batch to it exactly as 'jumio-batch upload' would, shows the sandbox's Jumio-style verdict
(COMPLETED or ERROR), and stops. Exit status: 0 COMPLETED; 1 lint errors or ERROR; 3 upload failed.`;

/** `jumio-batch rehearse`: lint, sandbox, upload, verdict, stop. */
export async function rehearseCommand(args: string[], io: Io, signal?: AbortSignal): Promise<number> {
  if (args.length > 1 || args.some((a) => a.startsWith('-'))) throw new UsageError('rehearse takes one batch folder and no options');
  const folder = args[0] ?? 'examples/batch';

  io.stdout.write(`1. Lint ${folder}\n`);
  const lint = await lintBatchPath(folder);
  io.stdout.write(`${formatText([lint], false).trimEnd().replace(/^/gm, '   ')}\n`);
  if (lint.counts.errors > 0) return 1;

  const work = mkdtempSync(path.join(os.tmpdir(), 'jumio-batch-rehearsal-'));
  const statuses: BatchStatus[] = [];
  let verdict: ((s: BatchStatus) => void) | undefined;
  try {
    const client = generateSshKeyPair('jumio-batch rehearsal');
    const key = path.join(work, 'client_ed25519');
    writeFileSync(key, client.privateKey, { mode: 0o600 });
    const sandbox = await startSandbox({
      root: path.join(work, 'intake'), port: 0, authorizedKeys: [client.publicKey],
      log: (line) => io.stdout.write(`   sandbox: ${line}\n`),
    });
    sandbox.on('status', (s) => {
      statuses.push(s);
      if (s.status === 'COMPLETED' || s.status === 'ERROR') verdict?.(s);
    });
    try {
      io.stdout.write(`2. Sandbox intake on 127.0.0.1:${sandbox.port}, host key ${sandbox.hostKeyFingerprint}\n`);
      const uploadArgs = [folder, '--host', '127.0.0.1', '--port', String(sandbox.port), '--user', 'jumio', '--identity', key,
        '--host-key-fingerprint', sandbox.hostKeyFingerprint,
        // A rehearsal submits nothing real: its receipt stays with the throw-away sandbox, and it may run again and again.
        '--receipt', path.join(work, 'receipt.json'), '--again'];
      io.stdout.write(`3. Upload: jumio-batch upload ${uploadArgs.join(' ')}\n`);
      const final = new Promise<BatchStatus>((resolve) => {
        verdict = resolve;
        const done = statuses.find((s) => s.status === 'COMPLETED' || s.status === 'ERROR');
        if (done) resolve(done);
      });
      const code = await uploadCommand(uploadArgs, { ...io, env: { ...io.env, SSH_AUTH_SOCK: '' }, stdin: undefined }, signal);
      if (code !== 0) return code;
      const s = await final;
      io.stdout.write(`4. Verdict: ${describeStatus(s)}\n`);
      return s.status === 'COMPLETED' ? 0 : 1;
    } finally {
      await sandbox.close();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
