import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeBatch } from './batch';

/**
 * A real OpenSSH sshd for tests: Debian's openssh-server started as a non-daemon on 127.0.0.1
 * and a free port, key-only, with its own host key and OpenSSH's sftp-server logging every open
 * and close (the proof of upload order). Runs as root in CI, where logins go to an unprivileged
 * user so that permissions mean something.
 */
export interface Sshd {
  host: '127.0.0.1';
  port: number;
  user: string;
  /** Client private key (OpenSSH, ed25519, no passphrase) whose public half is authorised. */
  clientKey: string;
  /** known_hosts file holding this server's host key for [127.0.0.1]:port. */
  knownHosts: string;
  hostKeyFingerprint: string;
  /** A folder the login user may write into: remote dirs for tests go here. */
  home: string;
  dir: string;
  /** Everything sshd wrote to stderr so far. */
  log(): string;
  /** sftp-server's own log: one line per open, close, mkdir… in the order the server did them. */
  sftpLog(): string;
  stop(): Promise<void>;
}

export const SSHD = '/usr/sbin/sshd';
export const SFTP_SERVER = '/usr/lib/openssh/sftp-server';

export function sshdAvailable(): boolean {
  return existsSync(SSHD);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

const TEST_USER = 'jbatch-test';

function ensureTestUser(): { name: string; uid: number; gid: number } {
  if (process.getuid?.() !== 0) {
    const u = os.userInfo();
    return { name: u.username, uid: u.uid, gid: u.gid };
  }
  try {
    execFileSync('id', ['-u', TEST_USER], { stdio: 'ignore' });
  } catch {
    execFileSync('useradd', ['--system', '--shell', '/bin/sh', '--home-dir', '/nonexistent', '--no-create-home', TEST_USER], { stdio: 'ignore' });
  }
  // A locked password ("!") makes sshd refuse even key logins when PAM is off.
  execFileSync('usermod', ['-p', '*', TEST_USER], { stdio: 'ignore' });
  const uid = Number(execFileSync('id', ['-u', TEST_USER]).toString().trim());
  const gid = Number(execFileSync('id', ['-g', TEST_USER]).toString().trim());
  return { name: TEST_USER, uid, gid };
}

export function keygen(file: string, type = 'ed25519', passphrase = ''): string {
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', passphrase, '-C', 'jumio-batch-test', '-f', file], { stdio: 'ignore' });
  return file;
}

export function fingerprintOfPub(pubFile: string): string {
  return execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', pubFile]).toString().split(' ')[1];
}

export interface SshdOptions {
  /** Where the login user's writable home is made (benchmarks put it on tmpfs, /dev/shm). */
  homeParent?: string;
}

export async function startSshd(options: SshdOptions = {}): Promise<Sshd> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jb-sshd-'));
  chmodSync(dir, 0o755); // the login user must reach authorized_keys and its home below
  const user = ensureTestUser();
  const hostKey = keygen(path.join(dir, 'ssh_host_ed25519_key'));
  const clientKey = keygen(path.join(dir, 'client_ed25519'));
  writeFileSync(path.join(dir, 'authorized_keys'), readFileSync(`${clientKey}.pub`));
  const home = options.homeParent ? mkdtempSync(path.join(options.homeParent, 'jb-sshd-home-')) : path.join(dir, 'home');
  if (!options.homeParent) mkdirSync(home);
  chmodSync(home, 0o755);
  chownSync(home, user.uid, user.gid);
  const port = await freePort();
  mkdirSync('/run/sshd', { recursive: true });
  // OpenSSH's own sftp-server, logging every open and close to a file (internal-sftp can only
  // log to syslog, which a CI machine does not run).
  const sftpLog = path.join(dir, 'sftp-server.log');
  writeFileSync(sftpLog, '');
  chmodSync(sftpLog, 0o666);
  const wrapper = path.join(dir, 'sftp-server-logged');
  writeFileSync(wrapper, `#!/bin/sh\nexec ${SFTP_SERVER} -e -l INFO 2>>${sftpLog}\n`);
  chmodSync(wrapper, 0o755);
  const config = path.join(dir, 'sshd_config');
  writeFileSync(config, [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${hostKey}`,
    'PidFile none',
    `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PermitRootLogin prohibit-password',
    'StrictModes no',
    'UsePAM no',
    'LogLevel INFO',
    'MaxStartups 64:30:128',
    'MaxSessions 64',
    `Subsystem sftp ${wrapper}`,
    '',
  ].join('\n'));
  const hostPub = readFileSync(`${hostKey}.pub`, 'utf8').trim().split(' ');
  const knownHosts = path.join(dir, 'known_hosts');
  writeFileSync(knownHosts, `[127.0.0.1]:${port} ${hostPub[0]} ${hostPub[1]}\n`);

  let stderr = '';
  const child: ChildProcess = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (d: string) => { stderr += d; });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const onData = (): void => {
      if (stderr.includes('Server listening')) { child.stderr?.off('data', onData); resolve(); }
    };
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`sshd exited with ${code} before listening:\n${stderr}`)));
    onData();
  });
  return {
    host: '127.0.0.1',
    port,
    user: user.name,
    clientKey,
    knownHosts,
    hostKeyFingerprint: fingerprintOfPub(`${hostKey}.pub`),
    home,
    dir,
    log: () => stderr,
    sftpLog: () => readFileSync(sftpLog, 'utf8'),
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Makes a folder in the server's writable area, owned by the login user. */
export function remoteDir(sshd: Sshd, name: string, mode = 0o755): string {
  const p = path.join(sshd.home, name);
  mkdirSync(p, { recursive: true, mode });
  if (process.getuid?.() === 0) {
    chownSync(p, Number(execFileSync('id', ['-u', sshd.user]).toString().trim()), Number(execFileSync('id', ['-g', sshd.user]).toString().trim()));
  }
  return p;
}

/** The batch folders (lower-case UUID v4 names) a remote folder holds. */
export function batchesIn(dir: string): string[] {
  return readdirSync(dir).filter((n) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(n));
}

/**
 * What every upload suite against the real sshd sets up: the server (started before, stopped
 * after), numbered names for remote folders, and local batches removed at the end.
 */
export function sshdSuite(): { sshd: () => Sshd; next: () => number; batch: (rows: number, bytes?: number) => string; keep: (p: string) => void } {
  let server: Sshd | undefined;
  let n = 0;
  const cleanup: string[] = [];
  before(async () => { server = await startSshd(); });
  after(async () => {
    await server?.stop();
    for (const p of cleanup) rmSync(p, { recursive: true, force: true });
  });
  return {
    sshd: () => server as Sshd,
    next: () => n++,
    batch: (rows, bytes) => {
      const b = makeBatch(rows, bytes);
      cleanup.push(b);
      return b;
    },
    keep: (p) => { cleanup.push(p); },
  };
}
