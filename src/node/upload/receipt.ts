// The receipt of an upload: a JSON file beside the batch (never uploaded) that says what went where,
// to which server key, and the SHA-256 of every file as it was sent. A resume compares the local
// files with it, and a second upload of the same input.csv is refused because of it.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { SentFile, isBatchId } from '../../core';

/** The folder in a batch folder that holds receipts and the upload lock; lint, split and upload ignore it. */
export const STATE_FOLDER = '.jumio-batch';

export interface Receipt {
  tool: { name: string; version: string };
  batchId: string;
  remotePath: string;
  host: string;
  port: number;
  user: string;
  /** The server's host key, `SHA256:…`, as `ssh-keygen -l` prints it. */
  hostKey: string;
  startedAt: string;
  /** When DONE was written; absent while the batch is incomplete. */
  finishedAt?: string;
  status: 'sent' | 'incomplete';
  /** Every file of the batch that reached the server whole, hashed from the bytes as they were sent. */
  files: SentFile[];
}

/** `<batch folder>/.jumio-batch/<batch id>.json`. */
export function defaultReceiptPath(folder: string, batchId: string): string {
  return path.join(folder, STATE_FOLDER, `${batchId}.json`);
}

/** Writes the receipt whole or not at all (a temporary file renamed over it). */
export async function writeReceipt(file: string, receipt: Receipt): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, `${JSON.stringify(receipt, null, 2)}\n`, { mode: 0o600 });
  await fs.rename(tmp, file);
}

function isReceipt(x: unknown): x is Receipt {
  const r = x as Receipt;
  return !!r && typeof r === 'object' && isBatchId(r.batchId) && Array.isArray(r.files) && (r.status === 'sent' || r.status === 'incomplete')
    && r.files.every((f) => f && typeof f.path === 'string' && typeof f.bytes === 'number');
}

/** The receipt at `file`, or undefined when there is none or it is not one. */
export async function readReceipt(file: string): Promise<Receipt | undefined> {
  try {
    const parsed: unknown = JSON.parse(await fs.readFile(file, 'utf8'));
    return isReceipt(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Every receipt kept in the batch folder, newest first. */
export async function folderReceipts(folder: string): Promise<Receipt[]> {
  const dir = path.join(folder, STATE_FOLDER);
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const receipts = await Promise.all(names.filter((n) => isBatchId(n.replace(/\.json$/, '')) && n.endsWith('.json')).map((n) => readReceipt(path.join(dir, n))));
  return receipts.filter((r): r is Receipt => r !== undefined).sort((a, b) => (a.startedAt < b.startedAt ? 1 : -1));
}
