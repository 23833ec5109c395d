// Host-key verification for ssh2's `hostVerifier`, compatible with OpenSSH's known_hosts.
// An upload must never talk to a server it cannot authenticate, so every path that is not a
// positive match ends in a refusal with a message that says how to establish trust safely.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { shellQuote, singleQuote } from '../../core';

/** The outcome of {@link checkHostKey}: connect only when `ok` is true. */
export type HostKeyVerdict =
  | { ok: true; fingerprint: string; recorded?: boolean }
  | { ok: false; reason: 'unknown' | 'changed' | 'revoked' | 'pin-mismatch'; fingerprint: string; message: string };

/** One usable line of a known_hosts file (`@cert-authority` lines and malformed lines are dropped). */
export interface KnownHostEntry {
  /** 1-based line number in the file, to point at the offending entry. */
  line: number;
  /** True for `@revoked` lines: the key is refused for the hosts the line names. */
  revoked: boolean;
  /** The host field as written: comma-separated patterns, or one hashed `|1|salt|hash` name. */
  hosts: string;
  keyType: string;
  /** The raw public key blob, as ssh2 hands it to `hostVerifier`. */
  key: Buffer;
}

/** What {@link checkHostKey} needs: the server as the user named it, and the key it presented. */
export interface HostKeyCheck {
  host: string;
  port: number;
  /** The raw public key blob from ssh2's `hostVerifier`. */
  key: Buffer;
  /** Defaults to {@link defaultKnownHostsPath}. */
  knownHostsPath?: string;
  /** `SHA256:…` (the prefix may be left out). When set, known_hosts is neither read nor written. */
  pinnedFingerprint?: string;
  /** Trust-on-first-use: record an unknown host's key instead of refusing. Never overrides 'changed'. */
  acceptNew?: boolean;
}

/** `~/.ssh/known_hosts`, the file OpenSSH reads and writes for the current user. */
export function defaultKnownHostsPath(): string {
  return path.join(os.homedir(), '.ssh', 'known_hosts');
}

/** The key's fingerprint exactly as `ssh-keygen -l` prints it: `SHA256:` + unpadded base64. */
export function fingerprintOf(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** The key type a blob declares in its leading SSH string, e.g. `ssh-ed25519`. Throws on a truncated blob. */
export function hostKeyType(key: Buffer): string {
  if (key.length < 4) throw new Error('not an SSH public key: shorter than 4 bytes');
  const length = key.readUInt32BE(0);
  if (length === 0 || length > key.length - 4) throw new Error('not an SSH public key: bad key type length');
  return key.toString('latin1', 4, 4 + length);
}

/** The name known_hosts files record: `host` on port 22, `[host]:port` elsewhere (as OpenSSH). */
export function knownHostsName(host: string, port: number): string {
  const name = host.toLowerCase();
  return port === 22 ? name : `[${name}]:${port}`;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * The entries of a known_hosts text. Malformed lines are skipped, never thrown on: one bad line
 * in a file the user shares with OpenSSH must not stop every upload.
 */
export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const fields = raw.trim().split(/[ \t]+/);
    if (fields[0] === '' || fields[0].startsWith('#')) return;
    let revoked = false;
    if (fields[0].startsWith('@')) {
      // @cert-authority lines vouch for host certificates, which ssh2 does not present; an
      // unknown marker is a line from a newer OpenSSH that we cannot honour, so skip it too.
      if (fields[0] !== '@revoked') return;
      revoked = true;
      fields.shift();
    }
    const [hosts, keyType, base64] = fields;
    if (!hosts || !keyType || !base64 || !BASE64.test(base64)) return;
    const key = Buffer.from(base64, 'base64');
    // A blob that does not declare the type the line names is corrupt, as OpenSSH judges it.
    if (declaredType(key) !== keyType) return;
    if (hosts.startsWith('|') && !parseHashed(hosts)) return;
    entries.push({ line: i + 1, revoked, hosts, keyType, key });
  });
  return entries;
}

function declaredType(key: Buffer): string | undefined {
  try {
    return hostKeyType(key);
  } catch {
    return undefined;
  }
}

function parseHashed(hosts: string): { salt: Buffer; hash: Buffer } | undefined {
  const m = /^\|1\|([A-Za-z0-9+/=]+)\|([A-Za-z0-9+/=]+)$/.exec(hosts);
  if (!m) return undefined;
  const salt = Buffer.from(m[1], 'base64');
  const hash = Buffer.from(m[2], 'base64');
  // HMAC-SHA1: OpenSSH only writes 20-byte salts and hashes.
  return salt.length === 20 && hash.length === 20 ? { salt, hash } : undefined;
}

/**
 * Whether a known_hosts host field names `name` (already in {@link knownHostsName} form).
 * Patterns match case-insensitively with `*` and `?`; one matching `!pattern` vetoes the line.
 */
export function hostMatches(hosts: string, name: string): boolean {
  const lower = name.toLowerCase();
  if (hosts.startsWith('|')) {
    const hashed = parseHashed(hosts);
    if (!hashed) return false;
    const digest = createHmac('sha1', hashed.salt).update(lower).digest();
    return timingSafeEqual(digest, hashed.hash);
  }
  let matched = false;
  for (const pattern of hosts.split(',')) {
    const negated = pattern.startsWith('!');
    const glob = negated ? pattern.slice(1) : pattern;
    if (glob === '' || !globMatches(glob.toLowerCase(), lower)) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

function globMatches(glob: string, text: string): boolean {
  // Only `*` and `?` are special in OpenSSH patterns; `[` in `[host]:port` is literal.
  const source = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 's').test(text);
}

/**
 * Decide whether to trust `input.key` for `host:port`, as OpenSSH's StrictHostKeyChecking would
 * (`yes`, or `accept-new` with `acceptNew`). A changed or revoked key is refused whatever the
 * options. Throws only when the known_hosts file exists but cannot be read, or a new entry
 * cannot be written (or its blob is malformed): all fail closed, so a `hostVerifier` should
 * catch and refuse.
 */
export function checkHostKey(input: HostKeyCheck): HostKeyVerdict {
  const fingerprint = fingerprintOf(input.key);
  const name = knownHostsName(input.host, input.port);
  const pin = input.pinnedFingerprint?.trim();
  if (pin) return checkPin(name, fingerprint, pin);

  const file = input.knownHostsPath ?? defaultKnownHostsPath();
  const forHost = readKnownHosts(file).filter((e) => hostMatches(e.hosts, name));
  const sameKey = (e: KnownHostEntry) => e.key.equals(input.key);
  const revoked = forHost.find((e) => e.revoked && sameKey(e));
  if (revoked) {
    return refuse('revoked', fingerprint,
      `The host key of ${name} (${fingerprint}) is marked @revoked in ${file} line ${revoked.line}. Refusing to connect.`);
  }
  const trusted = forHost.filter((e) => !e.revoked);
  if (trusted.some(sameKey)) return { ok: true, fingerprint };
  const type = declaredType(input.key) ?? 'unknown-type';
  if (trusted.length) return refuse('changed', fingerprint, changedMessage(name, file, type, fingerprint, trusted));
  if (!input.acceptNew) return refuse('unknown', fingerprint, unknownMessage(input, name, file, type, fingerprint));

  // Trust on first use: write the line `ssh` itself would write with HashKnownHosts off.
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const separator = endsWithoutNewline(file) ? '\n' : '';
  appendFileSync(file, `${separator}${name} ${hostKeyType(input.key)} ${input.key.toString('base64')}\n`, { mode: 0o600 });
  return { ok: true, fingerprint, recorded: true };
}

function checkPin(name: string, fingerprint: string, pin: string): HostKeyVerdict {
  const wanted = `SHA256:${pin.replace(/^SHA256:/i, '').replace(/=+$/, '')}`;
  if (wanted === fingerprint) return { ok: true, fingerprint };
  const shape = /^SHA256:[A-Za-z0-9+/]{43}$/.test(wanted) ? '' :
    ' The pin does not look like a SHA256 fingerprint: copy it from `ssh-keygen -lf <key>.pub` (MD5 fingerprints are not accepted).';
  return refuse('pin-mismatch', fingerprint,
    `The host key of ${name} has fingerprint ${fingerprint}, but --host-key-fingerprint pins ${wanted}. ` +
    `Refusing to connect: the server may be an impostor, or the pin is out of date.${shape}`);
}

function readKnownHosts(file: string): KnownHostEntry[] {
  try {
    return parseKnownHosts(readFileSync(file, 'utf8'));
  } catch (err) {
    // No file yet is the normal first-run state: every host is simply unknown.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new Error(`Cannot read known hosts file ${file}: ${(err as Error).message}`);
  }
}

function endsWithoutNewline(file: string): boolean {
  try {
    const text = readFileSync(file);
    return text.length > 0 && text[text.length - 1] !== 0x0a;
  } catch {
    return false;
  }
}

function refuse(reason: 'unknown' | 'changed' | 'revoked' | 'pin-mismatch', fingerprint: string, message: string): HostKeyVerdict {
  return { ok: false, reason, fingerprint, message };
}

function changedMessage(name: string, file: string, type: string, fingerprint: string, known: KnownHostEntry[]): string {
  const lines = known.map((e) => e.line).join(', ');
  const otherTypes = known.every((e) => e.keyType !== type)
    ? ` (${file} holds only ${[...new Set(known.map((e) => e.keyType))].join(', ')} keys for this host; the server offered ${type})`
    : '';
  return `WARNING: the host key of ${name} has changed${otherTypes}. The server now presents ${type} key ${fingerprint}. ` +
    'Someone could be intercepting the connection (a man-in-the-middle attack), or the server was reinstalled. ' +
    `Refusing to connect. Check the new fingerprint with the server's administrator; if it is genuine, remove the old entry ` +
    `(${file} line ${lines}) with: ssh-keygen -R ${singleQuote(name)} -f ${shellQuote(file)}`;
}

function unknownMessage(input: HostKeyCheck, name: string, file: string, type: string, fingerprint: string): string {
  return `The authenticity of host ${name} can't be established: it is not in ${file}. Its ${type} key fingerprint is ${fingerprint}. ` +
    'Check that fingerprint with the server\'s administrator, then either re-run with --accept-new-host-key, ' +
    `or pin it with --host-key-fingerprint ${fingerprint}, ` +
    `or add it with: ssh-keyscan -p ${input.port} ${shellQuote(input.host)} >> ${shellQuote(file)}`;
}
