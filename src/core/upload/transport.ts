/**
 * What the upload engine needs from an SFTP connection. The Node adapter implements it with
 * ssh2-sftp-client; unit tests use an in-memory fake. Paths are remote, `/`-separated.
 */

/** The part of the standard AbortSignal the engine uses (core is compiled without DOM or Node types). */
export interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** A file to send: its path relative to the batch folder, and its local size in bytes. */
export interface UploadFile {
  path: string;
  size: number;
}

export interface RemoteEntry {
  name: string;
  size: number;
  isDirectory: boolean;
}

/** Why a transport operation failed, as far as the engine must know to decide what to do. */
export type TransportErrorKind =
  | 'connection' // dropped or refused connection, timeout: worth a retry on a fresh connection
  | 'auth' // the server refused our credentials
  | 'host-key' // the server's key is unknown, changed or does not match the pin
  | 'permission' // the server refused the operation
  | 'exists' // the path already exists
  | 'not-found' // the path (or its parent) does not exist
  | 'other';

export class TransportError extends Error {
  constructor(readonly kind: TransportErrorKind, message: string) {
    super(message);
    this.name = 'TransportError';
  }
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
   * Sends a whole local file, creating or truncating the remote one: never appends, never sets
   * remote times or modes. `onBytes` reports bytes as they are acknowledged.
   */
  put(file: UploadFile, remotePath: string, onBytes: (bytes: number) => void): Promise<void>;
  /** Creates an empty file (the `DONE` trigger). */
  putEmpty(remotePath: string): Promise<void>;
  /** Ends the connection; never rejects. In-flight operations then reject. */
  close(): Promise<void>;
}

export interface SftpTransport {
  /** Opens a connection; gives up promptly (rejecting) when `signal` aborts. */
  connect(signal?: AbortSignalLike): Promise<SftpSession>;
}
