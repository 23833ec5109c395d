// Builds the SSH connection of an upload: ~/.ssh/config, the key and its passphrase, the agent, and
// the host-key decision, made during the first handshake (asking the user when a hook is given).
import { existsSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { utils } from 'ssh2';
import { TransportError } from '../../core';
import { checkHostKey, defaultKnownHostsPath, hostKeyType, knownHostsName } from '../ssh/hostKeys';
import { HostKeyDecision, SftpConnectOptions } from '../ssh/sftpTransport';
import { resolveSshHost } from '../ssh/sshConfig';

/** The question about an unknown host: its name as known_hosts records it and its key. */
export interface HostKeyQuestion {
  server: string;
  keyType: string;
  fingerprint: string;
  knownHostsFile: string;
}

/** Facts of a refused host key, for each front end to word its own advice. */
export interface HostKeyFacts extends HostKeyQuestion {
  /** The pinned fingerprint the key did not match. */
  pinned?: string;
}

export interface ConnectionRequest {
  host: string;
  port?: number;
  user?: string;
  identity?: string;
  sshConfigPath?: string;
  knownHostsPath?: string;
  hostKeyFingerprint?: string;
  /** SSH_AUTH_SOCK (the agent) and JUMIO_SFTP_PASSPHRASE are read from here. */
  env: NodeJS.ProcessEnv;
}

export interface ConnectionHooks {
  /** An unknown host: true to trust (and record) its key. Absent: unknown hosts are refused. */
  confirmHost?: (q: HostKeyQuestion) => Promise<boolean>;
  /** A key's passphrase; undefined: none given. */
  askPassphrase?: (keyFile: string) => Promise<string | undefined>;
  log?: (line: string) => void;
}

/** What the connection learnt during the handshake: the key it accepted, or why it refused one. */
export interface HandshakeFacts {
  hostKey?: string;
  refused?: HostKeyFacts;
  /** A passphrase given by the hook (the editor keeps it once the login worked). */
  passphrase?: { keyFile: string; value: string };
}

const DEFAULT_KEYS = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

/** The key file and its passphrase, or a typed refusal. */
async function loginKey(req: ConnectionRequest, identityFiles: string[], agent: string | undefined, hooks: ConnectionHooks, facts: HandshakeFacts) {
  let keyFiles = identityFiles;
  if (keyFiles.length === 0 && !agent) keyFiles = DEFAULT_KEYS.map((k) => path.join(os.homedir(), '.ssh', k)).filter((f) => existsSync(f));
  const keyFile = keyFiles.find((f) => existsSync(f)) ?? (req.identity ? req.identity : undefined);
  if (!keyFile) {
    if (agent) return {};
    throw new TransportError('auth-key', 'no private key to log in with, and no ssh-agent');
  }
  let privateKey: Buffer;
  try {
    privateKey = readFileSync(keyFile);
  } catch (e) {
    throw new TransportError('auth-key', `cannot read the private key ${keyFile}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  if (!(utils.parseKey(privateKey) instanceof Error)) return { privateKey };
  const fromEnv = req.env.JUMIO_SFTP_PASSPHRASE;
  const passphrase = fromEnv ?? (await hooks.askPassphrase?.(keyFile));
  if (passphrase === undefined) throw new TransportError('auth-passphrase', `the private key ${keyFile} is encrypted and no passphrase was given`);
  const parsed = utils.parseKey(privateKey, passphrase);
  if (parsed instanceof Error) {
    if (/passphrase|decrypt|bad/i.test(parsed.message)) throw new TransportError('auth-passphrase', `the passphrase for ${keyFile} is wrong`);
    throw new TransportError('auth-key', `${keyFile} is not a private key ssh2 can read (OpenSSH or PEM; ed25519, ECDSA or RSA)`);
  }
  if (fromEnv === undefined) facts.passphrase = { keyFile, value: passphrase };
  return { privateKey, passphrase };
}

/**
 * The connection for `req`. Host keys are checked against known_hosts or the pin in the
 * handshake itself; an unknown host is put to `hooks.confirmHost` there and then (no second
 * connection), and recorded only when trusted. A changed, revoked or unpinned key is refused
 * without a question. `facts` collects what happened, for the receipt and the front ends' words.
 */
export async function connectionFor(req: ConnectionRequest, hooks: ConnectionHooks, facts: HandshakeFacts): Promise<SftpConnectOptions> {
  const resolved = resolveSshHost(req.host, { configPath: req.sshConfigPath, port: req.port, user: req.user, identity: req.identity });
  const agent = req.env.SSH_AUTH_SOCK || undefined;
  const key = await loginKey(req, resolved.identityFiles, agent, hooks, facts);
  const log = hooks.log ?? (() => undefined);
  const knownHostsFile = req.knownHostsPath ?? defaultKnownHostsPath();
  // Several connections shake hands at once: they share one decision per key, so an unknown
  // host is asked about once, not once per connection.
  const decided = new Map<string, Promise<HostKeyDecision>>();
  const verifyHostKey = (hostKey: Buffer): Promise<HostKeyDecision> => {
    const id = hostKey.toString('base64');
    let decision = decided.get(id);
    if (!decision) {
      decision = decide(hostKey);
      decided.set(id, decision);
    }
    return decision;
  };
  const decide = async (hostKey: Buffer): Promise<HostKeyDecision> => {
    const check = { host: resolved.hostName, port: resolved.port, key: hostKey, knownHostsPath: knownHostsFile, pinnedFingerprint: req.hostKeyFingerprint };
    let verdict;
    try {
      verdict = checkHostKey(check);
    } catch (e) {
      return { ok: false, kind: 'host-key-unknown', message: `cannot check the host key: ${(e as Error).message}` };
    }
    const question = { server: knownHostsName(resolved.hostName, resolved.port), keyType: hostKeyType(hostKey), fingerprint: verdict.fingerprint, knownHostsFile };
    if (verdict.ok) {
      facts.hostKey = verdict.fingerprint;
      return { ok: true };
    }
    if (verdict.reason === 'unknown' && hooks.confirmHost && (await hooks.confirmHost(question))) {
      const recorded = checkHostKey({ ...check, acceptNew: true });
      if (recorded.ok) {
        log(`recorded the host key of ${question.server} (${recorded.fingerprint}) in ${knownHostsFile}`);
        facts.hostKey = recorded.fingerprint;
        return { ok: true };
      }
    }
    facts.refused = { ...question, pinned: verdict.reason === 'pin-mismatch' ? req.hostKeyFingerprint : undefined };
    const kind = verdict.reason === 'unknown' ? 'host-key-unknown' : verdict.reason === 'pin-mismatch' ? 'host-key-pin' : 'host-key-changed';
    const message = kind === 'host-key-unknown' ? `the host key of ${question.server} (${question.fingerprint}) is not known, and was not trusted`
      : kind === 'host-key-pin' ? `the host key of ${question.server} is ${question.fingerprint}, not the pinned ${req.hostKeyFingerprint}`
        : verdict.message; // OpenSSH's warning and the known_hosts line to check: the same advice everywhere
    return { ok: false, kind, message };
  };
  return { host: resolved.hostName, port: resolved.port, username: resolved.user, agent, ...key, verifyHostKey };
}
