/**
 * What the upload engine needs from an SFTP connection and from the local files. The Node
 * adapters implement them with ssh2 and file descriptors; unit tests use in-memory fakes. Remote
 * paths are `/`-separated.
 */
import { UploadError, UploadFailureReason } from './failure';

/** The part of the standard AbortSignal the engine uses (core is compiled without DOM or Node types). */
export interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** A file to send: its path relative to the batch folder, and its size in bytes as linted. */
export interface UploadFile {
  path: string;
  size: number;
}

/**
 * A planned file, opened once for sending. Its bytes are read in order, once, from the file that
 * was linted; reading throws `UploadError('changed-since-lint')` when the file changed under it.
 */
export interface LocalSource extends UploadFile {
  /**
   * The next bytes (at most `max`); an empty array once `size` bytes were read. They stay valid
   * only until the next `read` or `close`: the memory is reused, so a transport copies (or sends)
   * them before it reads again.
   */
  read(max: number): Promise<Uint8Array>;
  /** Lower-case hex SHA-256 of the bytes read, once all `size` were read; else undefined. */
  digest(): Promise<string | undefined>;
  close(): Promise<void>;
}

/** A file as it was sent: what a receipt records. */
export interface SentFile {
  path: string;
  bytes: number;
  sha256: string | undefined;
}

export interface RemoteEntry {
  name: string;
  size: number;
  isDirectory: boolean;
}

/** Why a transport operation failed, as far as the engine and the front ends must know. */
export type TransportErrorKind = Extract<UploadFailureReason,
  | 'connection' // dropped or refused connection, timeout: worth a retry on a fresh connection
  | 'auth' | 'auth-passphrase' | 'auth-key'
  | 'host-key-unknown' | 'host-key-changed' | 'host-key-pin'
  | 'permission' // the server refused the operation
  | 'other'>
  | 'exists' // the path already exists
  | 'not-found'; // the path (or its parent) does not exist

export class TransportError extends Error {
  constructor(readonly kind: TransportErrorKind, message: string) {
    super(message);
    this.name = 'TransportError';
  }
}

/** The failure a transport error becomes when it ends an upload. */
export function transportFailure(e: TransportError, extra: UploadError['extra'] = {}): UploadError {
  const reason: UploadFailureReason = e.kind === 'exists' || e.kind === 'not-found' ? 'other' : e.kind;
  return new UploadError(reason, e.message, extra);
}

/** One open connection. */
export interface SftpSession {
  /** Creates one folder; rejects with kind 'exists' when it is there already. */
  mkdir(path: string): Promise<void>;
  /** What is at the path, without following anything. */
  exists(path: string): Promise<false | 'file' | 'directory'>;
  /** A folder's entries. */
  list(path: string): Promise<RemoteEntry[]>;
  /**
   * Sends a whole local file from its source, creating or truncating the remote one: never
   * appends, never sets remote times or modes. `onBytes` reports bytes as they are acknowledged.
   */
  put(source: LocalSource, remotePath: string, onBytes: (bytes: number) => void): Promise<void>;
  /** Creates an empty file (the `DONE` trigger). */
  putEmpty(remotePath: string): Promise<void>;
  /** Ends the connection; never rejects. In-flight operations then reject. */
  close(): Promise<void>;
}

export interface SftpTransport {
  /** Opens a connection; gives up promptly (rejecting) when `signal` aborts. */
  connect(signal?: AbortSignalLike): Promise<SftpSession>;
}
