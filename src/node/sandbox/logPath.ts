import { DONE_FILE, isBatchId } from '../../core';

/**
 * A client's path as the sandbox's log shows it: batch ids and DONE as they are, every other name
 * as `…` (`/096c7aef-…-6f1a2b3c4d5e/…`). Image and folder names can hold a customer's name or
 * reference, and a log is pasted into tickets: it holds ids, codes and counts only. The client
 * itself still gets its own path back in the SFTP answer.
 */
export function logPath(vpath: string): string {
  return vpath.split('/').map((seg) => (seg === '' || isBatchId(seg) || seg === DONE_FILE ? seg : '…')).join('/');
}
