import { parseArgs } from 'node:util';
import { TransportError, UploadError, UploadProgress } from '../core';
import { InputError } from '../node/batch/lintPath';
import { DEFAULT_CONCURRENCY, DEFAULT_RETRIES, LintFailedError, dryRunUpload, uploadBatchFolder } from '../node/upload/service';
import { formatText } from './format';
import { Io, UsageError, positiveNumber } from './io';
import { askHidden } from './prompt';

export const UPLOAD_USAGE = `Usage: jumio-batch upload <folder> --host H [options]

Lints the batch, then uploads input.csv and every image it references into a new UUID folder on
the SFTP server, verifies every file's size, and only then writes DONE.

Options:
  --host H                   server, or a Host alias of ~/.ssh/config (required)
  --port P                   port (default: from ~/.ssh/config, else 22)
  --user U                   login name (default: from ~/.ssh/config, else your user name)
  --identity KEY             private key file (default: IdentityFile, the ssh-agent, ~/.ssh/id_*)
  --known-hosts FILE         OpenSSH known_hosts to check the server's key (default: ~/.ssh/known_hosts)
  --host-key-fingerprint FP  accept only this server key (SHA256:…), instead of known_hosts
  --accept-new-host-key      record an unknown server key in known_hosts (never a changed one)
  --ssh-config FILE          OpenSSH client config that --host is looked up in (default: ~/.ssh/config)
  --remote-dir DIR           where the batch folder is created (default: the login folder)
  --concurrency N            files in flight (default: ${DEFAULT_CONCURRENCY})
  --resume ID                finish an incomplete batch: re-send what is missing, then DONE
  --retries N                fresh connections tried after a dropped one (default: ${DEFAULT_RETRIES}; back-off 1, 2, 4… s)
  --dry-run                  lint, connect and check the remote folder; write nothing
  --json                     on success print one JSON object (batchId, remotePath, files, bytes, seconds)

The key's passphrase comes from JUMIO_SFTP_PASSPHRASE, or is asked for on a terminal.
Exit status: 0 uploaded; 1 lint errors (nothing sent); 2 usage error; 3 connection,
authentication, host key or upload failure (no DONE written); 130 cancelled (no DONE written).`;

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The command that finishes this batch: the same arguments, with --resume ID. */
function resumeCommand(args: string[], batchId: string): string {
  const kept: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--dry-run' || args[i] === '--accept-new-host-key') continue;
    if (args[i] === '--resume') { i++; continue; }
    if (args[i].startsWith('--resume=')) continue;
    kept.push(args[i]);
  }
  return ['jumio-batch', 'upload', ...kept, '--resume', batchId].map(shellQuote).join(' ');
}

const MB = 1_000_000;

/** The one-line progress bar shown on a terminal: files, MB, rate, ETA, phase. */
export function progressLine(p: UploadProgress): string {
  const width = 24;
  const share = p.bytesTotal > 0 ? p.bytesDone / p.bytesTotal : p.filesDone / Math.max(1, p.filesTotal);
  const filled = Math.round(share * width);
  const eta = p.etaSeconds !== undefined && p.phase === 'uploading' ? `  ETA ${Math.ceil(p.etaSeconds)}s` : '';
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.filesDone.toLocaleString('en-US')}/${p.filesTotal.toLocaleString('en-US')} files  `
    + `${(p.bytesDone / MB).toFixed(1)}/${(p.bytesTotal / MB).toFixed(1)} MB  ${(p.bytesPerSecond / MB).toFixed(1)} MB/s${eta}  ${p.phase}`;
}

/** `jumio-batch upload`: returns the exit status. */
export async function uploadCommand(args: string[], io: Io, signal?: AbortSignal): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      host: { type: 'string' }, port: { type: 'string' }, user: { type: 'string' }, identity: { type: 'string' },
      'known-hosts': { type: 'string' }, 'host-key-fingerprint': { type: 'string' }, 'accept-new-host-key': { type: 'boolean' },
      'remote-dir': { type: 'string' }, concurrency: { type: 'string' }, resume: { type: 'string' },
      'dry-run': { type: 'boolean' }, json: { type: 'boolean' }, 'ssh-config': { type: 'string' }, retries: { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new UsageError('upload needs exactly one batch folder');
  if (!values.host) throw new UsageError('upload needs --host');
  if (values['known-hosts'] && values['host-key-fingerprint']) throw new UsageError('give --known-hosts or --host-key-fingerprint, not both');
  const port = values.port === undefined ? undefined : positiveNumber(values.port, '--port', 22);
  if (port !== undefined && (!Number.isInteger(port) || port > 65535)) throw new UsageError(`--port must be 1-65535, got "${values.port}"`);
  const concurrency = Math.floor(positiveNumber(values.concurrency, '--concurrency', DEFAULT_CONCURRENCY));
  const retries = values.retries === '0' ? 0 : Math.floor(positiveNumber(values.retries, '--retries', DEFAULT_RETRIES));

  const tty = !!io.stderr.isTTY;
  let lastDraw = 0;
  const log = (line: string): void => { if (!values.json) io.stderr.write(`${tty ? '\r\x1b[K' : ''}${line}\n`); };
  const request = {
    folder: positionals[0], host: values.host, port, user: values.user, identity: values.identity,
    sshConfigPath: values['ssh-config'], knownHostsPath: values['known-hosts'], hostKeyFingerprint: values['host-key-fingerprint'],
    acceptNewHostKey: values['accept-new-host-key'], remoteDir: values['remote-dir'], concurrency, retries, resume: values.resume,
    env: io.env, signal, log,
    askPassphrase: io.stdin?.isTTY ? (file: string) => askHidden(`Passphrase for ${file}: `, io) : undefined,
    onProgress: tty ? (p: UploadProgress) => {
      const now = Date.now();
      if (now - lastDraw < 100 && p.filesDone < p.filesTotal) return;
      lastDraw = now;
      io.stderr.write(`\r\x1b[K${progressLine(p)}`);
    } : undefined,
  };

  try {
    if (values['dry-run']) {
      const plan = await dryRunUpload(request);
      const folders = new Set(plan.files.map((f) => f.path.split('/').slice(0, -1).join('/')).filter(Boolean));
      io.stdout.write(`Dry run: nothing was written.\n  server:       ${plan.server}\n  batch folder: ${plan.batchFolder}\n`
        + `  files:        ${plan.files.length.toLocaleString('en-US')} (input.csv + ${plan.files.length - 1} images${folders.size ? ` in ${folders.size} sub-folders` : ''}), ${(plan.bytes / MB).toFixed(1)} MB\n`
        + `  then:         verify every size, write DONE\n`);
      return 0;
    }
    const r = await uploadBatchFolder(request);
    if (tty) io.stderr.write('\r\x1b[K');
    const result = { batchId: r.batchId, remotePath: r.remotePath, files: r.files, bytes: r.bytes, seconds: Number(r.seconds.toFixed(3)) };
    if (values.json) io.stdout.write(`${JSON.stringify(result)}\n`);
    else io.stdout.write(`Uploaded batch ${r.batchId}: ${r.files.toLocaleString('en-US')} files, ${(r.bytes / MB).toFixed(1)} MB in ${r.seconds.toFixed(1)} s${r.skipped ? ` (${r.skipped} already there)` : ''}${r.retries ? ` after ${r.retries} reconnect(s)` : ''}; DONE written to ${r.remotePath}/DONE.\n`);
    return 0;
  } catch (e) {
    if (tty) io.stderr.write('\r\x1b[K');
    if (e instanceof LintFailedError) {
      const errors = { ...e.lint, problems: e.lint.problems.filter((p) => p.severity === 'error'), counts: { ...e.lint.counts, warnings: 0, infos: 0 } };
      io.stderr.write(formatText([errors], false));
      io.stderr.write(`jumio-batch: ${e.message}\n`);
      return 1;
    }
    if (e instanceof InputError) throw e;
    if (e instanceof UploadError || e instanceof TransportError) {
      const aborted = e instanceof UploadError && e.kind === 'aborted';
      io.stderr.write(aborted ? 'jumio-batch: upload cancelled.\n' : `jumio-batch: upload failed: ${e.message}\n`);
      if (e instanceof UploadError && e.batchId) {
        io.stderr.write(`No DONE was written: batch ${e.batchId} is incomplete on the server. To finish it, run:\n  ${resumeCommand(args, e.batchId)}\n`);
      } else if (!aborted && !(e instanceof UploadError && e.kind === 'resume')) {
        io.stderr.write('Nothing was submitted (no DONE was written).\n');
      }
      return aborted ? 130 : 3;
    }
    throw e;
  }
}
