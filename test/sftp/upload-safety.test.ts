import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { UploadHooks, UploadRequest, runUpload } from '../../src/node/upload/service';
import { checksums, runCli } from '../helpers/batch';
import { uploadFailure as failure } from '../helpers/failure';
import { startProxy } from '../helpers/proxy';
import { Sshd, batchesIn, remoteDir, sshdSuite } from '../helpers/sshd';

// What issue 9 promises of an upload, shown against a real OpenSSH sshd: what is sent is what was
// linted, DONE never goes up mid-batch, a resume re-sends what changed, every upload leaves a
// receipt, and one folder is one batch unless the user says otherwise.

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

describe('upload safety against a real OpenSSH sshd', function () {
  this.timeout(120_000);
  const suite = sshdSuite();
  const batch = suite.batch;
  let sshd: Sshd;
  let n = 0;
  before(() => { sshd = suite.sshd(); });

  function request(folder: string, remote: string, extra: Partial<UploadRequest> = {}): UploadRequest {
    return {
      folder, host: '127.0.0.1', port: sshd.port, user: sshd.user, identity: sshd.clientKey, knownHostsPath: sshd.knownHosts,
      remoteDir: remote, env: {}, retries: 0, ...extra,
    };
  }

  function cliArgs(folder: string, remote: string, extra: string[] = [], port = sshd.port): string[] {
    const trust = port === sshd.port ? ['--known-hosts', sshd.knownHosts] : ['--host-key-fingerprint', sshd.hostKeyFingerprint];
    return ['upload', folder, '--host', '127.0.0.1', '--port', String(port), '--user', sshd.user, '--identity', sshd.clientKey, ...trust, '--remote-dir', remote, ...extra];
  }

  it('refuses an image reference named DONE (the portal tells users to make that file): nothing is sent', async () => {
    const local = batch(2);
    writeFileSync(path.join(local, 'DONE'), '');
    const csv = path.join(local, 'input.csv');
    writeFileSync(csv, readFileSync(csv, 'utf8').replace('img/1.face.png', 'DONE'));
    const remote = remoteDir(sshd, `reserved-${n++}`);
    const run = await runCli(cliArgs(local, remote));
    assert.notEqual(run.status, 0, run.stderr);
    assert.match(run.stderr, /image-reserved-name|reserved name DONE/);
    assert.deepEqual(batchesIn(remote), [], 'no batch folder, so no DONE mid-batch');
  });

  it('stops at a file replaced by a link after the lint (same size, pointing at a secret): not a byte of it is sent, no DONE', async () => {
    const local = batch(6, 40_000);
    const secret = path.join(local, '..', `secret-${n}.key`);
    suite.keep(secret);
    const victim = path.join(local, 'img', '5.face.png');
    writeFileSync(secret, Buffer.alloc(readFileSync(victim).length, 0x53));
    const remote = remoteDir(sshd, `swap-${n++}`);
    let swapped = false;
    const hooks: UploadHooks = {
      onProgress: (p) => {
        if (!swapped && p.phase === 'uploading' && p.filesDone >= 1) {
          swapped = true;
          rmSync(victim);
          symlinkSync(secret, victim);
        }
      },
    };
    const e = await failure(runUpload(request(local, remote, { concurrency: 1 }), hooks));
    assert.ok(swapped, 'the file was swapped mid-upload');
    assert.equal(e.reason, 'changed-since-lint');
    assert.equal(e.file, 'img/5.face.png');
    assert.doesNotMatch(e.message, /5\.face/, 'the message (it reaches logs) names no file');
    const [id] = batchesIn(remote);
    assert.equal(existsSync(path.join(remote, id, 'DONE')), false);
    const secretHash = sha256(secret);
    for (const [, hash] of checksums(path.join(remote, id))) assert.notEqual(hash, secretHash, 'the secret never reached the server');
    assert.equal(existsSync(path.join(remote, id, 'img', '5.face.png')), false, 'its remote file was never even created');
  });

  it('stops at a file swapped for another file of the same size (a rename over it)', async () => {
    const local = batch(4, 30_000);
    const victim = path.join(local, 'img', 'ids', '3.front.png');
    const remote = remoteDir(sshd, `rename-${n++}`);
    let swapped = false;
    const e = await failure(runUpload(request(local, remote, { concurrency: 1 }), {
      onProgress: (p) => {
        if (!swapped && p.phase === 'uploading' && p.filesDone >= 1) {
          swapped = true;
          const other = `${victim}.new`;
          writeFileSync(other, Buffer.alloc(readFileSync(victim).length, 1));
          renameSync(other, victim);
        }
      },
    }));
    assert.equal(e.reason, 'changed-since-lint');
    assert.equal(e.file, 'img/ids/3.front.png');
    assert.equal(existsSync(path.join(remote, batchesIn(remote)[0], 'DONE')), false);
  });

  it('writes a receipt: ids, server, host key, times, the tool, and the SHA-256 of every file as it arrived', async () => {
    const local = batch(3);
    const remote = remoteDir(sshd, `receipt-${n++}`);
    const run = await runCli(cliArgs(local, remote, ['--json']));
    assert.equal(run.status, 0, run.stderr);
    const out = JSON.parse(run.stdout) as { batchId: string; receipt: string };
    assert.equal(out.receipt, path.join(local, '.jumio-batch', `${out.batchId}.json`));
    const r = JSON.parse(readFileSync(out.receipt, 'utf8'));
    assert.equal(r.batchId, out.batchId);
    assert.equal(r.remotePath, path.join(remote, out.batchId));
    assert.equal(r.host, '127.0.0.1');
    assert.equal(r.port, sshd.port);
    assert.equal(r.user, sshd.user);
    assert.equal(r.hostKey, sshd.hostKeyFingerprint);
    assert.equal(r.status, 'sent');
    assert.equal(r.tool.name, 'jumio-batch');
    assert.match(r.tool.version, /^\d+\.\d+\.\d+/);
    assert.ok(Date.parse(r.startedAt) <= Date.parse(r.finishedAt));
    const onServer = checksums(path.join(remote, out.batchId));
    onServer.delete('DONE');
    assert.deepEqual(new Map(r.files.map((f: { path: string; sha256: string }) => [f.path, f.sha256])), onServer, 'the hashes are those of the server\'s files');
    for (const f of r.files) assert.equal(f.bytes, readFileSync(path.join(local, f.path)).length);
    // The receipt stays local: it is not in the batch on the server, and the lint ignores it.
    assert.equal(existsSync(path.join(remote, out.batchId, '.jumio-batch')), false);
    const lint = await runCli(['lint', local, '--format', 'json']);
    assert.equal(lint.status, 0, lint.stdout);
    assert.doesNotMatch(lint.stdout, /jumio-batch\//);

    const elsewhere = path.join(remoteDir(sshd, `receipt-out-${n++}`), 'r.json');
    const again = await runCli(cliArgs(local, remote, ['--json', '--again', '--receipt', elsewhere]));
    assert.equal(again.status, 0, again.stderr);
    assert.equal(JSON.parse(again.stdout).receipt, elsewhere);
    assert.equal(JSON.parse(readFileSync(elsewhere, 'utf8')).batchId, JSON.parse(again.stdout).batchId);
  });

  it('refuses to send the same input.csv twice unless told (--again), because Jumio would process the rows again', async () => {
    const local = batch(2);
    const remote = remoteDir(sshd, `twice-${n++}`);
    const first = await runCli(cliArgs(local, remote, ['--json']));
    assert.equal(first.status, 0, first.stderr);
    const id = JSON.parse(first.stdout).batchId as string;
    const second = await runCli(cliArgs(local, remote));
    assert.equal(second.status, 4, second.stderr);
    assert.match(second.stderr, new RegExp(`already sent as batch ${id}`));
    assert.match(second.stderr, /--again/);
    assert.deepEqual(batchesIn(remote), [id], 'no second batch');
    const forced = await runCli(cliArgs(local, remote, ['--again', '--json']));
    assert.equal(forced.status, 0, forced.stderr);
    assert.equal(batchesIn(remote).length, 2);
    // An edited input.csv is another batch: no refusal.
    const csv = path.join(local, 'input.csv');
    writeFileSync(csv, readFileSync(csv, 'utf8').replace('ref-1', 'ref-9'));
    const edited = await runCli(cliArgs(local, remote));
    assert.equal(edited.status, 0, edited.stderr);
  });

  it('resume re-sends an input.csv edited to the same size after it arrived, so DONE never lands on the old one', async () => {
    const local = batch(8, 20_000);
    const remote = remoteDir(sshd, `resume-edit-${n++}`);
    const controller = new AbortController();
    const e = await failure(runUpload(request(local, remote, { concurrency: 1 }), {
      signal: controller.signal,
      onProgress: (p) => { if (p.phase === 'uploading' && p.filesDone >= 2) controller.abort(); },
    }));
    assert.equal(e.reason, 'cancelled');
    const id = e.batchId as string;
    const csv = path.join(local, 'input.csv');
    const sentCsv = path.join(remote, id, 'input.csv');
    assert.equal(readFileSync(sentCsv, 'utf8'), readFileSync(csv, 'utf8'), 'input.csv arrived before the cut');
    const before = readFileSync(csv, 'utf8');
    const edited = before.replace('2022-07-20T17:20:35.000Z', '2022-07-21T17:20:35.000Z');
    assert.notEqual(edited, before);
    assert.equal(edited.length, before.length);
    writeFileSync(csv, edited);

    const done = await runUpload(request(local, remote, { resume: id }));
    assert.equal(done.batchId, id);
    assert.equal(readFileSync(sentCsv, 'utf8'), edited, 'the edited input.csv was sent again');
    assert.ok(existsSync(path.join(remote, id, 'DONE')));
    const sent = checksums(path.join(remote, id));
    sent.delete('DONE');
    assert.deepEqual([...sent].sort(), [...checksums(local)].sort());
    const receipt = JSON.parse(readFileSync(done.receiptPath, 'utf8'));
    assert.equal(receipt.files.find((f: { path: string }) => f.path === 'input.csv').sha256, sha256(csv));
  });

  it('refuses DONE on resume while the remote batch folder holds a file that is not in the plan', async () => {
    const local = batch(3);
    const remote = remoteDir(sshd, `resume-extra-${n++}`);
    const controller = new AbortController();
    const e = await failure(runUpload(request(local, remote, { concurrency: 1 }), {
      signal: controller.signal,
      onProgress: (p) => { if (p.phase === 'uploading' && p.filesDone >= 1) controller.abort(); },
    }));
    const id = e.batchId as string;
    // An image removed from the batch after its first attempt: it is still on the server.
    const csv = path.join(local, 'input.csv');
    writeFileSync(csv, readFileSync(csv, 'utf8').split('\n').filter((l) => !l.includes('ref-2')).join('\n'));
    const uploadedImage = path.join(remote, id, 'img', '2.face.png');
    writeFileSync(uploadedImage, readFileSync(path.join(local, 'img', '2.face.png')));
    const stale = await failure(runUpload(request(local, remote, { resume: id })));
    assert.equal(stale.reason, 'remote-unexpected');
    assert.equal(existsSync(path.join(remote, id, 'DONE')), false);
  });

  it('lets one upload of a folder run at a time: a second one, from another process, is refused (locked)', async () => {
    const local = batch(30, 60_000);
    const remote = remoteDir(sshd, `locked-${n++}`);
    const proxy = await startProxy({ targetPort: sshd.port, delayMs: 30 });
    try {
      let second: Awaited<ReturnType<typeof runCli>> | undefined;
      const first = runCli(cliArgs(local, remote, ['--concurrency', '2', '--json'], proxy.port), {
        onStart: () => undefined,
      });
      // Once the first one holds the lock (its batch folder exists), start the second.
      for (let i = 0; i < 400 && batchesIn(remote).length === 0; i++) await new Promise((r) => setTimeout(r, 25));
      assert.equal(batchesIn(remote).length, 1, 'the first upload started');
      second = await runCli(cliArgs(local, remote, ['--again'], proxy.port));
      const one = await first;
      assert.equal(one.status, 0, one.stderr);
      assert.equal(second.status, 4, second.stderr);
      assert.match(second.stderr, /another upload of this batch folder is running/);
      const batches = batchesIn(remote);
      assert.equal(batches.length, 1, 'one batch');
      assert.ok(existsSync(path.join(remote, batches[0], 'DONE')));
      assert.equal(existsSync(path.join(local, '.jumio-batch', 'upload.lock')), false, 'the lock is released');
    } finally {
      await proxy.close();
    }
  });

  it('takes over the lock a dead process left behind', async () => {
    const local = batch(1);
    const remote = remoteDir(sshd, `stale-${n++}`);
    const lockDir = path.join(local, '.jumio-batch');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(lockDir, { recursive: true });
    // A pid far above any that runs: the process that held it is gone.
    writeFileSync(path.join(lockDir, 'upload.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, hostname: (await import('node:os')).hostname(), since: '2026-01-01T00:00:00.000Z' }));
    const run = await runCli(cliArgs(local, remote));
    assert.equal(run.status, 0, run.stderr);
  });
});
