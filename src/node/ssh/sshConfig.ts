// Resolve `--host` the way `ssh` would, through the user's ~/.ssh/config, so an alias that works
// with `ssh`/`sftp` works here too (HostName, Port, User and IdentityFile).
import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// ssh-config ships its types as an ES module but a CommonJS build for `require`; this project
// compiles to CommonJS, so take the types from the module and the value from `require`.
type SshConfigModule = typeof import('ssh-config', { with: { 'resolution-mode': 'import' } });
const { SSHConfig } = require('ssh-config') as SshConfigModule;
type Line = InstanceType<SshConfigModule['SSHConfig']>[number];

/** Where and as whom to connect, after ~/.ssh/config and explicit options are applied. */
export interface ResolvedHost {
  /** The name the user gave (`--host`), which config `Host` patterns were matched against. */
  alias: string;
  /** The name to connect to, and to look up in known_hosts. */
  hostName: string;
  port: number;
  user: string;
  /** Private key files to try, in order, `~` and `%` tokens expanded. Empty when none is configured. */
  identityFiles: string[];
}

/** Explicit settings; each one given wins over ~/.ssh/config. */
export interface ResolveOptions {
  /** Defaults to {@link defaultSshConfigPath}. */
  configPath?: string;
  port?: number;
  user?: string;
  /** A private key file; replaces the config's IdentityFile list rather than adding to it. */
  identity?: string;
}

/** `~/.ssh/config`, the per-user file `ssh` reads. */
export function defaultSshConfigPath(): string {
  return path.join(os.homedir(), '.ssh', 'config');
}

/**
 * Resolve `host` through an OpenSSH client config. A missing config file is the same as an empty
 * one. An unreadable or malformed file, or an invalid port, throws an `Error` whose one-line
 * message names the file. `Match exec` blocks are never run (they would run shell commands).
 */
export function resolveSshHost(host: string, opts: ResolveOptions = {}): ResolvedHost {
  const file = opts.configPath ?? defaultSshConfigPath();
  const computed = computeConfig(file, host, opts.user);
  const first = (key: string): string | undefined => {
    const v = computed[key];
    return Array.isArray(v) ? v[0] : v;
  };
  const localUser = localUserName();
  const user = opts.user ?? first('user') ?? localUser;
  // OpenSSH expands %h in HostName to the name given, e.g. `HostName %h.internal`.
  const configuredName = first('hostname');
  const hostName = configuredName ? expandTokens(configuredName, { h: host }, file, 'HostName') : host;
  const port = opts.port ?? parsePort(first('port'), file, host);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`Port ${port} is not a TCP port (1-65535).`);

  const tokens = { d: os.homedir(), u: localUser, h: hostName, r: user, p: String(port), n: host };
  const configured = ([] as string[]).concat(computed.identityfile ?? [])
    .filter((f) => f.toLowerCase() !== 'none')
    .map((f) => expandTokens(expandTilde(f), tokens, file, 'IdentityFile'));
  const identityFiles = opts.identity !== undefined ? [expandTilde(opts.identity)] : configured;
  return { alias: host, hostName, port, user, identityFiles };
}

function computeConfig(file: string, host: string, user: string | undefined): Record<string, string | string[]> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new Error(`Cannot read SSH config ${file}: ${oneLine((err as Error).message)}`);
  }
  try {
    // ignoreCase: OpenSSH keywords are case-insensitive (`hostname` = `HostName`).
    // matchExec off: resolving a host name must not run commands from a config file.
    const parsed = SSHConfig.parse(text);
    checkValues(parsed);
    return parsed.compute({ Host: host, User: user }, { ignoreCase: true, matchExec: false });
  } catch (err) {
    throw new Error(`Cannot parse SSH config ${file}: ${oneLine((err as Error).message)}`);
  }
}

/**
 * ssh-config reads a keyword without a value (`Port` alone) as a keyword named `Port\n`, which
 * would be silently ignored; `ssh` rejects the file, and so do we.
 */
function checkValues(lines: Iterable<Line>): void {
  for (const line of lines) {
    if (line.type !== SSHConfig.DIRECTIVE) continue;
    if (/\s/.test(line.param) || line.value === '') throw new Error(`${oneLine(line.param)} has no value.`);
    if ('config' in line) checkValues(line.config);
  }
}

function parsePort(value: string | undefined, file: string, host: string): number {
  if (value === undefined) return 22;
  const port = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (port >= 1 && port <= 65535) return port;
  throw new Error(`SSH config ${file}: Port "${oneLine(value)}" for host ${host} is not a TCP port (1-65535).`);
}

function localUserName(): string {
  try {
    return os.userInfo().username;
  } catch {
    // os.userInfo() throws when the uid has no passwd entry (some containers).
    return process.env.USER ?? process.env.USERNAME ?? '';
  }
}

/** `~` or `~/…` to the home folder, as OpenSSH does before expanding `%` tokens. */
function expandTilde(p: string): string {
  return p === '~' || p.startsWith('~/') ? path.join(os.homedir(), p.slice(1)) : p;
}

/**
 * Expand `%x` tokens. An unknown token is an error, as in OpenSSH: guessing would send the wrong
 * key or connect to the wrong host.
 */
function expandTokens(value: string, tokens: Record<string, string>, file: string, keyword: string): string {
  return value.replace(/%(.?)/gs, (whole, t: string) => {
    if (t === '%') return '%';
    if (Object.hasOwn(tokens, t)) return tokens[t];
    const known = ['%%', ...Object.keys(tokens).map((k) => `%${k}`)].join(' ');
    throw new Error(`SSH config ${file}: ${keyword} "${oneLine(value)}" uses ${oneLine(whole)}, which is not supported here (only ${known}).`);
  });
}

function oneLine(s: string): string {
  return s.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
