import { timingSafeEqual } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { promises as fs } from 'node:fs';
import { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { AuthContext, Connection, ParsedKey, Server, utils } from 'ssh2';
import { fingerprintOf } from '../ssh/hostKeys';
import { BatchStatus } from '../../core';
import { BatchIntake } from './intake';
import { serveSftp } from './sftp';

export type { BatchStatus } from '../../core';

export interface SandboxOptions {
  /** The home folder batches land in; made when missing. */
  root: string;
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** Host private key (PEM or OpenSSH text); a fresh ed25519 key when absent. */
  hostKey?: string;
  /** OpenSSH public key lines (`ssh-ed25519 AAAA… comment`) allowed to log in. */
  authorizedKeys: string[];
  /** Login name; default `jumio`. */
  user?: string;
  /** One line per status, login and refusal; default `console.log`. Never CSV contents. */
  log?: (line: string) => void;
}

/** A running sandbox: an SFTP server on 127.0.0.1 that behaves like a Jumio tenant's batch intake. */
export interface Sandbox {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** `SHA256:…`, as `ssh-keygen -l` prints it. */
  readonly hostKeyFingerprint: string;
  /** `<type> <base64>`, as a known_hosts line holds it after the host name. */
  readonly hostPublicKeyLine: string;
  /** The home folder on disk; each batch's status is written to `<root>/<uuid>.status.json`. */
  readonly root: string;
  /** Ends every connection, stops listening and waits for status writes to finish. */
  close(): Promise<void>;
  on(event: 'status', listener: (status: BatchStatus) => void): this;
  off(event: 'status', listener: (status: BatchStatus) => void): this;
}

/** A new ed25519 key pair: the private key as OpenSSH text, the public key as an OpenSSH line. */
export function generateSshKeyPair(comment = ''): { privateKey: string; publicKey: string } {
  const pair = utils.generateKeyPairSync('ed25519', { comment });
  return { privateKey: pair.private, publicKey: pair.public };
}

/** Parses key text (private, or a public key line); throws with `what` named on failure. */
export function parseSshKey(text: string, what: string): ParsedKey {
  const parsed = utils.parseKey(text) as ParsedKey | ParsedKey[] | Error;
  if (parsed instanceof Error) throw new Error(`${what}: ${parsed.message}`);
  return Array.isArray(parsed) ? parsed[0] : parsed;
}

/** `<type> <base64>` of a key. */
export function publicKeyLine(key: ParsedKey): string {
  return `${key.type} ${key.getPublicSSH().toString('base64')}`;
}

function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Promises still running; `idle()` waits until none is left, including any started meanwhile. */
function workTracker(): { track: (work: Promise<unknown>) => void; idle: () => Promise<void> } {
  const running = new Set<Promise<unknown>>();
  return {
    track(work) {
      running.add(work);
      void work.finally(() => running.delete(work)).catch(() => undefined);
    },
    async idle() {
      while (running.size) await Promise.allSettled([...running]);
    },
  };
}

/**
 * Starts the sandbox: public-key login only, one SFTP subsystem per session confined to `root`,
 * and the batch intake of `BatchIntake` behind it. Listens on 127.0.0.1 only: it is a rehearsal
 * stage for one machine, not a server.
 */
export async function startSandbox(opts: SandboxOptions): Promise<Sandbox> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const user = opts.user ?? 'jumio';
  const hostKeyText = opts.hostKey ?? generateSshKeyPair('jumio-batch sandbox').privateKey;
  const hostKey = parseSshKey(hostKeyText, 'the sandbox host key');
  if (!hostKey.isPrivateKey()) throw new Error('the sandbox host key: a private key is needed, not a public one');
  const allowed = opts.authorizedKeys.map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))
    .map((l, i) => parseSshKey(l, `authorized key ${i + 1}`));
  await fs.mkdir(opts.root, { recursive: true });
  const root = path.resolve(opts.root);
  const realRoot = await fs.realpath(root);

  const events = new EventEmitter();
  const work = workTracker();
  const intake = new BatchIntake({ root: realRoot, log, track: work.track, onStatus: (s) => events.emit('status', s) });
  await intake.load();
  const clients = new Set<Connection>();

  const authenticate = (ctx: AuthContext, from: string): void => {
    if (ctx.method !== 'publickey') return ctx.reject(['publickey']);
    const key = allowed.find((k) => sameBytes(k.getPublicSSH(), ctx.key.data));
    if (ctx.username !== user || !key) {
      log(`login refused from ${from}: ${ctx.username !== user ? `user ${JSON.stringify(ctx.username)} is not "${user}"` : `key ${fingerprintOf(ctx.key.data)} is not authorized`}`);
      return ctx.reject(['publickey']);
    }
    // Without a signature the client only asks whether the key would do; it signs next.
    if (!ctx.signature) return ctx.accept();
    if (!ctx.blob || key.verify(ctx.blob, ctx.signature, ctx.hashAlgo) !== true) {
      log(`login refused from ${from}: bad signature`);
      return ctx.reject(['publickey']);
    }
    ctx.accept();
  };

  const server = new Server({ hostKeys: [hostKeyText] }, (client, info) => {
    clients.add(client);
    const from = `${info.ip}:${info.port}`;
    client.on('close', () => clients.delete(client));
    client.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'ECONNRESET') log(`connection from ${from}: ${e.message}`);
    });
    client.on('authentication', (ctx) => authenticate(ctx, from));
    client.on('ready', () => {
      log(`${user} logged in from ${from}`);
      client.on('session', (accept) => {
        accept().once('sftp', (acceptSftp) => serveSftp(acceptSftp(), { root: realRoot, user, intake, log, track: work.track }));
      });
    });
  });
  server.on('error', (e: Error) => log(`sandbox server: ${e.message}`));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });

  let closing: Promise<void> | undefined;
  const sandbox: Sandbox = {
    host: '127.0.0.1',
    port: (server.address() as AddressInfo).port,
    hostKeyFingerprint: fingerprintOf(hostKey.getPublicSSH()),
    hostPublicKeyLine: publicKeyLine(hostKey),
    root,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const c of clients) c.end();
        await stopped;
        await work.idle();
      })();
      return closing;
    },
    on(event, listener) {
      events.on(event, listener);
      return this;
    },
    off(event, listener) {
      events.off(event, listener);
      return this;
    },
  };
  return sandbox;
}
