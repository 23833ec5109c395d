// The sandbox as both front ends start it: with keys kept between runs, so the fingerprint a
// client pinned and the key it logs in with (the CLI's printed upload command, the editor's
// "Use for Uploads" settings) keep working after a restart. A rehearsal, which throws its keys
// away, calls startSandbox itself.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ParsedKey } from 'ssh2';
import { fingerprintOf } from '../ssh/hostKeys';
import { Sandbox, generateSshKeyPair, parseSshKey, publicKeyLine, startSandbox } from './server';

/** The private key in `file`, made (0600) when missing; a second sandbox racing to make it wins nothing. */
async function keepKey(file: string, comment: string): Promise<{ privateKey: string; made: boolean }> {
  try {
    return { privateKey: await fs.readFile(file, 'utf8'), made: false };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const pair = generateSshKeyPair(comment);
  try {
    await fs.writeFile(file, pair.privateKey, { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return keepKey(file, comment);
    throw e;
  }
  await fs.writeFile(`${file}.pub`, pair.publicKey + '\n', { mode: 0o644 });
  return { privateKey: pair.privateKey, made: true };
}

/** The user's own client key cannot be read; each front end words its advice. */
export class ClientKeyError extends Error {
  readonly reason = 'client-key-unreadable';
}

/**
 * The public key of the private key in `file`. A passphrase-protected key cannot be read without
 * its passphrase, and the sandbox never asks for one: its `.pub` neighbour is used instead.
 */
async function publicKeyOf(file: string): Promise<ParsedKey> {
  const text = await fs.readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new ClientKeyError(`${file}: cannot be read (${e.code ?? 'error'})`);
  });
  try {
    return parseSshKey(text, file);
  } catch (e) {
    const pub = await fs.readFile(`${file}.pub`, 'utf8').catch(() => undefined);
    if (pub === undefined) throw new ClientKeyError(`${(e as Error).message} (an encrypted key needs its ${path.basename(file)}.pub beside it)`);
    try {
      return parseSshKey(pub, `${file}.pub`);
    } catch (e2) {
      throw new ClientKeyError((e2 as Error).message);
    }
  }
}

export interface KeptSandboxOptions {
  /** Where the keys are kept; made (0700) when missing. */
  stateDir: string;
  /** The home folder batches land in. */
  root: string;
  /** Port on 127.0.0.1; 0 picks a free one. */
  port: number;
  /** The user's own private key to log in with; default a key made once and kept in `stateDir`. */
  clientKeyFile?: string;
  log: (line: string) => void;
}

export interface KeptSandbox {
  sandbox: Sandbox;
  hostKeyFile: string;
  /** The private key a client logs in with (absolute). */
  clientKeyFile: string;
  /** `SHA256:…` of the client key, as `ssh-keygen -l` prints it. */
  clientKeyFingerprint: string;
  /** Which keys this start made (a first run), so a front end can say so. */
  made: { hostKey: boolean; clientKey: boolean };
}

/** Starts the sandbox with its host key and client key kept in `stateDir`. */
export async function startKeptSandbox(opts: KeptSandboxOptions): Promise<KeptSandbox> {
  await fs.mkdir(opts.stateDir, { recursive: true, mode: 0o700 });
  const hostKeyFile = path.join(opts.stateDir, 'host_ed25519');
  const hostKey = await keepKey(hostKeyFile, 'jumio-batch sandbox host');
  const clientKeyFile = path.resolve(opts.clientKeyFile ?? path.join(opts.stateDir, 'client_ed25519'));
  const madeClient = opts.clientKeyFile === undefined && (await keepKey(clientKeyFile, 'jumio-batch sandbox client')).made;
  const client = await publicKeyOf(clientKeyFile);
  const sandbox = await startSandbox({
    root: opts.root, port: opts.port, hostKey: hostKey.privateKey, authorizedKeys: [publicKeyLine(client)], log: opts.log,
  });
  return {
    sandbox, hostKeyFile, clientKeyFile,
    clientKeyFingerprint: fingerprintOf(client.getPublicSSH()),
    made: { hostKey: hostKey.made, clientKey: madeClient },
  };
}
