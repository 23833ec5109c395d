import * as assert from 'node:assert/strict';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { appendFileSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { BATCH_ID } from '../../src/core';
import { makeBatch, runCli } from '../helpers/batch';
import { Sshd, keygen, remoteDir, startSshd } from '../helpers/sshd';

/** Authorises one more client key on the running server. */
function authorize(sshd: Sshd, keyFile: string): void {
  appendFileSync(path.join(sshd.dir, 'authorized_keys'), readFileSync(`${keyFile}.pub`));
}

describe('upload authentication and host aliases, against a real sshd', function () {
  this.timeout(60_000);
  let sshd: Sshd;
  let batch: string;
  let n = 0;

  before(async () => {
    sshd = await startSshd();
    batch = makeBatch(1);
  });
  after(async () => {
    await sshd?.stop();
    rmSync(batch, { recursive: true, force: true });
  });

  function base(remote: string): string[] {
    return ['upload', batch, '--host', '127.0.0.1', '--port', String(sshd.port), '--user', sshd.user,
      // One folder logs in many ways here: each upload is a deliberate new batch of the same rows.
      '--known-hosts', sshd.knownHosts, '--remote-dir', remote, '--json', '--again'];
  }

  for (const [type, extra] of [['rsa', ['-m', 'PEM']], ['ecdsa', []], ['ed25519', []]] as const) {
    it(`logs in with a ${type} key${extra.length ? ' in PEM form' : ''}`, async () => {
      const key = path.join(sshd.dir, `client_${type}_${n++}`);
      execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', ...extra, '-f', key]);
      authorize(sshd, key);
      const remote = remoteDir(sshd, `key-${type}-${n}`);
      const run = await runCli([...base(remote), '--identity', key]);
      assert.equal(run.status, 0, run.stderr);
      assert.match(JSON.parse(run.stdout).batchId, BATCH_ID);
    });
  }

  it('reads an encrypted key with JUMIO_SFTP_PASSPHRASE, never prints it, and says clearly when it is missing or wrong', async () => {
    const secret = 'correct horse battery staple';
    const key = keygen(path.join(sshd.dir, `client_encrypted_${n++}`), 'ed25519', secret);
    authorize(sshd, key);
    const remote = remoteDir(sshd, `pass-${n}`);

    const ok = await runCli([...base(remote), '--identity', key], { env: { JUMIO_SFTP_PASSPHRASE: secret } });
    assert.equal(ok.status, 0, ok.stderr);
    assert.ok(!ok.stdout.includes(secret) && !ok.stderr.includes(secret));

    const missing = await runCli([...base(remote), '--identity', key]);
    assert.equal(missing.status, 3);
    assert.match(missing.stderr, /is encrypted and no passphrase was given\nSet JUMIO_SFTP_PASSPHRASE/);

    const wrong = await runCli([...base(remote), '--identity', key], { env: { JUMIO_SFTP_PASSPHRASE: 'not it' } });
    assert.equal(wrong.status, 3);
    assert.match(wrong.stderr, /passphrase .* is wrong/);
    assert.ok(!wrong.stderr.includes('not it'));
    assert.equal(readdirSync(remote).filter((d) => BATCH_ID.test(d)).length, 1);
  });

  it('logs in through the ssh-agent (SSH_AUTH_SOCK) without --identity', async () => {
    const key = keygen(path.join(sshd.dir, `client_agent_${n++}`));
    authorize(sshd, key);
    const socket = path.join(sshd.dir, `agent_${n}.sock`);
    const agent: ChildProcess = spawn('ssh-agent', ['-D', '-a', socket], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      // In the foreground, ssh-agent prints its environment once the socket is listening.
      await new Promise<void>((resolve, reject) => {
        agent.stdout?.once('data', () => resolve());
        agent.once('exit', (code) => reject(new Error(`ssh-agent exited with ${code}`)));
      });
      execFileSync('ssh-add', [key], { env: { ...process.env, SSH_AUTH_SOCK: socket }, stdio: 'ignore' });
      const remote = remoteDir(sshd, `agent-${n}`);
      const run = await runCli(base(remote), { env: { SSH_AUTH_SOCK: socket, HOME: sshd.dir } });
      assert.equal(run.status, 0, run.stderr);
    } finally {
      agent.kill();
    }
  });

  it('resolves --host through an ssh config alias (HostName, Port, User, IdentityFile)', async () => {
    const config = path.join(sshd.dir, `ssh_config_${n++}`);
    writeFileSync(config, [
      'Host jumio-tenant',
      '  HostName 127.0.0.1',
      `  Port ${sshd.port}`,
      `  User ${sshd.user}`,
      `  IdentityFile ${sshd.clientKey}`,
      '',
    ].join('\n'));
    const remote = remoteDir(sshd, `alias-${n}`);
    const run = await runCli(['upload', batch, '--host', 'jumio-tenant', '--ssh-config', config, '--known-hosts', sshd.knownHosts,
      '--remote-dir', remote, '--json', '--again']);
    assert.equal(run.status, 0, run.stderr);
    assert.match(JSON.parse(run.stdout).remotePath, new RegExp(`^${remote}/`));
  });
});
