/**
 * The plain-ssh2 baseline of `bench:upload`: what the library alone does with a folder, no lint,
 * no checks, no hashes, no receipt. Every file is read whole and written with all its writes at
 * once (the server's largest write), `inflight` files per connection over `connections`
 * connections sharing one queue, Nagle off.
 * Usage: node out/bench/plainSsh2.js <folder> <host> <port> <user> <key> <remoteDir> <connections> <inflight>
 */
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { Client, SFTPWrapper } from 'ssh2';

function files(root: string, dir = ''): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = dir ? `${dir}/${e.name}` : e.name;
    return e.isDirectory() ? files(root, rel) : [rel];
  });
}

function connect(host: string, port: number, username: string, privateKey: Buffer): Promise<{ client: Client; sftp: SFTPWrapper }> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    client.on('ready', () => {
      (client as unknown as { _sock: import('node:net').Socket })._sock.setNoDelay(true);
      client.sftp((err, sftp) => (err ? reject(err) : resolve({ client, sftp })));
    });
    client.on('error', reject);
    client.connect({ host, port, username, privateKey, hostVerifier: () => true, readyTimeout: 30_000 });
  });
}

function call<T>(run: (done: (err: Error | null | undefined, v?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => run((err, v) => (err ? reject(err) : resolve(v as T))));
}

async function main(): Promise<void> {
  const [folder, host, port, user, key, remote, connections, inflight] = process.argv.slice(2);
  const all = files(folder);
  const dirs = [...new Set(all.map((f) => path.posix.dirname(f)).filter((d) => d !== '.'))].sort((a, b) => a.length - b.length);
  const sessions = await Promise.all(Array.from({ length: Number(connections) }, () => connect(host, Number(port), user, readFileSync(key))));
  const first = sessions[0].sftp;
  for (const d of dirs) await call<void>((done) => first.mkdir(`${remote}/${d}`, done)).catch(() => undefined);
  let next = 0;
  await Promise.all(sessions.flatMap(({ sftp }) => Array.from({ length: Number(inflight) }, async () => {
    const max = (sftp as unknown as { _maxWriteLen: number })._maxWriteLen || 32768;
    while (next < all.length) {
      const f = all[next++];
      const data = readFileSync(path.join(folder, f));
      const handle = await call<Buffer>((done) => sftp.open(`${remote}/${f}`, 'w', done));
      const writes: Promise<void>[] = [];
      for (let at = 0; at < data.length; at += max) {
        const n = Math.min(max, data.length - at);
        writes.push(call<void>((done) => sftp.write(handle, data, at, n, at, done)));
      }
      await Promise.all(writes);
      await call<void>((done) => sftp.close(handle, done));
    }
  })));
  for (const s of sessions) s.client.end();
}

main().catch((e) => {
  console.error(`plain ssh2 upload failed: ${(e as Error).message}`);
  process.exitCode = 1;
});
