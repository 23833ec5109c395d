import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync, utimesSync, watch, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { BATCH_ID } from '../../src/core';
import { checksums, runCli } from '../helpers/batch';
import { startProxy } from '../helpers/proxy';
import { Sshd, batchesIn, keygen, remoteDir, sshdSuite } from '../helpers/sshd';

/** Waits (on file-system events, bounded) until `dir` holds a batch folder. */
function whenBatchAppears(dir: string, timeoutMs = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const b = existsSync(dir) ? batchesIn(dir)[0] : undefined;
      if (b) { watcher.close(); clearTimeout(timer); resolve(b); }
      return !!b;
    };
    const watcher = watch(dir, () => check());
    const timer = setTimeout(() => { watcher.close(); reject(new Error(`no batch folder appeared in ${dir}`)); }, timeoutMs);
    check();
  });
}

describe('jumio-batch upload against a real OpenSSH sshd', function () {
  this.timeout(120_000);
  const suite = sshdSuite();
  const batch = suite.batch;
  let sshd: Sshd;
  let n = 0;
  before(() => { sshd = suite.sshd(); });

  /** CLI arguments; through a proxy (another port) the server's key is pinned instead. */
  function args(folder: string, remote: string, extra: string[] = [], port = sshd.port): string[] {
    const trust = port === sshd.port ? ['--known-hosts', sshd.knownHosts] : ['--host-key-fingerprint', sshd.hostKeyFingerprint];
    return ['upload', folder, '--host', '127.0.0.1', '--port', String(port), '--user', sshd.user, '--identity', sshd.clientKey,
      ...trust, '--remote-dir', remote, ...extra];
  }

  it('uploads a batch byte-identical under a new UUID v4 folder, sub-folders included, DONE empty and last', async () => {
    const local = batch(5);
    // Old local times: the server must not get them.
    const old = new Date('2001-01-01T00:00:00Z');
    for (const f of checksums(local).keys()) utimesSync(path.join(local, f), old, old);
    const remote = remoteDir(sshd, `full-${n++}`);
    const run = await runCli(args(local, remote, ['--json']));
    assert.equal(run.status, 0, run.stderr);
    const result = JSON.parse(run.stdout.trim()) as { batchId: string; remotePath: string; files: number; bytes: number; seconds: number; receipt: string };
    assert.deepEqual(Object.keys(result).sort(), ['batchId', 'bytes', 'files', 'receipt', 'remotePath', 'seconds']);
    assert.match(result.batchId, BATCH_ID);
    assert.equal(result.files, 16);
    assert.deepEqual(batchesIn(remote), [result.batchId]);

    const folder = path.join(remote, result.batchId);
    const sent = checksums(folder);
    assert.equal(statSync(path.join(folder, 'DONE')).size, 0);
    sent.delete('DONE');
    assert.deepEqual([...sent.entries()].sort(), [...checksums(local).entries()].sort());
    for (const f of sent.keys()) assert.ok(statSync(path.join(folder, f)).mtime.getUTCFullYear() > 2001, `${f} kept the local mtime`);

    // The server's own log: every file closed before DONE was opened, nothing opened after it,
    // no append, and no times or modes set.
    const lines = sshd.sftpLog().split('\n').filter((l) => l.includes(folder));
    const doneOpen = lines.findIndex((l) => l.startsWith('open ') && l.includes(`${folder}/DONE"`));
    assert.ok(doneOpen > 0, 'DONE was opened');
    const lastOtherClose = lines.map((l, i) => (l.startsWith('close ') && !l.includes('/DONE"') ? i : -1)).reduce((a, b) => Math.max(a, b), -1);
    assert.ok(lastOtherClose >= 0 && lastOtherClose < doneOpen, 'every other file was closed before DONE was opened');
    assert.equal(lines.slice(doneOpen + 1).filter((l) => l.startsWith('open ')).length, 0);
    assert.equal(lines.filter((l) => l.startsWith('set ')).length, 0, 'no times or modes set');
    assert.equal(lines.filter((l) => l.startsWith('open ') && /APPEND/.test(l)).length, 0, 'nothing appended');
    assert.equal(lines.filter((l) => l.startsWith('close ')).length, 17);
  });

  it('ends with no DONE when the connection keeps dropping, and --resume completes the batch byte-identical', async () => {
    const local = batch(10, 150_000);
    const remote = remoteDir(sshd, `cut-${n++}`);
    const proxy = await startProxy({ targetPort: sshd.port, cutAfterBytes: 1_200_000 });
    try {
      const run = await runCli(args(local, remote, ['--retries', '1', '--connections', '1'], proxy.port));
      assert.equal(run.status, 3, run.stderr);
      assert.equal(proxy.cuts(), 2, 'the first connection and its one retry were cut');
      const [id] = batchesIn(remote);
      assert.ok(id, 'the batch folder was made');
      assert.equal(existsSync(path.join(remote, id, 'DONE')), false);
      assert.match(run.stderr, /No DONE was written/);
      const resume = /jumio-batch upload .* --resume ([0-9a-f-]{36})/.exec(run.stderr);
      assert.ok(resume, `stderr names the resume command:\n${run.stderr}`);
      assert.equal(resume[1], id);
      assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');

      const again = await runCli(args(local, remote, ['--resume', id, '--json']));
      assert.equal(again.status, 0, again.stderr);
      assert.equal(JSON.parse(again.stdout).batchId, id);
      const sent = checksums(path.join(remote, id));
      assert.equal(sent.get('DONE'), checksums(path.join(remote, id)).get('DONE'));
      sent.delete('DONE');
      assert.deepEqual([...sent.entries()].sort(), [...checksums(local).entries()].sort());
      assert.equal(batchesIn(remote).length, 1);

      const twice = await runCli(args(local, remote, ['--resume', id]));
      assert.equal(twice.status, 3);
      assert.match(twice.stderr, /already holds DONE/);
    } finally {
      await proxy.close();
    }
  });

  it('retries a dropped connection on a fresh one and completes the batch', async () => {
    const local = batch(10, 150_000);
    const remote = remoteDir(sshd, `retry-${n++}`);
    const proxy = await startProxy({ targetPort: sshd.port, cutAfterBytes: 1_200_000, cutConnections: 1 });
    try {
      const run = await runCli(args(local, remote, ['--json'], proxy.port));
      assert.equal(run.status, 0, run.stderr);
      assert.equal(proxy.cuts(), 1);
      assert.ok(proxy.connections() >= 2);
      const id = JSON.parse(run.stdout).batchId as string;
      const sent = checksums(path.join(remote, id));
      sent.delete('DONE');
      assert.deepEqual([...sent.entries()].sort(), [...checksums(local).entries()].sort());
    } finally {
      await proxy.close();
    }
  });

  it('refuses an unknown host key with its fingerprint, and records it with --accept-new-host-key', async () => {
    const local = batch(1);
    const remote = remoteDir(sshd, `hostkey-${n++}`);
    const empty = path.join(sshd.dir, `known_hosts_empty_${n}`);
    writeFileSync(empty, '');
    const base = args(local, remote).filter((a, i, all) => a !== sshd.knownHosts && all[i + 1] !== sshd.knownHosts);
    const refused = await runCli([...base, '--known-hosts', empty]);
    assert.equal(refused.status, 3);
    assert.ok(refused.stderr.includes(sshd.hostKeyFingerprint), refused.stderr);
    assert.match(refused.stderr, /--accept-new-host-key/);
    assert.deepEqual(batchesIn(remote), []);

    const accepted = await runCli([...base, '--known-hosts', empty, '--accept-new-host-key']);
    assert.equal(accepted.status, 0, accepted.stderr);
    assert.match(readFileSync(empty, 'utf8'), new RegExp(`^\\[127\\.0\\.0\\.1\\]:${sshd.port} ssh-ed25519 `));
    const known = await runCli([...base, '--known-hosts', empty, '--again']);
    assert.equal(known.status, 0, known.stderr);
  });

  it('always refuses a changed host key, even with --accept-new-host-key', async () => {
    const local = batch(1);
    const remote = remoteDir(sshd, `changed-${n++}`);
    const other = keygen(path.join(sshd.dir, `other_host_key_${n}`));
    const changed = path.join(sshd.dir, `known_hosts_changed_${n}`);
    const pub = readFileSync(`${other}.pub`, 'utf8').trim().split(' ');
    writeFileSync(changed, `[127.0.0.1]:${sshd.port} ${pub[0]} ${pub[1]}\n`);
    const base = args(local, remote).filter((a, i, all) => a !== sshd.knownHosts && all[i + 1] !== sshd.knownHosts);
    for (const extra of [[], ['--accept-new-host-key']]) {
      const run = await runCli([...base, '--known-hosts', changed, ...extra]);
      assert.equal(run.status, 3);
      assert.match(run.stderr, /changed/i);
      assert.ok(run.stderr.includes(sshd.hostKeyFingerprint));
    }
    assert.deepEqual(batchesIn(remote), []);
  });

  it('accepts a pinned fingerprint and refuses a wrong one', async () => {
    const local = batch(1);
    const remote = remoteDir(sshd, `pin-${n++}`);
    const base = args(local, remote).filter((a) => a !== sshd.knownHosts && a !== '--known-hosts');
    const ok = await runCli([...base, '--host-key-fingerprint', sshd.hostKeyFingerprint]);
    assert.equal(ok.status, 0, ok.stderr);
    const wrong = await runCli([...base, '--host-key-fingerprint', 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', '--again']);
    assert.equal(wrong.status, 3);
    assert.equal(batchesIn(remote).length, 1);
  });

  it('gives a clear authentication error for a wrong client key', async () => {
    const local = batch(1);
    const remote = remoteDir(sshd, `auth-${n++}`);
    const stranger = keygen(path.join(sshd.dir, `stranger_${n}`));
    const run = await runCli(args(local, remote).map((a) => (a === sshd.clientKey ? stranger : a)));
    assert.equal(run.status, 3);
    assert.match(run.stderr, /refused to log in/);
    assert.match(run.stderr, /Nothing was submitted/);
    assert.doesNotMatch(run.stderr, /\n\s+at /);
    assert.deepEqual(batchesIn(remote), []);
  });

  it('gives a clear error for a remote folder without write permission', async () => {
    const local = batch(1);
    const remote = remoteDir(sshd, `readonly-${n++}`, 0o555);
    // As root the test still owns nothing there: the login user is unprivileged.
    const run = await runCli(args(local, remote));
    assert.equal(run.status, 3);
    assert.match(run.stderr, /permission denied/);
    assert.deepEqual(batchesIn(remote), []);
  });

  it('sends nothing, and does not connect, when the batch has lint errors', async () => {
    const remote = remoteDir(sshd, `lint-${n++}`);
    const logins = (): number => (sshd.log().match(/Accepted publickey/g) ?? []).length;
    const before = logins();
    const run = await runCli(args(path.join(__dirname, '../../../examples/broken-batch'), remote));
    assert.equal(run.status, 1);
    assert.match(run.stderr, /nothing was sent/);
    assert.match(run.stderr, /error forbidden-character/);
    assert.equal(logins(), before);
    assert.deepEqual(readdirSync(remote), []);
  });

  it('--dry-run lints, connects and checks the remote folder, and writes nothing', async () => {
    const local = batch(2);
    const remote = remoteDir(sshd, `dry-${n++}`);
    const run = await runCli(args(local, remote, ['--dry-run']));
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /Dry run: nothing was written/);
    assert.match(run.stdout, /7 \(input\.csv \+ 6 images in 2 sub-folders\)/);
    assert.deepEqual(readdirSync(remote), []);
    const missing = await runCli(args(local, `${remote}/nope`, ['--dry-run']));
    assert.equal(missing.status, 3);
    assert.match(missing.stderr, /does not exist/);
  });

  it('stops promptly on SIGINT (Ctrl-C) with no DONE, and prints the resume command', async () => {
    const local = batch(60, 120_000);
    const remote = remoteDir(sshd, `sigint-${n++}`);
    // A delay proxy keeps the upload running long enough to interrupt it mid-way.
    const proxy = await startProxy({ targetPort: sshd.port, delayMs: 20 });
    try {
      let interruptedAt = 0;
      const run = await runCli(args(local, remote, ['--concurrency', '2'], proxy.port), {
        onStart: (child) => {
          void whenBatchAppears(remote).then(() => { interruptedAt = Date.now(); child.kill('SIGINT'); });
        },
      });
      assert.ok(interruptedAt > 0, 'the batch folder appeared and SIGINT was sent');
      assert.ok(Date.now() - interruptedAt < 5_000, `stopped within 5 s of Ctrl-C (took ${Date.now() - interruptedAt} ms)`);
      assert.equal(run.status, 130, run.stderr);
      const [id] = batchesIn(remote);
      assert.equal(existsSync(path.join(remote, id, 'DONE')), false);
      assert.match(run.stderr, new RegExp(`--resume ${id}`));
    } finally {
      await proxy.close();
    }
  });
});
