import { AbortSignalLike, SftpSession, UploadFile } from './transport';

/** A signal that the lanes raise once all work is done (core has no AbortController of its own). */
class DoneSignal implements AbortSignalLike {
  aborted = false;
  private readonly listeners = new Set<() => void>();
  addEventListener(_type: 'abort', listener: () => void): void { this.listeners.add(listener); }
  removeEventListener(_type: 'abort', listener: () => void): void { this.listeners.delete(listener); }
  raise(): void {
    if (this.aborted) return;
    this.aborted = true;
    for (const l of [...this.listeners]) l();
  }
}

/** What the lanes need from the upload they serve (the engine's state stays the engine's). */
export interface LaneHost {
  /** Connections to send over (the first is given; the others are opened here). */
  connections: number;
  /** Files in flight per connection. */
  perConnection: number;
  /** A fresh connection: an extra one at the start, or one replacing a lost one (`again`). */
  connect(again: boolean): Promise<SftpSession>;
  /** Sends one file over a session; rejects with a failure the host can judge. */
  send(session: SftpSession, file: UploadFile): Promise<void>;
  /** Whether a failure is the connection's (worth a fresh one), not the batch's. */
  lost(e: unknown): boolean;
  /**
   * One more fresh connection after `e`: waits out the back-off, cut short (false) when `idle`
   * is raised; false when none is left.
   */
  retry(e: unknown, idle: AbortSignalLike): Promise<boolean>;
  /** True once the upload is cancelled or failed for good: start nothing more. */
  stopped(): boolean;
  /** Closes a session that is no longer used. */
  close(session: SftpSession): Promise<void>;
}

/**
 * Sends `todo` over several connections sharing one queue. A connection that dies gives the
 * files it had in flight back to the queue, and is replaced by a fresh one (after the host's
 * back-off) while the others go on. A failure that is not the connection's stops every lane.
 * Resolves with the sessions still open once the queue is empty and nothing is in flight;
 * rejects with the first failure that is not a lost connection, or with the last loss when no
 * connection is left and files remain.
 */
/** A connection opened ahead (at the start of the round, beside the first): a session, or why not. */
export type EarlySession = Promise<SftpSession | { error: unknown }>;

export async function sendOnLanes(host: LaneHost, first: SftpSession, todo: readonly UploadFile[], early: EarlySession[] = []): Promise<SftpSession[]> {
  const queue = [...todo].reverse(); // popped from the end: files go in plan order
  let fatal: { error: unknown } | undefined;
  let lastLoss: { error: unknown } | undefined;
  const open: SftpSession[] = [];
  // Files in flight on any lane: a lane with an empty queue waits while others may still give
  // files back, instead of leaving them to a lane that may have no fresh connection left.
  let busy = 0;
  let waiting: (() => void)[] = [];
  const wake = (): void => {
    const w = waiting;
    waiting = [];
    for (const f of w) f();
    if (done()) finished();
  };
  const changed = (): Promise<void> => new Promise((resolve) => { waiting.push(resolve); });
  const done = (): boolean => fatal !== undefined || host.stopped() || (queue.length === 0 && busy === 0);
  // A lane waiting out a back-off must not hold up an upload the other lanes finished.
  const idle = new DoneSignal();
  const finished = (): void => idle.raise();
  const retryUnlessDone = async (e: unknown): Promise<boolean> => !done() && host.retry(e, idle);

  const lane = async (initial: SftpSession | undefined, ahead?: EarlySession): Promise<void> => {
    let session = initial;
    let again = false;
    let pending = ahead;
    while (!done()) {
      if (!session && pending) {
        const got = await pending;
        pending = undefined;
        if ('error' in got) {
          if (!host.lost(got.error)) { fatal ??= { error: got.error }; wake(); return; }
          lastLoss = { error: got.error };
          again = true;
          if (!(await retryUnlessDone(got.error))) return;
          continue;
        }
        session = got;
        continue;
      }
      if (!session) {
        if (queue.length === 0) { await changed(); continue; } // nothing for a new connection to do yet
        try {
          session = await host.connect(again);
        } catch (e) {
          if (!host.lost(e)) { fatal ??= { error: e }; wake(); return; }
          lastLoss = { error: e };
          again = true;
          if (!(await retryUnlessDone(e))) return;
          continue;
        }
      }
      const s = session;
      const inFlight = new Set<UploadFile>();
      let loss: { error: unknown } | undefined;
      const worker = async (): Promise<void> => {
        while (!loss && !done()) {
          if (queue.length === 0) { await changed(); continue; }
          const file = queue.pop() as UploadFile;
          inFlight.add(file);
          busy++;
          try {
            await host.send(s, file);
            inFlight.delete(file);
          } catch (e) {
            if (host.lost(e)) loss ??= { error: e };
            else fatal ??= { error: e };
          } finally {
            busy--;
            wake();
          }
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, host.perConnection) }, worker));
      if (!loss) continue; // nothing left: the loop ends with this session still open
      // Everything this connection had in flight goes again, whole, on another one.
      for (const f of inFlight) queue.push(f);
      wake();
      await host.close(s);
      session = undefined;
      lastLoss = loss;
      again = true;
      if (fatal || host.stopped() || !(await retryUnlessDone(loss.error))) return;
    }
    if (pending) {
      // Done before this lane's early connection arrived: close it when it does.
      const got = await pending;
      if (!('error' in got)) await host.close(got);
    }
    if (session) open.push(session);
  };

  const lanes = Math.max(1, Math.min(host.connections, todo.length));
  // Connections opened ahead that no lane needs (fewer files than connections) are closed.
  for (const extra of early.slice(lanes - 1)) void extra.then((got) => ('error' in got ? undefined : host.close(got)));
  await Promise.all([lane(first), ...Array.from({ length: lanes - 1 }, (_, i) => lane(undefined, early[i]))]);
  if (fatal || host.stopped() || queue.length > 0) {
    for (const s of open) await host.close(s);
    if (fatal) throw fatal.error;
    if (queue.length > 0 && lastLoss) throw lastLoss.error;
    return [];
  }
  return open;
}
