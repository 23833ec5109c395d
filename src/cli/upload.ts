import { parseArgs } from 'node:util';
import { UploadError, UploadProgress, shellQuote } from '../core';
import { InputError } from '../node/batch/target';
import { DEFAULT_CONCURRENCY, DEFAULT_CONNECTIONS, DEFAULT_RETRIES, MAX_CONNECTIONS, HostKeyError, LintFailedError, UploadRequest, dryRunUpload, runUpload } from '../node/upload/service';
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
  --connections N            SSH connections sharing the files, 1-${MAX_CONNECTIONS} (default: ${DEFAULT_CONNECTIONS})
  --concurrency N            files in flight over all connections (default: ${DEFAULT_CONCURRENCY})
  --resume ID                finish an incomplete batch: re-send what is missing or changed, then DONE
  --again                    send a folder whose input.csv was already sent, as a new batch
  --receipt FILE             where the receipt goes (default: <folder>/.jumio-batch/<batch id>.json)
  --retries N                fresh connections tried after a dropped one (default: ${DEFAULT_RETRIES}; back-off 1, 2, 4… s)
  --dry-run                  lint, connect and check the remote folder; write nothing
  --json                     on success print one JSON object (batchId, remotePath, files, bytes, seconds, receipt)

The key's passphrase comes from JUMIO_SFTP_PASSPHRASE, or is asked for on a terminal.
Exit status: 0 uploaded; 1 lint errors (nothing sent); 2 usage error; 3 connection,
authentication, host key or upload failure (no DONE written); 4 refused before sending: the
folder is being uploaded, or its input.csv was already sent (--again); 130 cancelled (no DONE).`;

/** The command that finishes this batch: the same arguments, with --resume ID. */
function resumeCommand(args: string[], batchId: string): string {
  const kept: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--dry-run' || args[i] === '--accept-new-host-key' || args[i] === '--again') continue;
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

/** What to do about a failure, in the CLI's own words (its flags, the file to fix). */
function advice(e: UploadError, args: string[]): string[] {
  const file = e.file ? ` (${e.file})` : '';
  switch (e.reason) {
    case 'host-key-unknown': {
      const f = e instanceof HostKeyError ? e.facts : undefined;
      return [f
        ? `Check its ${f.keyType} fingerprint ${f.fingerprint} with the server's administrator, then re-run with --accept-new-host-key, or pin it with --host-key-fingerprint ${f.fingerprint}, or add it to ${f.knownHostsFile} with ssh-keyscan.`
        : 'Check the fingerprint with the server\'s administrator, then re-run with --accept-new-host-key or pin it with --host-key-fingerprint.'];
    }
    case 'host-key-pin': return ['Refusing to connect: the server may be an impostor, or --host-key-fingerprint is out of date (copy it from `ssh-keygen -lf <key>.pub`; MD5 fingerprints are not accepted).'];
    case 'auth-passphrase': return ['Set JUMIO_SFTP_PASSPHRASE, run on a terminal to be asked, or use the ssh-agent.'];
    case 'auth-key': return ['Pass --identity KEY, set IdentityFile in ~/.ssh/config, or run an ssh-agent (SSH_AUTH_SOCK).'];
    case 'auth': return ['Check the user name (--user) and that the key is the one registered for batch uploads in the Jumio Portal.'];
    case 'already-sent': return [`To send it anyway, as a new batch that Jumio processes again: ${['jumio-batch', 'upload', ...args, '--again'].map(shellQuote).join(' ')}`];
    case 'changed-since-lint': case 'local-read': case 'reserved-name': case 'verify': case 'remote-unexpected':
      return file ? [`The file: ${e.file}`] : [];
    default: return [];
  }
}

function exitStatus(e: UploadError): number {
  if (e.reason === 'cancelled') return 130;
  if (e.reason === 'lint') return 1;
  if (e.reason === 'locked' || e.reason === 'already-sent') return 4;
  return 3;
}

/** `jumio-batch upload`: returns the exit status. */
export async function uploadCommand(args: string[], io: Io, signal?: AbortSignal): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      host: { type: 'string' }, port: { type: 'string' }, user: { type: 'string' }, identity: { type: 'string' },
      'known-hosts': { type: 'string' }, 'host-key-fingerprint': { type: 'string' }, 'accept-new-host-key': { type: 'boolean' },
      'remote-dir': { type: 'string' }, concurrency: { type: 'string' }, connections: { type: 'string' }, resume: { type: 'string' }, again: { type: 'boolean' }, receipt: { type: 'string' },
      'dry-run': { type: 'boolean' }, json: { type: 'boolean' }, 'ssh-config': { type: 'string' }, retries: { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new UsageError('upload needs exactly one batch folder');
  if (!values.host) throw new UsageError('upload needs --host');
  if (values['known-hosts'] && values['host-key-fingerprint']) throw new UsageError('give --known-hosts or --host-key-fingerprint, not both');
  if (values.again && values.resume) throw new UsageError('--again makes a new batch; it cannot go with --resume');
  const port = values.port === undefined ? undefined : positiveNumber(values.port, '--port', 22);
  if (port !== undefined && (!Number.isInteger(port) || port > 65535)) throw new UsageError(`--port must be 1-65535, got "${values.port}"`);
  const concurrency = Math.floor(positiveNumber(values.concurrency, '--concurrency', DEFAULT_CONCURRENCY));
  const connections = Math.floor(positiveNumber(values.connections, '--connections', DEFAULT_CONNECTIONS));
  if (connections > MAX_CONNECTIONS) throw new UsageError(`--connections must be 1-${MAX_CONNECTIONS} (OpenSSH drops connections past its MaxStartups), got "${values.connections}"`);
  const retries = values.retries === '0' ? 0 : Math.floor(positiveNumber(values.retries, '--retries', DEFAULT_RETRIES));

  const tty = !!io.stderr.isTTY;
  let lastDraw = 0;
  const log = (line: string): void => { if (!values.json) io.stderr.write(`${tty ? '\r\x1b[K' : ''}${line}\n`); };
  const request: UploadRequest = {
    folder: positionals[0], host: values.host, port, user: values.user, identity: values.identity,
    sshConfigPath: values['ssh-config'], knownHostsPath: values['known-hosts'], hostKeyFingerprint: values['host-key-fingerprint'],
    remoteDir: values['remote-dir'], concurrency, connections, retries, resume: values.resume, again: values.again, receiptPath: values.receipt, env: io.env,
  };
  const hooks = {
    signal, log,
    // The CLI decides about an unknown host inside the handshake: trust it only when told to.
    confirmHost: values['accept-new-host-key'] ? async () => true : undefined,
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
      const plan = await dryRunUpload(request, hooks);
      const folders = new Set(plan.files.map((f) => f.path.split('/').slice(0, -1).join('/')).filter(Boolean));
      io.stdout.write(`Dry run: nothing was written.\n  server:       ${plan.server}\n  batch folder: ${plan.batchFolder}\n`
        + `  files:        ${plan.files.length.toLocaleString('en-US')} (input.csv + ${plan.files.length - 1} images${folders.size ? ` in ${folders.size} sub-folders` : ''}), ${(plan.bytes / MB).toFixed(1)} MB\n`
        + `  then:         verify every size, write DONE\n`);
      return 0;
    }
    const r = await runUpload(request, hooks);
    if (tty) io.stderr.write('\r\x1b[K');
    const result = { batchId: r.batchId, remotePath: r.remotePath, files: r.files, bytes: r.bytes, seconds: Number(r.seconds.toFixed(3)), receipt: r.receiptPath };
    if (values.json) io.stdout.write(`${JSON.stringify(result)}\n`);
    else io.stdout.write(`Uploaded batch ${r.batchId}: ${r.files.toLocaleString('en-US')} files, ${(r.bytes / MB).toFixed(1)} MB in ${r.seconds.toFixed(1)} s${r.skipped ? ` (${r.skipped} already there)` : ''}${r.retries ? ` after ${r.retries} reconnect(s)` : ''}; DONE written to ${r.remotePath}/DONE.\nReceipt: ${r.receiptPath}\n`);
    return 0;
  } catch (e) {
    if (tty) io.stderr.write('\r\x1b[K');
    if (e instanceof LintFailedError) {
      const errors = { ...e.lint, problems: e.lint.problems.filter((p) => p.severity === 'error'), counts: { ...e.lint.counts, warnings: 0, infos: 0 } };
      io.stderr.write(formatText([errors], false));
      io.stderr.write(`jumio-batch: ${e.lint.csvPath} has ${e.lint.counts.errors} lint error(s): nothing was sent\n`);
      return 1;
    }
    if (e instanceof InputError) throw e;
    if (!(e instanceof UploadError)) throw e;
    io.stderr.write(e.reason === 'cancelled' ? 'jumio-batch: upload cancelled.\n' : `jumio-batch: upload ${exitStatus(e) === 4 ? 'refused' : 'failed'}: ${e.message}\n`);
    for (const line of advice(e, args)) io.stderr.write(`${line}\n`);
    if (e.batchId && e.reason !== 'already-sent') {
      io.stderr.write(`No DONE was written: batch ${e.batchId} is incomplete on the server. To finish it, run:\n  ${resumeCommand(args, e.batchId)}\n`);
    } else if (e.reason !== 'cancelled' && e.reason !== 'resume-not-found' && e.reason !== 'resume-done') {
      io.stderr.write('Nothing was submitted (no DONE was written).\n');
    }
    return exitStatus(e);
  }
}
