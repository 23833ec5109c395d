// The upload service both front ends call: lint → plan → lock → connect (host-key question,
// passphrase) → send → verify → DONE → receipt. Hooks are passed per run; failures are typed
// (`UploadError.reason`) and each front end words its own advice from them.
import { createHash, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import {
  DONE_FILE, LintOptions, joinRemote, SentFile, TransportError, UploadError, UploadFile, UploadProgress, UploadResult, isBatchId, transportFailure, uploadBatch,
} from '../../core';
import { BatchLint, lintBatchPath } from '../batch/lintPath';
import { resolveBatchTarget } from '../batch/target';
import { Ssh2SftpTransport } from '../ssh/sftpTransport';
import { ConnectionHooks, ConnectionRequest, HandshakeFacts, HostKeyFacts, connectionFor } from './connection';
import { FileIdentity, openChecked, snapshotFiles } from './localFiles';
import { Hasher } from './hasher';
import { lockFolder } from './lock';
import { Receipt, defaultReceiptPath, folderReceipts, readReceipt, writeReceipt } from './receipt';

/** Measured with `npm run bench:upload`: see the README's upload benchmark. */
export const DEFAULT_CONCURRENCY = 64;
/**
 * Connections per upload, from `npm run bench:upload`'s sweep at 100 ms (120 images of ~3 MB:
 * 1: 20.9 s, 2: 12.0 s, 4: 8.1 s, 8: 6.0 s); within OpenSSH's default MaxStartups (10).
 */
export const DEFAULT_CONNECTIONS = 8;
export const MAX_CONNECTIONS = 8;
export const DEFAULT_RETRIES = 4;
const TOOL = { name: 'jumio-batch', version: process.env.JUMIO_BATCH_VERSION ?? '0.0.0-dev' };

export interface UploadRequest extends ConnectionRequest {
  /** The batch folder, or its input.csv. */
  folder: string;
  remoteDir?: string;
  /** Files in flight, over all connections. */
  concurrency?: number;
  /** Connections sharing the files (at most MAX_CONNECTIONS). */
  connections?: number;
  /** Finish this incomplete batch instead of making a new one. */
  resume?: string;
  /** Send a folder again although a receipt says this input.csv was sent (a new batch: Jumio processes the rows again). */
  again?: boolean;
  /** Where the receipt goes; default `<folder>/.jumio-batch/<batch id>.json`. */
  receiptPath?: string;
  retries?: number;
  /** Back-off before the n-th retry, ms (default 1 s, 2 s, 4 s … at most 15 s). */
  backoffMs?: (attempt: number) => number;
  lintOptions?: Partial<LintOptions>;
}

/** What a run may ask and tell its caller, given per run. */
export interface UploadHooks extends ConnectionHooks {
  /** The plan, before any connection: false stops the run (nothing sent, reason 'cancelled'). */
  confirmPlan?: (plan: UploadPlan) => Promise<boolean>;
  onProgress?: (p: UploadProgress) => void;
  signal?: AbortSignal;
}

/** What would be sent, and where. */
export interface UploadPlan {
  lint: BatchLint;
  files: UploadFile[];
  bytes: number;
  remoteDir: string;
  /** SHA-256 of input.csv as linted: what "already sent" compares. */
  csvSha256: string;
  identities: FileIdentity[];
}

/** The batch has lint errors: nothing was sent. */
export class LintFailedError extends UploadError {
  constructor(readonly lint: BatchLint) {
    super('lint', `the batch has ${lint.counts.errors} lint error(s): nothing was sent`);
  }
}

/** A refused host key, with the facts each front end words its advice from. */
export class HostKeyError extends UploadError {
  constructor(reason: UploadError['reason'], message: string, readonly facts: HostKeyFacts | undefined) {
    super(reason, message);
  }
}

export interface UploadOutcome extends UploadResult {
  plan: UploadPlan;
  receiptPath: string;
  server: string;
  hostKey: string;
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Lint, then the plan: input.csv and the images its rows reference, each as the lint saw it. */
export async function planUpload(req: Pick<UploadRequest, 'folder' | 'remoteDir' | 'lintOptions'>): Promise<UploadPlan> {
  const target = await resolveBatchTarget(req.folder);
  const lint = await lintBatchPath(target.folder, req.lintOptions);
  if (lint.problems.some((p) => p.severity === 'error')) throw new LintFailedError(lint);
  const files = [{ path: 'input.csv', size: lint.csvBytes }, ...lint.images];
  const identities = snapshotFiles(lint.folder, files);
  const csvSha256 = sha256(await fs.readFile(lint.csvPath));
  return { lint, files, bytes: files.reduce((n, f) => n + f.size, 0), remoteDir: req.remoteDir ?? '.', csvSha256, identities };
}

/** Hex SHA-256 of a local file (a resume compares it with the receipt). */
async function fileSha256(folder: string, rel: string): Promise<string | undefined> {
  return fs.readFile(`${folder}/${rel}`).then(sha256, () => undefined);
}

/**
 * What a resume must send again although the server holds it at the right size: every file
 * whose local bytes differ from the first attempt's receipt, and every file the receipt does not
 * vouch for. Without a receipt nothing on the server is vouched for: everything goes again.
 */
async function filesToReplace(plan: UploadPlan, receipt: Receipt | undefined): Promise<Set<string>> {
  const sent = new Map((receipt?.files ?? []).map((f) => [f.path, f]));
  const replace = new Set<string>();
  for (const f of plan.files) {
    const before = sent.get(f.path);
    if (!before?.sha256 || before.bytes !== f.size || (await fileSha256(plan.lint.folder, f.path)) !== before.sha256) replace.add(f.path);
  }
  return replace;
}

async function refuseIfSent(plan: UploadPlan): Promise<void> {
  const earlier = (await folderReceipts(plan.lint.folder)).find((r) => r.status === 'sent' && r.files.some((f) => f.path === 'input.csv' && f.sha256 === plan.csvSha256));
  if (earlier) {
    throw new UploadError('already-sent', `this input.csv was already sent as batch ${earlier.batchId} (${earlier.finishedAt ?? earlier.startedAt}); sending it again makes Jumio process the same rows a second time`, { batchId: earlier.batchId });
  }
}

function sleep(ms: number, signal?: { aborted: boolean; addEventListener(t: 'abort', l: () => void, o?: { once?: boolean }): void }): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) { reject(new Error('aborted')); return; }
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(t); reject(new Error('aborted')); }, { once: true });
  });
}

/** Turns what the transport and the handshake said into the failure the front ends act on. */
function typed(e: unknown, facts: HandshakeFacts): unknown {
  const failure = e instanceof TransportError ? transportFailure(e) : e;
  if (failure instanceof UploadError && failure.reason.startsWith('host-key-')) {
    return new HostKeyError(failure.reason, failure.message, facts.refused);
  }
  return failure;
}

/**
 * One upload, start to end. Throws `UploadError` with a typed reason (a `LintFailedError` with the
 * lint, a `HostKeyError` with the key's facts); once the remote folder may exist it carries the
 * batch id to resume, and a receipt of what arrived is written.
 */
export async function runUpload(req: UploadRequest, hooks: UploadHooks = {}): Promise<UploadOutcome> {
  if (req.resume !== undefined && !isBatchId(req.resume)) throw new UploadError('resume-not-found', `"${req.resume}" is not a batch id (a lower-case UUID v4)`);
  const plan = await planUpload(req);
  const folder = plan.lint.folder;
  const lock = await lockFolder(folder);
  try {
    const previous = req.resume ? await readReceipt(req.receiptPath ?? defaultReceiptPath(folder, req.resume)) : undefined;
    if (!req.resume && !req.again) await refuseIfSent(plan);
    const resend = req.resume ? await filesToReplace(plan, previous) : undefined;
    if (hooks.confirmPlan && !(await hooks.confirmPlan(plan))) throw new UploadError('cancelled', 'the upload was not confirmed: nothing was sent');
    const facts: HandshakeFacts = {};
    const connect = await connectionFor(req, hooks, facts).catch((e) => { throw typed(e, facts); });
    const startedAt = previous?.startedAt ?? new Date().toISOString();
    let batchId = req.resume;
    const receipt = (status: Receipt['status'], sent: SentFile[]): Receipt => {
      const kept = new Map((previous?.files ?? []).map((f) => [f.path, f]));
      for (const f of sent) kept.set(f.path, f);
      const files = plan.files.map((f) => kept.get(f.path)).filter((f): f is SentFile => f !== undefined && (!resend?.has(f.path) || sent.some((s) => s.path === f.path)));
      return {
        tool: TOOL, batchId: batchId as string, remotePath: joinRemote(plan.remoteDir, batchId as string), host: connect.host, port: connect.port, user: connect.username,
        hostKey: facts.hostKey ?? '', startedAt, status, files, ...(status === 'sent' ? { finishedAt: new Date().toISOString() } : {}),
      };
    };
    const sentSoFar: SentFile[] = [];
    const hasher = new Hasher();
    const position = new Map(plan.files.map((f, i) => [f, i]));
    const receiptPath = (): string => req.receiptPath ?? defaultReceiptPath(folder, batchId as string);
    let result: UploadResult;
    try {
      result = await uploadBatch(plan.files, new Ssh2SftpTransport(connect), {
        remoteDir: plan.remoteDir,
        resumeBatchId: req.resume,
        newBatchId: () => (batchId = randomUUID()),
        open: async (f) => {
          const i = position.get(f) as number;
          return openChecked(folder, plan.files, i, plan.identities[i], hasher);
        },
        onSent: (f) => sentSoFar.push(f),
        resend,
        concurrency: Math.max(1, req.concurrency ?? DEFAULT_CONCURRENCY),
        connections: Math.min(MAX_CONNECTIONS, Math.max(1, req.connections ?? DEFAULT_CONNECTIONS)),
        retries: req.retries ?? DEFAULT_RETRIES,
        backoffMs: req.backoffMs ?? ((n) => Math.min(15_000, 1000 * 2 ** (n - 1))),
        sleep,
        now: () => performance.now(),
        signal: hooks.signal,
        onProgress: hooks.onProgress,
        log: hooks.log,
      });
    } catch (e) {
      await hasher.close();
      const failure = typed(e, facts);
      if (failure instanceof UploadError && failure.batchId && batchId) {
        // What did arrive, hashed as sent: the resume compares the local files with it.
        await writeReceipt(receiptPath(), receipt('incomplete', sentSoFar)).catch((w) => hooks.log?.(`the receipt could not be written (${(w as NodeJS.ErrnoException).code ?? 'error'})`));
      }
      throw failure;
    }
    await hasher.close();
    const path = receiptPath();
    await writeReceipt(path, receipt('sent', result.sent)).catch((w) => hooks.log?.(`the receipt could not be written (${(w as NodeJS.ErrnoException).code ?? 'error'})`));
    return { ...result, plan, receiptPath: path, server: `${connect.host}:${connect.port}`, hostKey: facts.hostKey ?? '' };
  } finally {
    await lock.release();
  }
}

/** `--dry-run`: lints, connects, checks the remote folder, writes nothing. */
export async function dryRunUpload(req: UploadRequest, hooks: UploadHooks = {}): Promise<UploadPlan & { server: string; batchFolder: string }> {
  const plan = await planUpload(req);
  const facts: HandshakeFacts = {};
  const connect = await connectionFor(req, hooks, facts).catch((e) => { throw typed(e, facts); });
  const session = await new Ssh2SftpTransport(connect).connect(hooks.signal).catch((e) => { throw typed(e, facts); });
  try {
    const where = plan.remoteDir === '' ? '.' : plan.remoteDir;
    if ((await session.exists(where)) !== 'directory') throw new UploadError('other', `the remote folder ${where} does not exist`);
    if (req.resume !== undefined) {
      if (!isBatchId(req.resume)) throw new UploadError('resume-not-found', `"${req.resume}" is not a batch id (a lower-case UUID v4)`);
      const batch = joinRemote(where, req.resume);
      if ((await session.exists(batch)) !== 'directory') throw new UploadError('resume-not-found', `there is no batch folder ${batch} to resume`);
      if (await session.exists(joinRemote(batch, DONE_FILE))) throw new UploadError('resume-done', `${batch} already holds DONE: nothing may be added`);
    }
    return { ...plan, server: `${connect.host}:${connect.port}`, batchFolder: joinRemote(where, req.resume ?? '<new UUID v4>') };
  } finally {
    await session.close();
  }
}
