// Reads the host key a server presents, without logging in: the editor shows its fingerprint to
// the user before anything is trusted or recorded.
import { Client } from 'ssh2';

/**
 * Connects to `host:port` just far enough to receive the server's host key, then hangs up.
 * Rejects when the server cannot be reached or sends no key within `timeoutMs`.
 */
export function probeHostKey(host: string, port: number, timeoutMs = 15_000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    let key: Buffer | undefined;
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      client.end();
      if (key) resolve(key);
      else reject(error ?? new Error(`${host}:${port} sent no host key`));
    };
    client.on('error', (e) => finish(e));
    client.on('close', () => finish());
    client.on('ready', () => finish());
    client.connect({
      host,
      port,
      username: 'host-key-probe',
      readyTimeout: timeoutMs,
      // Refusing the key ends the handshake before any credential is offered.
      hostVerifier: (k: Buffer) => {
        key = Buffer.from(k);
        return false;
      },
    });
  });
}
