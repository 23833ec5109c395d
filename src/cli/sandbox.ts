import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { shellQuote } from '../core';
import { ClientKeyError, startKeptSandbox } from '../node/sandbox/kept';

export const SANDBOX_USAGE = `Usage: jumio-batch sandbox [--port P] [--root DIR] [--client-key FILE]

Runs a local SFTP server that behaves like a Jumio tenant's batch intake, to rehearse an upload
without touching production: a batch folder named with a UUID v4 is CREATED, uploading DONE
makes it IN_PROGRESS, then this project's linter decides COMPLETED or ERROR. Statuses are printed
and written beside each batch as <uuid>.status.json. Listens on 127.0.0.1 only.

Options:
  --port P           port to listen on (default: 2222; 0 picks a free one)
  --root DIR         folder batches land in (default: a new folder under the system temp folder)
  --client-key FILE  private key the uploader logs in with (default: one made once and kept in
                     the state folder)
  -h, --help         show this help

Keys are kept in $XDG_STATE_HOME/jumio-batch/sandbox (default ~/.local/state/...): the host key,
so the fingerprint survives restarts, and the generated client key.`;

const DEFAULT_PORT = 2222;

interface Io {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  env: NodeJS.ProcessEnv;
}

class SandboxUsageError extends Error {}

function stateFolder(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_STATE_HOME || path.join(env.HOME || os.homedir(), '.local', 'state');
  return path.join(base, 'jumio-batch', 'sandbox');
}

function port(value: string | undefined): number {
  if (value === undefined) return DEFAULT_PORT;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new SandboxUsageError(`--port needs a port number (0 to 65535), got "${value}"`);
  return n;
}

/** Resolves when the signal aborts or the process gets SIGINT/SIGTERM (Ctrl+C, a container stop). */
function stopRequested(signal?: AbortSignal): { stopped: Promise<void>; dispose: () => void } {
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => { stop = resolve; });
  if (signal?.aborted) stop();
  signal?.addEventListener('abort', stop, { once: true });
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return {
    stopped,
    dispose: () => {
      signal?.removeEventListener('abort', stop);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    },
  };
}

function time(): string {
  return new Date().toTimeString().slice(0, 8);
}

/**
 * `jumio-batch sandbox`: starts the sandbox, prints how to upload to it, then prints its log until
 * `signal` aborts or the process is interrupted. Returns the exit status: 0 after a clean stop,
 * 2 on a usage or start-up problem (one stderr line).
 */
export async function sandboxCommand(args: string[], io: Io, signal?: AbortSignal): Promise<number> {
  const stop = stopRequested(signal);
  try {
    const { values } = parseArgs({
      args,
      options: { port: { type: 'string' }, root: { type: 'string' }, 'client-key': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) {
      io.stdout.write(SANDBOX_USAGE + '\n');
      return 0;
    }
    const listenPort = port(values.port);
    const root = values.root ? path.resolve(values.root) : await fs.mkdtemp(path.join(os.tmpdir(), 'jumio-batch-sandbox-'));
    const kept = await startKeptSandbox({
      stateDir: stateFolder(io.env), root, port: listenPort, clientKeyFile: values['client-key'],
      log: (line) => io.stdout.write(`${time()} ${line}\n`),
    }).catch(async (e: NodeJS.ErrnoException) => {
      // A temp folder made for a sandbox that never ran is left empty: take it away again.
      if (!values.root) await fs.rmdir(root).catch(() => undefined);
      if (e.code === 'EADDRINUSE') throw new SandboxUsageError(`port ${listenPort} on 127.0.0.1 is in use: pass --port with another port, or 0 for any free one`);
      if (e instanceof ClientKeyError) throw new SandboxUsageError(e.message);
      throw e;
    });
    const { sandbox, made } = kept;
    io.stdout.write([
      `Jumio batch sandbox listening on ${sandbox.host}:${sandbox.port} (SFTP, user jumio, public-key login only)`,
      `  batches land in  ${sandbox.root}`,
      `  host key         ${sandbox.hostKeyFingerprint} (${made.hostKey ? 'made now, ' : ''}kept in ${kept.hostKeyFile})`,
      `  client key       ${kept.clientKeyFile} (${kept.clientKeyFingerprint}${made.clientKey ? ', made now' : ''})`,
      '',
      'Upload a batch with:',
      `  jumio-batch upload <folder> --host ${sandbox.host} --port ${sandbox.port} --user jumio --identity ${shellQuote(kept.clientKeyFile)} --host-key-fingerprint ${sandbox.hostKeyFingerprint}`,
      '',
      'Statuses follow. Ctrl+C stops the sandbox.',
      '',
    ].join('\n'));
    await stop.stopped;
    await sandbox.close();
    io.stdout.write(`${time()} sandbox stopped\n`);
    return 0;
  } catch (e) {
    const usage = e instanceof SandboxUsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    io.stderr.write(`jumio-batch: sandbox: ${(e as Error)?.message ?? String(e)}${usage ? ' (see jumio-batch sandbox --help)' : ''}\n`);
    return 2;
  } finally {
    stop.dispose();
  }
}
