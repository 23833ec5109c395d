import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import SftpClient from 'ssh2-sftp-client';
import { utils } from 'ssh2';
import { ClientKeyError, KeptSandbox, startKeptSandbox } from '../../src/node/sandbox/kept';
import { fingerprintOf } from '../../src/node/ssh/hostKeys';

/** Logs in to the sandbox with `privateKey`, checking its host key; returns the home folder's listing. */
async function listAs(kept: KeptSandbox, privateKey: string, passphrase?: string): Promise<string[]> {
  const client = new SftpClient('kept-test', { error: () => undefined, end: () => undefined, close: () => undefined });
  await client.connect({
    host: kept.sandbox.host, port: kept.sandbox.port, username: 'jumio', privateKey, passphrase,
    hostVerifier: (hostKey: Buffer) => fingerprintOf(hostKey) === kept.sandbox.hostKeyFingerprint,
  });
  try {
    return (await client.list('/')).map((e) => e.name);
  } finally {
    await client.end();
  }
}

/** The SHA256 fingerprint of an OpenSSH public key line. */
function fingerprintOfLine(line: string): string {
  return fingerprintOf(Buffer.from(line.trim().split(/\s+/)[1], 'base64'));
}

describe('the kept sandbox (CLI and editor start-up)', function () {
  this.timeout(20000);
  let tmp: string;
  const running: KeptSandbox[] = [];

  async function start(opts: { clientKeyFile?: string } = {}): Promise<KeptSandbox> {
    const kept = await startKeptSandbox({ stateDir: path.join(tmp, 'state'), root: path.join(tmp, 'home'), port: 0, log: () => undefined, ...opts });
    running.push(kept);
    return kept;
  }

  beforeEach(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'jumio-kept-sandbox-'));
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((k) => k.sandbox.close()));
    await fs.rm(tmp, { recursive: true, force: true });
  });

  it('makes a host key and a client key once (0600, in a 0700 folder) and logs in with the client key', async () => {
    const first = await start();
    assert.deepEqual(first.made, { hostKey: true, clientKey: true });
    assert.equal(first.clientKeyFile, path.join(tmp, 'state', 'client_ed25519'));
    assert.equal((await fs.stat(path.join(tmp, 'state'))).mode & 0o777, 0o700);
    for (const f of [first.hostKeyFile, first.clientKeyFile]) assert.equal((await fs.stat(f)).mode & 0o777, 0o600, f);
    assert.equal(first.clientKeyFingerprint, fingerprintOfLine(await fs.readFile(`${first.clientKeyFile}.pub`, 'utf8')));
    assert.deepEqual(await listAs(first, await fs.readFile(first.clientKeyFile, 'utf8')), []);
    await first.sandbox.close();

    const second = await start();
    assert.deepEqual(second.made, { hostKey: false, clientKey: false });
    assert.equal(second.sandbox.hostKeyFingerprint, first.sandbox.hostKeyFingerprint);
    assert.equal(second.clientKeyFingerprint, first.clientKeyFingerprint);
  });

  it("takes the user's own key, reading an encrypted one's public half from its .pub, and makes no client key", async () => {
    const pair = utils.generateKeyPairSync('ed25519', { passphrase: 'sesame', cipher: 'aes256-ctr', rounds: 16, comment: 'mine' });
    const own = path.join(tmp, 'own key');
    await fs.writeFile(own, pair.private, { mode: 0o600 });
    await fs.writeFile(`${own}.pub`, pair.public + '\n');
    const kept = await start({ clientKeyFile: own });
    assert.equal(kept.clientKeyFile, own);
    assert.equal(kept.clientKeyFingerprint, fingerprintOfLine(pair.public));
    assert.equal(kept.made.clientKey, false);
    await assert.rejects(fs.access(path.join(tmp, 'state', 'client_ed25519')));
    assert.deepEqual(await listAs(kept, pair.private, 'sesame'), []);
  });

  it('refuses an encrypted key without its .pub, and a key file that is missing, with a ClientKeyError', async () => {
    const pair = utils.generateKeyPairSync('ed25519', { passphrase: 'sesame', cipher: 'aes256-ctr', rounds: 16 });
    const own = path.join(tmp, 'locked');
    await fs.writeFile(own, pair.private, { mode: 0o600 });
    await assert.rejects(start({ clientKeyFile: own }), (e: Error) => e instanceof ClientKeyError && /needs its locked\.pub beside it/.test(e.message));
    await assert.rejects(start({ clientKeyFile: path.join(tmp, 'nothing') }), (e: Error) => e instanceof ClientKeyError && /ENOENT/.test(e.message));
  });
});
