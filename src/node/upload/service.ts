import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { utils } from 'ssh2';
import {
  BATCH_ID, DONE_FILE, LintOptions, TransportError, UploadFile, UploadProgress, UploadResult, uploadBatch,
} from '../../core';
import { checkHostKey } from '../ssh/hostKeys';
import { BatchLint, lintBatchPath } from '../batch/lintPath';
import { SftpConnectOptions, Ssh2SftpTransport } from '../ssh/sftpTransport';
import { resolveSshHost } from '../ssh/sshConfig';

/** Measured with `npm run bench:upload`: see the README's upload benchmark. */
export const DEFAULT_CONCURRENCY = 32;
export const DEFAULT_RETRIES = 4;

export interface UploadRequest {
  folder: string;
  host: string;
  port?: number;
  user?: string;
  identity?: string;
  sshConfigPath?: string;
  knownHostsPath?: string;
  hostKeyFingerprint?: string;
  acceptNewHostKey?: boolean;
  remoteDir?: string;
  concurrency?: number;
  resume?: string;
  retries?: number;
  /** Back-off before the n-th retry, ms (default 1 s, 2 s, 4 s … at most 15 s). */
  backoffMs?: (attempt: number) => number;
  /** SSH_AUTH_SOCK (the agent) and JUMIO_SFTP_PASSPHRASE are read from here. */
  env: NodeJS.ProcessEnv;
  /** Asks for a key's passphrase (a TTY prompt, or the editor's SecretStorage); undefined: none. */
  askPassphrase?: (keyFile: string) => Promise<string | undefined>;
  signal?: AbortSignal;
  onProgress?: (p: UploadProgress) => void;
  log?: (line: string) => void;
  lintOptions?: Partial<LintOptions>;
  /** A plan from `lintForUpload` already shown to the user: the batch is not linted again. */
  plan?: UploadPlan;
}

/** The batch has lint errors: nothing was sent. */
export class LintFailedError extends Error {
  constructor(readonly lint: BatchLint) {
    super(`${lint.csvPath} has ${lint.counts.errors} lint error(s): nothing was sent`);
  }
}

/** What would be sent, and where. */
export interface UploadPlan {
  lint: BatchLint;
  files: UploadFile[];
  bytes: number;
  server: string;
  remoteDir: string;
}

function plan(lint: BatchLint, server: string, remoteDir: string): UploadPlan {
  const files = [{ path: 'input.csv', size: lint.csvBytes }, ...lint.images];
  return { lint, files, bytes: files.reduce((n, f) => n + f.size, 0), server, remoteDir };
}

const DEFAULT_KEYS = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

/** Builds the connection: ~/.ssh/config, key and passphrase, agent, host-key policy. */
async function connectOptions(req: UploadRequest): Promise<SftpConnectOptions> {
  const resolved = resolveSshHost(req.host, { configPath: req.sshConfigPath, port: req.port, user: req.user, identity: req.identity });
  const agent = req.env.SSH_AUTH_SOCK || undefined;
  let keyFiles = resolved.identityFiles;
  if (keyFiles.length === 0 && !agent) keyFiles = DEFAULT_KEYS.map((k) => path.join(os.homedir(), '.ssh', k)).filter((f) => existsSync(f));
  let privateKey: Buffer | undefined;
  let passphrase: string | undefined;
  const keyFile = keyFiles.find((f) => existsSync(f)) ?? (req.identity ? req.identity : undefined);
  if (keyFile) {
    try {
      privateKey = readFileSync(keyFile);
    } catch (e) {
      throw new TransportError('auth', `cannot read the private key ${keyFile}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
    }
    if (utils.parseKey(privateKey) instanceof Error) {
      passphrase = req.env.JUMIO_SFTP_PASSPHRASE ?? (await req.askPassphrase?.(keyFile));
      if (passphrase === undefined) {
        throw new TransportError('auth', `the private key ${keyFile} is encrypted: set JUMIO_SFTP_PASSPHRASE, run on a terminal to be asked, or use the ssh-agent`);
      }
      const parsed = utils.parseKey(privateKey, passphrase);
      if (parsed instanceof Error) {
        throw new TransportError('auth', /passphrase|decrypt|bad/i.test(parsed.message)
          ? `the passphrase for ${keyFile} is wrong`
          : `${keyFile} is not a private key ssh2 can read (OpenSSH or PEM; ed25519, ECDSA or RSA)`);
      }
    }
  } else if (!agent) {
    throw new TransportError('auth', 'no private key to log in with: pass --identity KEY, set IdentityFile in ~/.ssh/config, or run an ssh-agent (SSH_AUTH_SOCK)');
  }
  const log = req.log ?? (() => undefined);
  return {
    host: resolved.hostName,
    port: resolved.port,
    username: resolved.user,
    privateKey,
    passphrase,
    agent,
    verifyHostKey: (key) => {
      try {
        const verdict = checkHostKey({
          host: resolved.hostName, port: resolved.port, key,
          knownHostsPath: req.knownHostsPath, pinnedFingerprint: req.hostKeyFingerprint, acceptNew: req.acceptNewHostKey,
        });
        if (!verdict.ok) return verdict.message;
        if (verdict.recorded) log(`recorded the host key of ${resolved.hostName}:${resolved.port} (${verdict.fingerprint})`);
        return undefined;
      } catch (e) {
        return `cannot check the host key: ${(e as Error).message}`;
      }
    },
  };
}

/** Lints the batch; throws `LintFailedError` when it has errors. */
export async function lintForUpload(req: UploadRequest): Promise<UploadPlan> {
  const lint = await lintBatchPath(req.folder, req.lintOptions);
  if (lint.counts.errors > 0) throw new LintFailedError(lint);
  return plan(lint, req.host, req.remoteDir ?? '.');
}

function sleep(ms: number, signal?: { aborted: boolean; addEventListener(t: 'abort', l: () => void, o?: { once?: boolean }): void }): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) { reject(new Error('aborted')); return; }
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(t); reject(new Error('aborted')); }, { once: true });
  });
}

/**
 * Lints, then uploads the batch: a new UUID folder (or `resume`), every referenced file verified,
 * `DONE` last. Throws `LintFailedError` (nothing sent), `TransportError` (could not connect or
 * log in) or the engine's `UploadError` (no `DONE`; it carries the batch id to resume).
 */
export async function uploadBatchFolder(req: UploadRequest): Promise<UploadResult & { plan: UploadPlan }> {
  const p = req.plan ?? await lintForUpload(req);
  const connect = await connectOptions(req);
  p.server = `${connect.host}:${connect.port}`;
  const transport = new Ssh2SftpTransport({ connect, localRoot: p.lint.folder });
  const result = await uploadBatch(p.files, transport, {
    remoteDir: p.remoteDir,
    resumeBatchId: req.resume,
    newBatchId: randomUUID,
    concurrency: Math.max(1, req.concurrency ?? DEFAULT_CONCURRENCY),
    retries: req.retries ?? DEFAULT_RETRIES,
    backoffMs: req.backoffMs ?? ((n) => Math.min(15_000, 1000 * 2 ** (n - 1))),
    sleep,
    now: () => performance.now(),
    signal: req.signal,
    onProgress: req.onProgress,
    log: req.log,
  });
  return { ...result, plan: p };
}

/** `--dry-run`: lints, connects, checks the remote folder, writes nothing. */
export async function dryRunUpload(req: UploadRequest): Promise<UploadPlan & { batchFolder: string }> {
  const p = await lintForUpload(req);
  const connect = await connectOptions(req);
  p.server = `${connect.host}:${connect.port}`;
  const session = await new Ssh2SftpTransport({ connect, localRoot: p.lint.folder }).connect();
  try {
    const where = p.remoteDir === '' ? '.' : p.remoteDir;
    if ((await session.exists(where)) !== 'directory') throw new TransportError('not-found', `the remote folder ${where} does not exist`);
    if (req.resume !== undefined) {
      if (!BATCH_ID.test(req.resume)) throw new TransportError('other', `"${req.resume}" is not a batch id (a lower-case UUID v4)`);
      const folder = `${where}/${req.resume}`;
      if ((await session.exists(folder)) !== 'directory') throw new TransportError('not-found', `there is no batch folder ${folder} to resume`);
      if (await session.exists(`${folder}/${DONE_FILE}`)) throw new TransportError('exists', `${folder} already holds DONE: nothing may be added`);
    }
    return { ...p, batchFolder: `${where}/${req.resume ?? '<new UUID v4>'}` };
  } finally {
    await session.close();
  }
}
