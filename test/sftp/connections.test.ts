import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { checksums, runCli } from '../helpers/batch';
import { startProxy } from '../helpers/proxy';
import { Sshd, batchesIn, remoteDir, sshdSuite } from '../helpers/sshd';

// Issue 11: several connections sharing one queue, against a real OpenSSH sshd.

describe('an upload over several connections to a real OpenSSH sshd', function () {
  this.timeout(120_000);
  const suite = sshdSuite();
  const batch = suite.batch;
  let sshd: Sshd;
  let n = 0;
  before(() => { sshd = suite.sshd(); });

  function args(folder: string, remote: string, port: number, extra: string[] = []): string[] {
    return ['upload', folder, '--host', '127.0.0.1', '--port', String(port), '--user', sshd.user, '--identity', sshd.clientKey,
      '--host-key-fingerprint', sshd.hostKeyFingerprint, '--remote-dir', remote, ...extra];
  }

  it('arrives byte-identical over 4 connections, DONE opened after every other file was closed (the server\'s own log)', async () => {
    const local = batch(20, 30_000);
    const remote = remoteDir(sshd, `multi-${n++}`);
    const logins = (): number => (sshd.log().match(/Accepted publickey/g) ?? []).length;
    const before = logins();
    const run = await runCli(args(local, remote, sshd.port, ['--connections', '4', '--json']));
    assert.equal(run.status, 0, run.stderr);
    assert.equal(logins() - before, 4, 'four connections logged in');
    const id = JSON.parse(run.stdout).batchId as string;
    const folder = path.join(remote, id);
    const sent = checksums(folder);
    sent.delete('DONE');
    assert.deepEqual([...sent].sort(), [...checksums(local)].sort());
    const lines = sshd.sftpLog().split('\n').filter((l) => l.includes(folder));
    const doneOpen = lines.findIndex((l) => l.startsWith('open ') && l.includes(`${folder}/DONE"`));
    const lastClose = lines.map((l, i) => (l.startsWith('close ') && !l.includes('/DONE"') ? i : -1)).reduce((a, b) => Math.max(a, b), -1);
    assert.ok(doneOpen > lastClose && lastClose >= 0, 'every other file closed before DONE was opened, over all connections');
    assert.equal(lines.slice(doneOpen + 1).filter((l) => l.startsWith('open ')).length, 0, 'nothing opened after DONE');
    assert.equal(lines.filter((l) => l.startsWith('open ') && l.includes(`${folder}/DONE"`)).length, 1, 'DONE once');
  });

  it('completes on the others when one of its connections is cut mid-upload', async () => {
    const local = batch(30, 60_000);
    const remote = remoteDir(sshd, `cut-one-${n++}`);
    const proxy = await startProxy({ targetPort: sshd.port, cutAfterBytes: 1_500_000, cutConnections: 1 });
    try {
      const run = await runCli(args(local, remote, proxy.port, ['--connections', '3', '--retries', '0', '--json']));
      assert.equal(run.status, 0, run.stderr);
      assert.equal(proxy.cuts(), 1, 'one connection was cut');
      assert.equal(proxy.connections(), 3, 'with no retry left, the batch finished on the other two');
      const id = JSON.parse(run.stdout).batchId as string;
      const sent = checksums(path.join(remote, id));
      assert.ok(sent.has('DONE'));
      sent.delete('DONE');
      assert.deepEqual([...sent].sort(), [...checksums(local)].sort());
    } finally {
      await proxy.close();
    }
  });

  it('writes no DONE and prints the resume command when every connection is cut or refused', async () => {
    const local = batch(20, 60_000);
    const remote = remoteDir(sshd, `refused-${n++}`);
    // The first connection gets in (it makes the batch folder) and is cut; every later one is refused.
    const proxy = await startProxy({ targetPort: sshd.port, cutAfterBytes: 400_000, acceptConnections: 1 });
    try {
      const run = await runCli(args(local, remote, proxy.port, ['--connections', '3', '--retries', '1']));
      assert.equal(run.status, 3, run.stderr);
      const [id] = batchesIn(remote);
      assert.ok(id, 'the batch folder was made');
      assert.equal(existsSync(path.join(remote, id, 'DONE')), false);
      assert.match(run.stderr, new RegExp(`No DONE was written: batch ${id}`));
      assert.match(run.stderr, new RegExp(`--resume ${id}`));
      assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
    } finally {
      await proxy.close();
    }
  });

  it('refuses more connections than OpenSSH\'s default MaxStartups lets in', async () => {
    const run = await runCli(args(batch(1), remoteDir(sshd, `too-many-${n++}`), sshd.port, ['--connections', '12']));
    assert.equal(run.status, 2);
    assert.match(run.stderr, /--connections must be 1-8/);
  });
});
