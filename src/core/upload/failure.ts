/**
 * Why an upload did not end with DONE, as a closed set: each front end words its own advice from
 * the reason (a CLI flag, an editor setting), and decides by it (ask about a host key, forget a
 * passphrase), never by message text. Messages carry no file names and no cell values; the file
 * the user must fix, when there is one, is in `UploadError.file` for the front end to show.
 */
export type UploadFailureReason =
  | 'lint' // the batch has lint errors: nothing was sent
  | 'reserved-name' // a planned file would be sent under the name DONE (or a second input.csv)
  | 'locked' // another upload of this folder is running (this machine, any process)
  | 'already-sent' // a receipt says this input.csv was sent already
  | 'changed-since-lint' // a file changed, moved or became a link after the lint
  | 'local-read' // a local file could not be read
  | 'host-key-unknown' // the server's key is not known (and was not trusted)
  | 'host-key-changed' // the server's key differs from the recorded one, or is revoked
  | 'host-key-pin' // the server's key is not the pinned fingerprint
  | 'auth' // the server refused the login
  | 'auth-passphrase' // the key's passphrase is missing or wrong
  | 'auth-key' // no usable private key
  | 'connection' // could not connect, or the connection was lost for good
  | 'permission' // the server refused an operation
  | 'remote-exists' // the new batch folder already exists on the server
  | 'resume-not-found' // the batch folder to resume is not on the server
  | 'resume-done' // the batch folder to resume already holds DONE
  | 'remote-unexpected' // the batch folder holds files that are not in the plan: DONE refused
  | 'verify' // files did not arrive whole
  | 'cancelled' // the user cancelled
  | 'other';

/** Reasons that a fresh connection may cure: the engine retries them with back-off. */
export const RETRYABLE_REASONS: ReadonlySet<UploadFailureReason> = new Set(['connection', 'verify']);

/** Host-key reasons: the editor may ask the user about an unknown key, never about the others. */
export function isHostKeyReason(r: UploadFailureReason): boolean {
  return r === 'host-key-unknown' || r === 'host-key-changed' || r === 'host-key-pin';
}

/**
 * The batch could not be completed: no `DONE` was written. `batchId` is set once the remote
 * folder may exist, so the caller can tell the user how to resume.
 */
export class UploadError extends Error {
  constructor(
    readonly reason: UploadFailureReason,
    message: string,
    readonly extra: { batchId?: string; remotePath?: string; file?: string } = {},
  ) {
    super(message);
    this.name = 'UploadError';
  }

  get batchId(): string | undefined { return this.extra.batchId; }
  get remotePath(): string | undefined { return this.extra.remotePath; }
  /** The batch-relative path of the file the user must look at, for the front end's words only. */
  get file(): string | undefined { return this.extra.file; }

  /** The same failure, now naming the batch it belongs to. */
  forBatch(batchId: string | undefined, remotePath: string | undefined): UploadError {
    return new UploadError(this.reason, this.message, { ...this.extra, batchId, remotePath });
  }
}
