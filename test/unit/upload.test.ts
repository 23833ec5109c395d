import * as assert from 'node:assert/strict';
import {
  LocalSource, UploadError, UploadFile, UploadOptions, UploadProgress, UploadResult, uploadBatch,
} from '../../src/core';
import { uploadFailure as failure } from '../helpers/failure';
import { FakeClock, FakeSftpServer, settledPromptly } from '../helpers/fakeSftp';

// The upload engine against an in-memory SFTP server (test/helpers/fakeSftp.ts): every run is
// deterministic (no timers, no real sleeps), and the server's operation log lets the tests check
// what happened in which order. The guarantee under test: DONE is written once, empty, last and
// alone, only after every file was verified whole; otherwise never.

/** A valid lower-case UUID v4, made from a number. */
function uuid(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

const ID = uuid(0xc0ffee);
const ROOT = `uploads/${ID}`;

/** A small batch with sub-folders two deep; sizes differ so that none is a multiple of a chunk. */
const FILES: UploadFile[] = [
  { path: 'input.csv', size: 30 },
  { path: 'img/0.face.png', size: 41 },
  { path: 'img/ids/0.front.png', size: 52 },
  { path: 'img/ids/0.back.png', size: 47 },
  { path: 'img/1.face.png', size: 33 },
  { path: 'img/ids/1.front.png', size: 60 },
  { path: 'img/ids/1.back.png', size: 25 },
];
const FILES_BYTES = FILES.reduce((n, f) => n + f.size, 0);

function manyFiles(n: number): UploadFile[] {
  return Array.from({ length: n }, (_, i) => ({ path: `img/${i}.png`, size: 20 + (i % 7) * 3 }));
}

/** A planned file as an in-memory source of `size` bytes (the fake server keeps sizes only). */
function memorySource(f: UploadFile): LocalSource {
  let offset = 0;
  return {
    ...f,
    async read(max) {
      const n = Math.min(max, f.size - offset);
      offset += n;
      return new Uint8Array(n);
    },
    digest: async () => (offset === f.size ? `sha256-of-${f.path}` : undefined),
    async close() { /* nothing to release */ },
  };
}

function harness(over: Partial<UploadOptions> = {}) {
  const server = new FakeSftpServer();
  server.mkdirp('uploads');
  const clock = new FakeClock();
  const backoffs: number[] = [];
  const progress: UploadProgress[] = [];
  const options: UploadOptions = {
    remoteDir: 'uploads',
    newBatchId: () => ID,
    concurrency: 3,
    retries: 3,
    backoffMs: (attempt) => { backoffs.push(attempt); return 1000 * attempt; },
    sleep: clock.sleep,
    now: clock.now,
    onProgress: (p) => progress.push(p),
    open: async (f) => memorySource(f),
    ...over,
  };
  const upload = (files: UploadFile[] = FILES): Promise<UploadResult> => uploadBatch(files, server.transport(), options);
  return { server, clock, backoffs, progress, options, upload };
}

function assertNoDone(server: FakeSftpServer, root = ROOT): void {
  assert.deepEqual(server.ops('putEmpty'), [], 'no DONE was written');
  assert.equal(server.stat(`${root}/DONE`), undefined);
}

/** Every file is on the server at its local size. */
function assertAllWhole(server: FakeSftpServer, files: UploadFile[] = FILES, root = ROOT): void {
  for (const f of files) assert.equal(server.stat(`${root}/${f.path}`), f.size, f.path);
}

/**
 * DONE: one putEmpty, empty, written when no put was in flight and after every put ended and the
 * batch folder was listed; the connection was closed right after, and nothing else happened.
 */
function assertDoneLastAndAlone(server: FakeSftpServer, root = ROOT): void {
  const done = server.ops('putEmpty');
  assert.equal(done.length, 1, 'DONE written exactly once');
  assert.equal(done[0].path, `${root}/DONE`);
  assert.equal(done[0].error, undefined);
  assert.equal(server.stat(`${root}/DONE`), 0, 'DONE is empty');
  assert.equal(done[0].putsInFlight, 0, 'no put in flight as DONE was written');
  const lastPutEnd = Math.max(...server.ops('put-end').map((e) => e.seq));
  assert.ok(lastPutEnd < done[0].seq, 'every put ended before DONE');
  assert.ok(server.ops('list').some((e) => e.path === root && e.seq > lastPutEnd && e.seq < done[0].seq), 'the sizes were listed after the last put, before DONE');
  assert.deepEqual(server.log.slice(done[0].seq + 1).map((e) => e.op), ['close'], 'nothing but closing the connection after DONE');
}

/**
 * Progress split into rounds: a round starts where the engine (re)reads the server, its first
 * 'uploading' report, and runs up to the next round's first one. Reports before the first round
 * (connecting, creating) carry no counts yet.
 */
function rounds(events: UploadProgress[]): UploadProgress[][] {
  const out: UploadProgress[][] = [];
  events.forEach((p, i) => {
    if (p.phase === 'uploading' && (i === 0 || events[i - 1].phase !== 'uploading')) out.push([]);
    out.at(-1)?.push(p);
  });
  return out;
}

function assertProgressNeverGoesBack(events: UploadProgress[]): void {
  for (const p of events) {
    assert.ok(p.filesDone <= p.filesTotal && p.bytesDone <= p.bytesTotal, `within the totals: ${JSON.stringify(p)}`);
    assert.ok(p.filesDone >= 0 && p.bytesDone >= 0);
  }
  rounds(events).forEach((round, r) => {
    for (let i = 1; i < round.length; i++) {
      const [a, b] = [round[i - 1], round[i]];
      assert.ok(b.filesDone >= a.filesDone, `round ${r}: filesDone went back from ${a.filesDone} (${a.phase}) to ${b.filesDone} (${b.phase})`);
      assert.ok(b.bytesDone >= a.bytesDone, `round ${r}: bytesDone went back from ${a.bytesDone} (${a.phase}) to ${b.bytesDone} (${b.phase})`);
    }
  });
}

describe('uploadBatch', () => {
  describe('a new batch', () => {
    it('creates <remoteDir>/<new id>, sends every file whole and says what it sent', async () => {
      const h = harness();
      const result = await h.upload();
      assert.deepEqual(result, {
        batchId: ID, remotePath: ROOT, files: FILES.length, bytes: FILES_BYTES, skipped: 0, retries: 0, seconds: 0,
        sent: FILES.map((f) => ({ path: f.path, bytes: f.size, sha256: `sha256-of-${f.path}` })),
      });
      assertAllWhole(h.server);
      assert.deepEqual(h.server.tree(ROOT), ['DONE', 'img', 'img/0.face.png', 'img/1.face.png', 'img/ids', 'img/ids/0.back.png',
        'img/ids/0.front.png', 'img/ids/1.back.png', 'img/ids/1.front.png', 'input.csv']);
      assert.equal(h.server.ops('put-start').length, FILES.length, 'each file sent once');
      assert.equal(h.server.connects, 1);
      assert.equal(h.server.openConnections, 0, 'the connection is closed');
    });

    it('writes DONE exactly once, empty, after every put ended and the sizes were listed, and does nothing after it', async () => {
      const h = harness();
      await h.upload();
      assertDoneLastAndAlone(h.server);
    });

    it('creates each sub-folder before any file in it, parents first', async () => {
      const h = harness();
      await h.upload();
      const made = new Map(h.server.ops('mkdir').map((e) => [e.path, e.seq]));
      assert.deepEqual([...made.keys()], [ROOT, `${ROOT}/img`, `${ROOT}/img/ids`]);
      for (const put of h.server.ops('put-start')) {
        const folder = put.path.slice(0, put.path.lastIndexOf('/'));
        assert.ok((made.get(folder) ?? Infinity) < put.seq, `${folder} was made before ${put.path} was sent`);
      }
    });

    for (const remoteDir of ['', '.']) {
      it(`puts the batch folder straight in the login folder when remoteDir is "${remoteDir}"`, async () => {
        const h = harness({ remoteDir });
        const result = await h.upload();
        assert.equal(result.remotePath, ID);
        assert.equal(h.server.ops('mkdir')[0].path, ID);
        assertAllWhole(h.server, FILES, ID);
        assertDoneLastAndAlone(h.server, ID);
      });
    }

    it('joins a remoteDir that ends in a slash without doubling it', async () => {
      const h = harness({ remoteDir: 'uploads/' });
      const result = await h.upload();
      assert.equal(result.remotePath, ROOT);
      assertDoneLastAndAlone(h.server);
    });

    it('refuses a new batch whose folder already exists (reason remote-exists), names no batch, and writes nothing', async () => {
      const h = harness();
      h.server.addFile(`${ROOT}/input.csv`, 5);
      const before = h.server.tree(ROOT);
      const e = await failure(h.upload());
      assert.equal(e.reason, 'remote-exists');
      assert.equal(e.batchId, undefined, 'the folder is someone else\'s: nothing to resume');
      assert.deepEqual(h.server.ops('mkdir').map((m) => [m.path, m.error]), [[ROOT, 'exists']]);
      assert.deepEqual(h.server.ops('put-start', 'putEmpty'), []);
      assert.deepEqual(h.server.tree(ROOT), before);
      assert.equal(h.server.connects, 1, 'not retried');
    });

    it('gives up at once on a permission refusal: no retry, no back-off, no DONE', async () => {
      for (const where of ['sub-folder', 'file'] as const) {
        const h = harness();
        if (where === 'sub-folder') h.server.faults.refuseMkdir = (p) => (p === `${ROOT}/img/ids` ? 'permission' : undefined);
        else h.server.faults.failPut = (p) => (p.endsWith('/0.face.png') ? { kind: 'permission', afterBytes: 0 } : undefined);
        const e = await failure(h.upload());
        assert.equal(e.reason, 'permission', where);
        assert.equal(e.batchId, ID, `${where}: the batch folder exists, so the error names it`);
        assert.equal(h.server.connects, 1, where);
        assert.deepEqual(h.backoffs, [], where);
        assert.deepEqual(h.clock.sleeps, [], where);
        assertNoDone(h.server);
      }
    });

    it('names no batch to resume when the server refused to create the batch folder', async () => {
      const h = harness();
      h.server.faults.refuseMkdir = (p) => (p === ROOT ? 'permission' : undefined);
      const e = await failure(h.upload());
      assert.equal(e.reason, 'permission');
      assert.equal(e.batchId, undefined, 'the folder was never made: there is nothing to resume');
      assert.equal(h.server.stat(ROOT), undefined);
      assert.equal(h.server.connects, 1);
    });
  });

  describe('concurrency', () => {
    for (const concurrency of [1, 2, 5]) {
      it(`never has more than ${concurrency} put(s) in flight, and reaches ${concurrency} with enough files`, async () => {
        const h = harness({ concurrency });
        const files = manyFiles(20);
        await h.upload(files);
        assert.equal(h.server.maxInFlightPuts, concurrency);
        assertAllWhole(h.server, files);
        assertDoneLastAndAlone(h.server);
      });
    }

    it('sends one file at a time with concurrency 1: each put starts after the previous one ended', async () => {
      const h = harness({ concurrency: 1 });
      await h.upload();
      const puts = h.server.ops('put-start', 'put-end').map((e) => e.op);
      assert.deepEqual(puts, FILES.flatMap(() => ['put-start', 'put-end']));
    });

    it('starts no more puts at once than there are files', async () => {
      const h = harness({ concurrency: 10 });
      await h.upload(FILES.slice(0, 3));
      assert.equal(h.server.maxInFlightPuts, 3);
    });
  });

  describe('a lost connection', () => {
    it('retries on a fresh connection after a drop mid-way and completes, re-sending only the files that were not whole', async () => {
      const h = harness();
      h.server.faults.dropAfterPuts = (conn) => (conn === 1 ? 3 : undefined);
      const result = await h.upload();

      const drop = h.server.ops('drop');
      assert.equal(drop.length, 1);
      assert.ok(drop[0].putsInFlight > 0, 'puts were in flight when the connection dropped');
      const wholeOnFirst = h.server.ops('put-end').filter((e) => e.conn === 1).map((e) => e.path);
      assert.equal(wholeOnFirst.length, 3);
      const resent = h.server.putsStarted(2);
      assert.deepEqual(resent.filter((p) => wholeOnFirst.includes(p)), [], 'files that arrived whole are not sent again');
      assert.deepEqual([...resent, ...wholeOnFirst].sort(), FILES.map((f) => `${ROOT}/${f.path}`).sort(), 'every other file is sent on the new connection');
      assert.equal(new Set(resent).size, resent.length, 'each of them once');

      assert.equal(h.server.connects, 2);
      assert.deepEqual(h.backoffs, [1]);
      assert.deepEqual(h.clock.sleeps, [1000]);
      assert.equal(result.retries, 1);
      assert.equal(result.skipped, 0, 'skipped counts files found whole when resuming, not on a retry');
      assertAllWhole(h.server);
      assertDoneLastAndAlone(h.server);
      assert.equal(h.server.ops('putEmpty')[0].conn, 2);
    });

    it('backs off with attempt 1, 2, … through the injected sleep before each retry', async () => {
      const h = harness({ retries: 4 });
      h.server.faults.dropAfterPuts = (conn) => (conn <= 2 ? 2 : undefined);
      const result = await h.upload();
      assert.deepEqual(h.backoffs, [1, 2]);
      assert.deepEqual(h.clock.sleeps, [1000, 2000]);
      assert.equal(h.clock.slept, 2);
      assert.equal(result.retries, 2);
      assert.equal(result.seconds, 3, 'time comes from the injected clock');
      assert.equal(h.server.connects, 3);
      assertAllWhole(h.server);
      assertDoneLastAndAlone(h.server);
    });

    it('gives up after `retries` fresh connections when every one drops: UploadError with the batch id, no DONE', async () => {
      const h = harness({ retries: 2, concurrency: 2 });
      h.server.faults.dropAfterPuts = () => 1;
      const e = await failure(h.upload());
      assert.equal(e.reason, 'connection');
      assert.equal(e.batchId, ID);
      assert.equal(e.remotePath, ROOT);
      assert.equal(h.server.connects, 3, 'the first connection and 2 retries');
      assert.deepEqual(h.backoffs, [1, 2]);
      assertNoDone(h.server);
      assert.equal(h.server.stat(ROOT), 'dir', 'the incomplete batch stays for a resume');
      assert.equal(h.server.openConnections, 0);
    });

    it('retries a refused connect, and names no batch when no folder was ever made', async () => {
      const h = harness({ retries: 2 });
      h.server.faults.refuseConnect = () => true;
      const e = await failure(h.upload());
      assert.equal(e.reason, 'connection');
      assert.equal(e.batchId, undefined);
      assert.equal(h.server.connects, 3);
      assert.deepEqual(h.backoffs, [1, 2]);
      assert.deepEqual(h.server.ops('mkdir'), []);
    });

    it('creates the batch on the next connection when the first connect is refused', async () => {
      const h = harness();
      h.server.faults.refuseConnect = (n) => n === 1;
      const result = await h.upload();
      assert.equal(result.retries, 1);
      assert.deepEqual(h.server.ops('mkdir').map((e) => e.conn), [2, 2, 2]);
      assertAllWhole(h.server);
      assertDoneLastAndAlone(h.server);
    });

    it('takes its own batch folder for its own when the answer to its mkdir was lost', async () => {
      const h = harness();
      h.server.faults.loseAnswer = (op, p, conn) => op === 'mkdir' && p === ROOT && conn === 1;
      const result = await h.upload();
      assert.equal(result.batchId, ID);
      assert.equal(h.server.ops('mkdir').filter((e) => e.path === ROOT).length, 1, 'the folder is not made twice');
      assertAllWhole(h.server);
      assertDoneLastAndAlone(h.server);
    });

    it('writes DONE on a fresh connection when the connection drops before DONE was made, and sends nothing again', async () => {
      const h = harness();
      h.server.faults.dropBefore = (op, _p, conn) => op === 'putEmpty' && conn === 1;
      const result = await h.upload();
      assert.equal(result.retries, 1);
      assert.deepEqual(h.server.putsStarted(2), []);
      assertDoneLastAndAlone(h.server);
      assert.equal(h.server.ops('putEmpty')[0].conn, 2);
    });

    it('succeeds, without writing DONE again, when the connection drops just after DONE was written', async () => {
      const h = harness();
      h.server.faults.loseAnswer = (op, _p, conn) => op === 'putEmpty' && conn === 1;
      const result = await h.upload();
      assert.equal(result.batchId, ID);
      assert.equal(h.server.ops('putEmpty').length, 1, 'DONE written once');
      assert.equal(h.server.stat(`${ROOT}/DONE`), 0);
      assert.deepEqual(h.server.ops('put-start', 'mkdir').filter((e) => e.conn === 2), [], 'nothing is sent after DONE');
    });
  });

  describe('verification', () => {
    it('lists again on a fresh connection when the connection drops during verification, and sends nothing again', async () => {
      const h = harness();
      h.server.faults.dropBefore = (op, p, conn) => op === 'list' && p === ROOT && conn === 1;
      const result = await h.upload();
      assert.equal(result.retries, 1);
      assert.deepEqual(h.server.putsStarted(2), []);
      assertAllWhole(h.server);
      assertDoneLastAndAlone(h.server);
    });

    it('re-sends, whole, a file the server kept short although its put succeeded', async () => {
      const h = harness();
      const short = `${ROOT}/img/ids/0.front.png`;
      h.server.faults.shortPut = (p, attempt) => (p === short && attempt === 1 ? 17 : undefined);
      const result = await h.upload();
      assert.deepEqual(h.server.putsStarted().filter((p) => p === short).length, 2);
      assert.deepEqual(h.server.putsStarted(2), [short], 'only the short file is sent again');
      assert.equal(result.retries, 1);
      assertAllWhole(h.server);
      assertDoneLastAndAlone(h.server);
    });

    it('fails (reason verify) with the batch id and no DONE when a file stays short on every attempt', async () => {
      const h = harness({ retries: 2 });
      const short = `${ROOT}/input.csv`;
      h.server.faults.shortPut = (p) => (p === short ? 29 : undefined);
      const e = await failure(h.upload());
      assert.equal(e.reason, 'verify');
      assert.equal(e.batchId, ID);
      assert.equal(e.file, 'input.csv', 'the front end is told which file');
      assert.doesNotMatch(e.message, /input\.csv/, 'the message (which reaches the log) names no file');
      assert.equal(h.server.putsStarted().filter((p) => p === short).length, 3, 'tried on every connection');
      assertNoDone(h.server);
    });
  });

  describe('resume', () => {
    function halfSent(h: ReturnType<typeof harness>): void {
      h.server.addFile(`${ROOT}/input.csv`, 30); // whole
      h.server.addFile(`${ROOT}/img/0.face.png`, 12); // short
      h.server.addFile(`${ROOT}/img/1.face.png`, 33); // whole
      // img/ids is missing altogether
    }

    it('re-uses the batch folder, skips files already whole, re-sends missing and short ones, then writes DONE', async () => {
      const h = harness({ resumeBatchId: ID });
      halfSent(h);
      const result = await h.upload();
      assert.equal(result.batchId, ID);
      assert.equal(result.skipped, 2);
      assert.deepEqual(h.server.ops('mkdir').map((e) => e.path), [`${ROOT}/img/ids`], 'only the missing sub-folder is made');
      assert.deepEqual(h.server.putsStarted().sort(), ['img/0.face.png', 'img/ids/0.back.png', 'img/ids/0.front.png', 'img/ids/1.back.png', 'img/ids/1.front.png']
        .map((p) => `${ROOT}/${p}`));
      assertAllWhole(h.server);
      assertDoneLastAndAlone(h.server);
    });

    it('refuses a batch folder that already holds DONE, and writes nothing', async () => {
      const h = harness({ resumeBatchId: ID });
      halfSent(h);
      h.server.addFile(`${ROOT}/DONE`, 0);
      const before = h.server.tree(ROOT);
      const e = await failure(h.upload());
      assert.equal(e.reason, 'resume-done');
      assert.match(e.message, /DONE/);
      assert.deepEqual(h.server.ops('mkdir', 'put-start', 'putEmpty'), []);
      assert.deepEqual(h.server.tree(ROOT), before);
      assert.equal(h.server.connects, 1, 'not retried');
    });

    it('refuses a batch folder that is not on the server, and creates nothing', async () => {
      const h = harness({ resumeBatchId: ID });
      const e = await failure(h.upload());
      assert.equal(e.reason, 'resume-not-found');
      assert.deepEqual(h.server.ops('mkdir', 'put-start', 'putEmpty'), []);
      assert.deepEqual(h.server.tree('uploads'), []);
    });

    it('refuses an id that is not a lower-case UUID v4, without connecting', async () => {
      const notIds = ['', 'not-a-uuid', ID.toUpperCase(), ID.replace('-4000-', '-1000-'), ID.replace('-8000-', '-c000-'),
        `../${ID}`, `${ID}/..`, `${ID} `];
      for (const id of notIds) {
        const h = harness({ resumeBatchId: id });
        const e = await failure(h.upload());
        assert.equal(e.reason, 'resume-not-found', JSON.stringify(id));
        assert.equal(h.server.connects, 0, JSON.stringify(id));
      }
    });
  });

  describe('cancellation', () => {
    it('does not connect when the signal is already aborted', async () => {
      const ac = new AbortController();
      ac.abort();
      const h = harness({ signal: ac.signal });
      const e = await failure(h.upload());
      assert.equal(e.reason, 'cancelled');
      assert.equal(e.batchId, undefined);
      assert.deepEqual(h.server.log, []);
    });

    it('creates nothing when cancelled while connecting', async () => {
      const ac = new AbortController();
      const h = harness({ signal: ac.signal });
      h.server.onOp = (e) => { if (e.op === 'connect') ac.abort(); };
      const e = await failure(h.upload());
      assert.equal(e.reason, 'cancelled');
      assert.equal(e.batchId, undefined);
      assert.deepEqual(h.server.ops('mkdir', 'put-start', 'putEmpty'), []);
      assert.equal(h.server.stat(ROOT), undefined);
      assert.equal(h.server.openConnections, 0);
    });

    it('stops mid-upload at once: in-flight puts are cut, no new put starts, no DONE; reason cancelled with the batch id', async () => {
      const ac = new AbortController();
      const h = harness({ signal: ac.signal, concurrency: 3 });
      let abortedAt = -1;
      h.server.onOp = (e) => {
        if (e.op === 'put-end' && h.server.ops('put-end').length === 4) { abortedAt = e.seq; ac.abort(); }
      };
      const outcome = await settledPromptly(h.upload(manyFiles(20)));
      assert.ok(outcome.settled, 'the upload settled at once');
      const e = outcome.error;
      assert.ok(e instanceof UploadError && e.reason === 'cancelled', String(e));
      assert.equal(e.batchId, ID);
      const after = h.server.log.slice(abortedAt + 1);
      assert.deepEqual(after.filter((x) => x.op === 'put-start' || x.op === 'put-end' || x.op === 'list'), [], 'nothing started or ended after the abort');
      assert.equal(h.server.connects, 1);
      assert.deepEqual(h.clock.sleeps, []);
      assert.equal(h.server.openConnections, 0);
      assertNoDone(h.server);
    });

    it('stops during the back-off wait without waiting it out or reconnecting', async () => {
      const ac = new AbortController();
      const h = harness({ signal: ac.signal });
      h.clock.holdSleeps = true; // the wait would never end by itself
      h.clock.onSleep = () => ac.abort();
      h.server.faults.dropAfterPuts = () => 2;
      const outcome = await settledPromptly(h.upload());
      assert.ok(outcome.settled, 'the upload settled without the back-off ending');
      const e = outcome.error;
      assert.ok(e instanceof UploadError && e.reason === 'cancelled', String(e));
      assert.equal(e.batchId, ID);
      assert.deepEqual(h.clock.sleeps, [1000]);
      assert.equal(h.clock.slept, 0);
      assert.equal(h.server.connects, 1);
      assertNoDone(h.server);
    });

    it('writes no DONE when cancelled while the sizes are being verified', async () => {
      const ac = new AbortController();
      const h = harness({ signal: ac.signal });
      h.server.onOp = (e) => { if (e.op === 'list' && h.server.ops('put-end').length === FILES.length) ac.abort(); };
      const e = await failure(h.upload());
      assert.equal(e.reason, 'cancelled');
      assert.equal(e.batchId, ID);
      assertNoDone(h.server);
    });
  });

  describe('progress', () => {
    it('reports files and bytes that never go back and end at the totals, through the phases in order', async () => {
      const h = harness();
      await h.upload();
      assertProgressNeverGoesBack(h.progress);
      const phases = h.progress.map((p) => p.phase).filter((p, i, all) => p !== all[i - 1]);
      assert.deepEqual(phases, ['connecting', 'creating', 'uploading', 'verifying', 'finishing']);
      const last = h.progress.at(-1) as UploadProgress;
      assert.deepEqual([last.filesDone, last.filesTotal, last.bytesDone, last.bytesTotal], [FILES.length, FILES.length, FILES_BYTES, FILES_BYTES]);
      assert.ok(h.progress.every((p) => p.batchId === ID));
      assert.equal(h.progress.filter((p) => p.phase === 'uploading').length, FILES.length + 1, 'one report per file, after the first');
    });

    it('never goes back within a round when a drop forces a retry, and ends at the totals', async () => {
      const h = harness({ concurrency: 3 });
      h.server.faults.dropAfterPuts = (conn) => (conn === 1 ? 3 : undefined);
      await h.upload();
      assert.equal(rounds(h.progress).length, 2);
      assertProgressNeverGoesBack(h.progress);
      const last = h.progress.at(-1) as UploadProgress;
      assert.deepEqual([last.phase, last.filesDone, last.bytesDone], ['finishing', FILES.length, FILES_BYTES]);
    });

    it('never goes back when a file fails part-way while others still complete', async () => {
      const h = harness({ concurrency: 2 });
      const files = [{ path: 'big.png', size: 64 }, ...manyFiles(10).map((f) => ({ ...f, size: 24 }))];
      h.server.faults.failPut = (p) => (p.endsWith('/big.png') ? { kind: 'other', afterBytes: 56 } : undefined);
      const e = await failure(h.upload(files));
      assert.equal(e.reason, 'other');
      assert.ok(h.server.ops('put-end').some((x) => x.seq > (h.server.ops('put-fail')[0]?.seq ?? Infinity)), 'a put ended after the failure');
      assertProgressNeverGoesBack(h.progress);
    });

    it('starts a resumed batch at the files already whole', async () => {
      const h = harness({ resumeBatchId: ID });
      h.server.addFile(`${ROOT}/input.csv`, 30);
      h.server.addFile(`${ROOT}/img/1.face.png`, 33);
      await h.upload();
      const first = h.progress.find((p) => p.phase === 'uploading') as UploadProgress;
      assert.deepEqual([first.filesDone, first.bytesDone], [2, 63]);
      assertProgressNeverGoesBack(h.progress);
    });
  });

  describe('what is sent', () => {
    it('refuses, before connecting, a planned file named DONE or a second input.csv, in any letter case', async () => {
      for (const name of ['DONE', 'done', 'Done', 'INPUT.CSV', 'input.csv']) {
        const h = harness();
        const e = await failure(h.upload([...FILES, { path: name, size: 3 }]));
        assert.equal(e.reason, 'reserved-name', name);
        assert.equal(e.file, name);
        assert.equal(h.server.connects, 0, name);
      }
      const h = harness();
      await h.upload([...FILES, { path: 'img/DONE', size: 3 }]);
      assertDoneLastAndAlone(h.server);
    });

    it('opens each file once, when its put starts, and closes it whatever happens', async () => {
      const opened: string[] = [];
      let open = 0;
      const h = harness({
        open: async (f) => {
          opened.push(f.path);
          open++;
          const src = memorySource(f);
          return { ...src, close: async () => { open--; } };
        },
      });
      h.server.faults.failPut = (p) => (p.endsWith('/img/1.face.png') ? { kind: 'permission', afterBytes: 10 } : undefined);
      await failure(h.upload());
      assert.equal(open, 0, 'every opened file was closed');
      assert.equal(new Set(opened).size, opened.length, 'no file opened twice');
    });

    it('stops at a file its source refuses (changed since the lint): that file is never put, no DONE', async () => {
      const h = harness({
        concurrency: 1,
        open: async (f) => {
          if (f.path === 'img/ids/0.back.png') throw new UploadError('changed-since-lint', 'file 4 of 7 was modified since the lint', { file: f.path });
          return memorySource(f);
        },
      });
      const e = await failure(h.upload());
      assert.equal(e.reason, 'changed-since-lint');
      assert.equal(e.batchId, ID, 'the batch can be resumed once the file is right again');
      assert.ok(!h.server.putsStarted().some((p) => p.endsWith('0.back.png')), 'not a byte of it was sent');
      assert.equal(h.server.connects, 1, 'not retried: a fresh connection cannot cure it');
      assertNoDone(h.server);
    });

    it('records every file sent whole, and only those, through onSent', async () => {
      const sent: string[] = [];
      const h = harness({ onSent: (f) => sent.push(f.path) });
      h.server.faults.failPut = (p) => (p.endsWith('/img/1.face.png') ? { kind: 'permission', afterBytes: 10 } : undefined);
      await failure(h.upload());
      assert.ok(!sent.includes('img/1.face.png'));
      assert.deepEqual([...sent].sort(), h.server.ops('put-end').map((e) => e.path.slice(ROOT.length + 1)).sort());
    });
  });

  describe('resume with a receipt', () => {
    it('sends again the files named in `resend` although the server holds them at the right size', async () => {
      const h = harness({ resumeBatchId: ID, resend: new Set(['input.csv']) });
      h.server.mkdirp(`${ROOT}/img/ids`);
      for (const f of FILES) h.server.addFile(`${ROOT}/${f.path}`, f.size);
      const result = await h.upload();
      assert.deepEqual(h.server.putsStarted(), [`${ROOT}/input.csv`], 'only the changed input.csv went again');
      assert.equal(result.skipped, FILES.length - 1);
      assertDoneLastAndAlone(h.server);
    });

    it('refuses DONE while the batch folder holds a file that is not in the plan', async () => {
      const h = harness({ resumeBatchId: ID });
      h.server.mkdirp(`${ROOT}/img/ids`);
      h.server.addFile(`${ROOT}/img/stale.png`, 9);
      const e = await failure(h.upload());
      assert.equal(e.reason, 'remote-unexpected');
      assert.equal(e.file, 'img/stale.png');
      assert.equal(e.batchId, ID);
      assertNoDone(h.server);
    });
  });

  describe('several connections', () => {
    it('shares one queue over N connections: each file once, at most `concurrency` in flight, DONE once after every connection finished', async () => {
      const files = manyFiles(30);
      const h = harness({ connections: 3, concurrency: 6 });
      const result = await h.upload(files);
      assert.equal(h.server.connects, 3);
      const byConn = new Set(h.server.ops('put-start').map((e) => e.conn));
      assert.deepEqual([...byConn].sort(), [1, 2, 3], 'every connection sent files');
      assert.equal(h.server.ops('put-start').length, files.length, 'each file once');
      assert.ok(h.server.maxInFlightPuts <= 6, `${h.server.maxInFlightPuts} in flight`);
      assertAllWhole(h.server, files);
      const done = h.server.ops('putEmpty');
      assert.equal(done.length, 1);
      assert.equal(done[0].putsInFlight, 0);
      const closes = h.server.ops('close').filter((e) => e.seq < done[0].seq).length;
      assert.equal(closes, 2, 'the other connections were closed before DONE');
      assert.equal(result.sent.length, files.length);
    });

    it('gives a dropped connection\'s files to the others, which finish the batch while it is replaced', async () => {
      const files = manyFiles(24);
      const h = harness({ connections: 3, concurrency: 6, retries: 1 });
      h.server.faults.dropAfterPuts = (conn) => (conn === 2 ? 1 : undefined);
      await h.upload(files);
      assert.equal(h.server.ops('drop').length, 1);
      assertAllWhole(h.server, files);
      assertDoneLastAndAlone(h.server);
    });

    it('finishes on the one connection that works when every other connection is refused', async () => {
      const files = manyFiles(12);
      const h = harness({ connections: 4, concurrency: 4, retries: 1 });
      h.server.faults.refuseConnect = (n) => n > 1;
      const result = await h.upload(files);
      assert.deepEqual([...new Set(h.server.ops('put-start').map((e) => e.conn))], [1]);
      assertAllWhole(h.server, files);
      assert.equal(h.server.ops('putEmpty').length, 1);
      assert.ok(result.retries <= 4);
    });

    it('writes no DONE, and names the batch, when the first connection drops and every fresh one is refused', async () => {
      const files = manyFiles(12);
      const h = harness({ connections: 3, concurrency: 3, retries: 1 });
      h.server.faults.refuseConnect = (n) => n > 1;
      h.server.faults.dropAfterPuts = (conn) => (conn === 1 ? 2 : undefined);
      const e = await failure(h.upload(files));
      assert.equal(e.reason, 'connection');
      assert.equal(e.batchId, ID);
      assertNoDone(h.server);
      assert.equal(h.server.openConnections, 0);
    });

    it('stops every connection at once on a failure that is not the connection\'s, with no DONE', async () => {
      const files = manyFiles(30);
      const h = harness({ connections: 3, concurrency: 6 });
      h.server.faults.failPut = (p) => (p.endsWith('/img/7.png') ? { kind: 'permission', afterBytes: 0 } : undefined);
      const e = await failure(h.upload(files));
      assert.equal(e.reason, 'permission');
      assertNoDone(h.server);
      assert.ok(h.server.ops('put-start').length < files.length, 'the others stopped starting files');
      assert.equal(h.server.openConnections, 0);
    });

    it('cancels every connection at once', async () => {
      const files = manyFiles(30);
      const controller = new AbortController();
      const h = harness({ connections: 3, concurrency: 6, signal: controller.signal });
      h.server.onOp = (x) => { if (x.op === 'put-end' && h.server.ops('put-end').length === 5) controller.abort(); };
      const e = await failure(h.upload(files));
      assert.equal(e.reason, 'cancelled');
      assertNoDone(h.server);
      assert.equal(h.server.openConnections, 0);
    });

    it('keeps progress within the totals and never going back while connections drop and are replaced', async () => {
      const files = manyFiles(40).map((f) => ({ ...f, size: 64 }));
      const h = harness({ connections: 3, concurrency: 6, retries: 3 });
      h.server.faults.dropAfterPuts = (conn) => (conn === 2 || conn === 4 ? 2 : undefined);
      await h.upload(files);
      for (const p of h.progress) assert.ok(p.bytesDone <= p.bytesTotal && p.filesDone <= p.filesTotal, JSON.stringify(p));
      const uploading = h.progress.filter((p) => p.phase !== 'verifying' && p.phase !== 'finishing');
      for (let i = 1; i < uploading.length; i++) assert.ok(uploading[i].bytesDone >= uploading[i - 1].bytesDone, `went back at ${i}`);
      assert.equal(h.progress.at(-1)?.bytesDone, files.length * 64);
      assertAllWhole(h.server, files);
    });
  });
});
