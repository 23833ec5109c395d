import { Stats, constants, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Attributes, FileEntry, SFTPWrapper, utils } from 'ssh2';
import { isInside } from '../batch/folder';
import { logPath } from './logPath';

const { OPEN_MODE, STATUS_CODE } = utils.sftp;

/** Longest READ answer: ssh2 peers that are not OpenSSH cap a packet at 34,000 bytes. */
const MAX_READ = 32 * 1024;
/** Directory entries per READDIR answer, to stay under that packet size with long names. */
const NAMES_PER_READDIR = 100;
// Windows has no O_NOFOLLOW; there the realpath check alone keeps clients inside the root.
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;

/** What the SFTP layer asks of the batch intake (see `BatchIntake`). */
export interface IntakeHooks {
  refusal(vpath: string): string | undefined;
  nameRefusal(vpath: string): string | undefined;
  folderCreated(vpath: string): void;
  fileLanded(vpath: string): void;
}

export interface SftpSessionOptions {
  /** The home folder on disk, as a real path (no links in it). */
  root: string;
  /** The login name, shown as owner in directory listings. */
  user: string;
  intake: IntakeHooks;
  log: (line: string) => void;
  /** Registers in-flight work, so closing the sandbox can wait for it. */
  track: (work: Promise<unknown>) => void;
}

/** A request the server turns down on purpose: answered with `status` and a message for the user. */
class Refusal extends Error {
  /** `logLine`: the message as the log shows it, without file names; only denials are logged. */
  constructor(readonly status: number, message: string, readonly logLine = message) {
    super(message);
  }
}

/** Refuses a request on `vpath`; `reason` must name no file (ids and counts only): it is logged. */
function denied(vpath: string, reason: string): Refusal {
  return new Refusal(STATUS_CODE.PERMISSION_DENIED, `permission denied: ${vpath}: ${reason}`, `permission denied: ${logPath(vpath)}: ${reason}`);
}

/**
 * The client's path made absolute from the home folder `/`, without `.` and `..`. A `..` above
 * `/` is refused, not clamped: a client that tries it has a bug worth seeing. Backslashes are
 * refused because Windows would read them as separators.
 */
export function virtualPath(p: string): string {
  if (p.includes('\0') || p.includes('\\')) throw denied(JSON.stringify(p), 'not a usable path');
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg !== '..') out.push(seg);
    else if (out.pop() === undefined) throw denied(p, 'outside the home folder');
  }
  return '/' + out.join('/');
}

function isMissing(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** The real path of `p`, or of its nearest existing ancestor with the rest appended. */
async function realExisting(p: string): Promise<string> {
  try {
    return await fs.realpath(p);
  } catch (e) {
    const parent = path.dirname(p);
    if (!isMissing(e) || parent === p) throw e;
    return path.join(await realExisting(parent), path.basename(p));
  }
}

function toAttrs(st: Stats): Attributes {
  return { mode: st.mode, uid: st.uid, gid: st.gid, size: st.size, atime: Math.floor(st.atimeMs / 1000), mtime: Math.floor(st.mtimeMs / 1000) };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `ls -l` style, which clients parse for the type and rights (ssh2-sftp-client reads its first 10 characters). */
function longname(name: string, st: Stats, user: string): string {
  const type = st.isDirectory() ? 'd' : st.isSymbolicLink() ? 'l' : '-';
  const rights = [0o400, 0o200, 0o100, 0o40, 0o20, 0o10, 0o4, 0o2, 0o1].map((bit, i) => (st.mode & bit ? 'rwx'[i % 3] : '-')).join('');
  const d = new Date(st.mtimeMs);
  const when = `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ${d.toISOString().slice(11, 16)}`;
  return `${type}${rights} 1 ${user} ${user} ${String(st.size).padStart(9)} ${when} ${name}`;
}

interface OpenFile {
  kind: 'file';
  vpath: string;
  fh: fs.FileHandle;
  writable: boolean;
  /** Bytes the file held when this handle opened it for writing without truncating it (see WRITE). */
  oldBytes: number;
  /** READs and WRITEs still running: CLOSE waits for them before the file counts as landed. */
  pending: Set<Promise<unknown>>;
}

interface OpenDir {
  kind: 'dir';
  entries: FileEntry[];
}

/** What every refusal of a partial upload ends with: what the user has to change. */
const WHOLE_FILES = 'the intake takes whole files only: turn transfer resume off in the client and upload the whole file again';

/**
 * Serves one SFTP subsystem over the home folder `root`. Requests run concurrently (an uploader
 * keeps many files in flight) and are answered as they finish; SFTP matches answers to requests
 * by id. Client-sent modes and times are ignored, never stored: Jumio asks uploaders to disable
 * timestamp preservation, and the sandbox must not reward it. Likewise Jumio takes whole files
 * only (resume transfer disabled): appending, and writing into bytes an earlier upload left, are
 * refused.
 */
export function serveSftp(sftp: SFTPWrapper, opts: SftpSessionOptions): void {
  const handles = new Map<number, OpenFile | OpenDir>();
  /** This session's requests still running. */
  const running = new Set<Promise<void>>();
  let nextHandle = 0;

  const local = async (vpath: string): Promise<string> => {
    const p = path.join(opts.root, vpath);
    // The server makes no links, but one planted under the root by hand must not lead out of it.
    if (!isInside(opts.root, await realExisting(p))) throw denied(vpath, 'outside the home folder');
    return p;
  };

  const mayChange = (vpath: string): void => {
    const reason = opts.intake.refusal(vpath);
    if (reason) throw denied(vpath, reason);
  };

  /** For MKDIR and a RENAME's target: a new name must be one the intake reads as meant. */
  const mayName = (vpath: string): void => {
    mayChange(vpath);
    const reason = opts.intake.nameRefusal(vpath);
    if (reason) throw denied(vpath, reason);
  };

  const newHandle = (h: OpenFile | OpenDir): Buffer => {
    const id = nextHandle++;
    handles.set(id, h);
    const b = Buffer.alloc(4);
    b.writeUInt32BE(id);
    return b;
  };

  const handleId = (handle: Buffer): number => (handle.length === 4 ? handle.readUInt32BE(0) : -1);
  const opened = (handle: Buffer): OpenFile | OpenDir | undefined => handles.get(handleId(handle));

  const fail = (reqid: number, e: unknown, what: string): void => {
    if (e instanceof Refusal) {
      if (e.status === STATUS_CODE.PERMISSION_DENIED) opts.log(e.logLine);
      return sftp.status(reqid, e.status, e.message);
    }
    // Node's messages name local paths; the client gets the path it sent instead.
    const code = (e as NodeJS.ErrnoException).code;
    if (isMissing(e)) return sftp.status(reqid, STATUS_CODE.NO_SUCH_FILE, `${what}: no such file or folder`);
    if (code === 'EEXIST') return sftp.status(reqid, STATUS_CODE.FAILURE, `${what}: already exists`);
    if (code === 'EACCES' || code === 'EPERM') return sftp.status(reqid, STATUS_CODE.PERMISSION_DENIED, `${what}: permission denied`);
    if (code === 'ENOTEMPTY') return sftp.status(reqid, STATUS_CODE.FAILURE, `${what}: folder not empty`);
    if (code === 'EISDIR') return sftp.status(reqid, STATUS_CODE.FAILURE, `${what}: is a folder`);
    if (code === 'ELOOP') return sftp.status(reqid, STATUS_CODE.PERMISSION_DENIED, `${what}: is a link`);
    // Node's message names the local file: the log gets the error code only.
    opts.log(`an SFTP request on ${logPath(what)} failed (${code ?? (e as Error)?.name ?? 'error'})`);
    sftp.status(reqid, STATUS_CODE.FAILURE, `${what}: failed`);
  };

  /** Runs one request; every outcome becomes exactly one answer. */
  const run = (reqid: number, what: string, work: () => Promise<void>, on?: OpenFile): void => {
    const done = work().catch((e) => {
      try {
        fail(reqid, e, what);
      } catch {
        // the channel is gone: nobody to answer
      }
    });
    opts.track(done);
    running.add(done);
    void done.then(() => running.delete(done));
    if (on) {
      on.pending.add(done);
      void done.then(() => on.pending.delete(done));
    }
  };

  /** Runs a request on an open file; CLOSE waits for it. */
  const withFile = (reqid: number, handle: Buffer, work: (f: OpenFile) => Promise<void>): void => {
    const h = opened(handle);
    if (h?.kind !== 'file') return run(reqid, 'handle', () => Promise.reject(new Refusal(STATUS_CODE.FAILURE, 'no such open file')));
    run(reqid, h.vpath, () => work(h), h);
  };

  const stat = (reqid: number, p: string, follow: boolean): void => run(reqid, p, async () => {
    const st = await (follow ? fs.stat : fs.lstat)(await local(virtualPath(p)));
    sftp.attrs(reqid, toAttrs(st));
  });

  sftp.on('REALPATH', (reqid, p) => run(reqid, p, async () => {
    const v = virtualPath(p);
    sftp.name(reqid, [{ filename: v, longname: v, attrs: {} as Attributes }]);
  }));
  sftp.on('STAT', (reqid, p) => stat(reqid, p, true));
  sftp.on('LSTAT', (reqid, p) => stat(reqid, p, false));

  sftp.on('OPEN', (reqid, p, flags) => run(reqid, p, async () => {
    const vpath = virtualPath(p);
    if (flags & OPEN_MODE.APPEND) throw denied(vpath, `appending (resuming) is refused: ${WHOLE_FILES}`);
    const writing = (flags & (OPEN_MODE.WRITE | OPEN_MODE.CREAT | OPEN_MODE.TRUNC)) !== 0;
    if (writing) mayChange(vpath);
    let mode = writing ? (flags & OPEN_MODE.READ ? constants.O_RDWR : constants.O_WRONLY) : constants.O_RDONLY;
    if (flags & OPEN_MODE.CREAT) mode |= constants.O_CREAT;
    if (flags & OPEN_MODE.TRUNC) mode |= constants.O_TRUNC;
    if (flags & OPEN_MODE.EXCL) mode |= constants.O_EXCL;
    // 0o644 whatever the client asks: modes are never taken from the client.
    const fh = await fs.open(await local(vpath), mode | O_NOFOLLOW, 0o644);
    const st = await fh.stat();
    if (st.isDirectory()) {
      await fh.close();
      throw new Refusal(STATUS_CODE.FAILURE, `${vpath}: is a folder`);
    }
    // After TRUNC or on a new file this is 0.
    const oldBytes = writing ? st.size : 0;
    sftp.handle(reqid, newHandle({ kind: 'file', vpath, fh, writable: writing, oldBytes, pending: new Set() }));
  }));

  sftp.on('READ', (reqid, handle, offset, length) => withFile(reqid, handle, async (f) => {
    const buffer = Buffer.alloc(Math.min(length, MAX_READ));
    const { bytesRead } = await f.fh.read(buffer, 0, buffer.length, offset);
    if (bytesRead === 0) sftp.status(reqid, STATUS_CODE.EOF);
    else sftp.data(reqid, buffer.subarray(0, bytesRead));
  }));

  sftp.on('WRITE', (reqid, handle, offset, data) => withFile(reqid, handle, async (f) => {
    if (!f.writable) throw denied(f.vpath, 'not opened for writing');
    // Checked on every write: a file opened before DONE must not change after it.
    mayChange(f.vpath);
    // The rule for whole files: a handle writes only into a file that was empty when it opened it
    // (new, truncated by TRUNC, or empty). Offsets are free: parallel chunk writes (ssh2's
    // fastPut, our transport) land out of order. A file that still held bytes is refused on every
    // write, at offset 0 too: extending keeps the old bytes as the file's head (a resumed
    // transfer), and overwriting leaves a stale tail unless the client covers all of it, which is
    // known only at CLOSE. OPEN alone changes nothing, so it is let through.
    if (f.oldBytes > 0) {
      const how = offset >= f.oldBytes ? 'add to' : 'overwrite';
      throw denied(f.vpath, `opened without truncating, it already holds ${f.oldBytes} bytes, and this write would ${how} them: ${WHOLE_FILES}`);
    }
    await f.fh.write(data, 0, data.length, offset);
    sftp.status(reqid, STATUS_CODE.OK);
  }));

  sftp.on('FSTAT', (reqid, handle) => withFile(reqid, handle, async (f) => {
    sftp.attrs(reqid, toAttrs(await f.fh.stat()));
  }));

  sftp.on('CLOSE', (reqid, handle) => run(reqid, 'CLOSE', async () => {
    const h = opened(handle);
    if (!h) throw new Refusal(STATUS_CODE.FAILURE, 'no such handle');
    handles.delete(handleId(handle));
    if (h.kind === 'file') {
      await Promise.all(h.pending);
      await h.fh.close();
      if (h.writable) opts.intake.fileLanded(h.vpath);
    }
    sftp.status(reqid, STATUS_CODE.OK);
  }));

  sftp.on('OPENDIR', (reqid, p) => run(reqid, p, async () => {
    const vpath = virtualPath(p);
    const dir = await local(vpath);
    if (!(await fs.stat(dir)).isDirectory()) throw new Refusal(STATUS_CODE.FAILURE, `${vpath}: not a folder`);
    const names = await fs.readdir(dir);
    const entries: FileEntry[] = [];
    for (const name of names.sort()) {
      // A file removed between readdir and lstat is simply not listed.
      const st = await fs.lstat(path.join(dir, name)).catch(() => undefined);
      if (st) entries.push({ filename: name, longname: longname(name, st, opts.user), attrs: toAttrs(st) });
    }
    sftp.handle(reqid, newHandle({ kind: 'dir', entries }));
  }));

  sftp.on('READDIR', (reqid, handle) => run(reqid, 'READDIR', async () => {
    const h = opened(handle);
    if (h?.kind !== 'dir') throw new Refusal(STATUS_CODE.FAILURE, 'no such open folder');
    if (h.entries.length === 0) return sftp.status(reqid, STATUS_CODE.EOF);
    sftp.name(reqid, h.entries.splice(0, NAMES_PER_READDIR));
  }));

  sftp.on('MKDIR', (reqid, p) => run(reqid, p, async () => {
    const vpath = virtualPath(p);
    mayName(vpath);
    await fs.mkdir(await local(vpath), 0o755);
    opts.intake.folderCreated(vpath);
    sftp.status(reqid, STATUS_CODE.OK);
  }));

  sftp.on('RMDIR', (reqid, p) => run(reqid, p, async () => {
    const vpath = virtualPath(p);
    mayChange(vpath);
    await fs.rmdir(await local(vpath));
    sftp.status(reqid, STATUS_CODE.OK);
  }));

  sftp.on('REMOVE', (reqid, p) => run(reqid, p, async () => {
    const vpath = virtualPath(p);
    mayChange(vpath);
    const target = await local(vpath);
    if ((await fs.lstat(target)).isDirectory()) throw new Refusal(STATUS_CODE.FAILURE, `${vpath}: is a folder (use RMDIR)`);
    await fs.unlink(target);
    sftp.status(reqid, STATUS_CODE.OK);
  }));

  sftp.on('RENAME', (reqid, from, to) => run(reqid, `${from} -> ${to}`, async () => {
    const [vfrom, vto] = [virtualPath(from), virtualPath(to)];
    mayChange(vfrom);
    mayName(vto);
    const [source, target] = [await local(vfrom), await local(vto)];
    // SFTP v3 RENAME never replaces: an existing target is an error (posix-rename is the extension that does).
    if (await fs.lstat(target).then(() => true, () => false)) throw new Refusal(STATUS_CODE.FAILURE, `${vto}: already exists`);
    await fs.rename(source, target);
    // A batch folder or a DONE can arrive by rename as well as by MKDIR or upload.
    if ((await fs.lstat(target)).isDirectory()) opts.intake.folderCreated(vto);
    else opts.intake.fileLanded(vto);
    sftp.status(reqid, STATUS_CODE.OK);
  }));

  // Accepted and ignored: the sandbox keeps its own times and modes, like the real intake.
  sftp.on('SETSTAT', (reqid, p) => run(reqid, p, async () => {
    await fs.lstat(await local(virtualPath(p)));
    sftp.status(reqid, STATUS_CODE.OK);
  }));
  sftp.on('FSETSTAT', (reqid, handle) => withFile(reqid, handle, async () => sftp.status(reqid, STATUS_CODE.OK)));

  // The client sent EOF (OpenSSH's sftp does on exit, then waits): answer what is running, then
  // close the channel, or the client waits forever.
  sftp.on('end', () => void Promise.all(running).then(() => sftp.end()));

  // A dropped connection leaves handles open: close them so no descriptor leaks.
  sftp.on('close', () => {
    for (const h of handles.values()) if (h.kind === 'file') opts.track(Promise.all(h.pending).then(() => h.fh.close()).catch(() => undefined));
    handles.clear();
  });
}
