import * as assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import SftpClient from 'ssh2-sftp-client';
import { SFTPWrapper, utils } from 'ssh2';
import { sandboxCommand } from '../../src/cli/sandbox';
import { fingerprintOf } from '../../src/node/ssh/hostKeys';
import { BatchStatus, Sandbox, generateSshKeyPair, startSandbox } from '../../src/node/sandbox/server';

const EXAMPLE = path.resolve(__dirname, '../../../examples/batch');
const { OPEN_MODE, STATUS_CODE } = utils.sftp;

/** Resolves with the batch's final status (COMPLETED or ERROR); call it before uploading DONE. */
function finalStatus(sandbox: Sandbox, batchId: string): Promise<BatchStatus> {
  return new Promise((resolve) => {
    const listener = (s: BatchStatus): void => {
      if (s.batchId !== batchId || (s.status !== 'COMPLETED' && s.status !== 'ERROR')) return;
      sandbox.off('status', listener);
      resolve(s);
    };
    sandbox.on('status', listener);
  });
}

/**
 * An ssh2-sftp-client that does not print its "Global end listener" lines, and allows the many
 * temporary listeners it adds per call when 20 transfers run at once.
 */
function quietClient(): SftpClient {
  const client = new SftpClient('test', { error: () => undefined, end: () => undefined, close: () => undefined });
  (client as unknown as { client: EventEmitter }).client.setMaxListeners(100);
  return client;
}

/** Matches the error ssh2-sftp-client throws for an SFTP permission-denied status. */
const PERMISSION_DENIED = { code: utils.sftp.STATUS_CODE.PERMISSION_DENIED };

/** The SFTP status code a raw ssh2 request failed with. */
function failureCode(request: (cb: (err: Error | null | undefined) => void) => void): Promise<number | undefined> {
  return new Promise((resolve) => request((err) => resolve(err ? (err as Error & { code?: number }).code : STATUS_CODE.OK)));
}

describe('the sandbox SFTP intake', function () {
  this.timeout(20000);
  let tmp: string;
  let sandbox: Sandbox;
  const key = generateSshKeyPair('test client');
  const logs: string[] = [];
  const clients: SftpClient[] = [];

  async function connect(privateKey = key.privateKey, username = 'jumio', to = sandbox): Promise<SftpClient> {
    const client = quietClient();
    clients.push(client);
    await client.connect({
      host: to.host, port: to.port, username, privateKey,
      hostVerifier: (hostKey: Buffer) => fingerprintOf(hostKey) === to.hostKeyFingerprint,
    });
    return client;
  }

  /** Uploads examples/batch into a new batch folder, with `edit` applied to input.csv and `skip` left out. */
  async function uploadBatch(sftp: SftpClient, edit = (csv: string) => csv, skip: string[] = []): Promise<string> {
    const batchId = randomUUID();
    await sftp.mkdir(`/${batchId}`);
    for (const entry of await fs.readdir(EXAMPLE, { withFileTypes: true })) {
      const name = entry.name;
      if (skip.includes(name) || !entry.isFile()) continue;
      const bytes = await fs.readFile(path.join(EXAMPLE, name));
      await sftp.put(name === 'input.csv' ? Buffer.from(edit(bytes.toString('utf8'))) : bytes, `/${batchId}/${name}`);
    }
    return batchId;
  }

  async function submit(sftp: SftpClient, batchId: string): Promise<BatchStatus> {
    const status = finalStatus(sandbox, batchId);
    await sftp.put(Buffer.alloc(0), `/${batchId}/DONE`);
    return status;
  }

  /** A batch of examples/batch, uploaded and submitted, its final status reached. */
  async function submitted(sftp: SftpClient): Promise<string> {
    const batchId = await uploadBatch(sftp);
    await submit(sftp, batchId);
    return batchId;
  }

  before(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'jumio-sandbox-test-'));
    sandbox = await startSandbox({ root: path.join(tmp, 'home'), port: 0, authorizedKeys: [key.publicKey], log: (l) => logs.push(l) });
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.end().catch(() => undefined)));
  });

  after(async () => {
    await sandbox.close();
    await fs.rm(tmp, { recursive: true, force: true });
  });

  it('runs the example batch to COMPLETED with its two rows, and keeps the history in <uuid>.status.json', async () => {
    const sftp = await connect();
    const batchId = await uploadBatch(sftp);
    const status = await submit(sftp, batchId);
    assert.equal(status.status, 'COMPLETED');
    assert.equal(status.rows, 2);
    const saved = JSON.parse(await fs.readFile(path.join(sandbox.root, `${batchId}.status.json`), 'utf8'));
    assert.equal(saved.status, 'COMPLETED');
    assert.deepEqual(saved.history.map((s: BatchStatus) => s.status), ['CREATED', 'IN_PROGRESS', 'COMPLETED']);
    for (const name of await fs.readdir(EXAMPLE)) {
      assert.deepEqual(await fs.readFile(path.join(sandbox.root, batchId, name)), await fs.readFile(path.join(EXAMPLE, name)), name);
    }
  });

  it('ends a batch whose image is missing in ERROR INPUT_FILE_NOT_FOUND', async () => {
    const sftp = await connect();
    const batchId = await uploadBatch(sftp, undefined, ['0_200014954151.face.png']);
    const status = await submit(sftp, batchId);
    assert.equal(status.status, 'ERROR');
    assert.equal(status.errorCode, 'INPUT_FILE_NOT_FOUND');
    assert.equal(status.code, 'image-missing');
    assert.equal(status.line, 2, 'the row that references the missing image');
  });

  it('ends a batch with a bad second row in ERROR INVALID_ROW at line 3, and logs no CSV contents', async () => {
    const sftp = await connect();
    const batchId = await uploadBatch(sftp, (csv) => csv.replace('myOrganization,1_', 'secret;Reference42,1_'));
    const status = await submit(sftp, batchId);
    assert.deepEqual([status.status, status.errorCode, status.line, status.code], ['ERROR', 'INVALID_ROW', 3, 'forbidden-character']);
    assert.deepEqual(logs.filter((l) => /secret|Reference42|John|gmail/.test(l)), []);
    assert.ok(logs.some((l) => l.includes(batchId) && l.includes('INVALID_ROW')), 'a status line is logged');
  });

  it('refuses a client key it does not know, and a user other than jumio', async () => {
    await assert.rejects(connect(generateSshKeyPair().privateKey), /authentication/i);
    await assert.rejects(connect(key.privateKey, 'someone'), /authentication/i);
    assert.ok(logs.some((l) => /login refused .*key SHA256:.* is not authorized/.test(l)));
  });

  it('refuses paths that climb out of the home folder with ..', async () => {
    const sftp = await connect();
    const raw = (sftp as unknown as { sftp: SFTPWrapper }).sftp;
    assert.equal(await failureCode((cb) => raw.open('/../escape.txt', 'w', cb)), STATUS_CODE.PERMISSION_DENIED);
    assert.equal(await failureCode((cb) => raw.open('x/../../escape.txt', 'w', cb)), STATUS_CODE.PERMISSION_DENIED);
    assert.equal(await failureCode((cb) => raw.mkdir('../outside', cb)), STATUS_CODE.PERMISSION_DENIED);
    assert.equal(await failureCode((cb) => raw.realpath('..', cb)), STATUS_CODE.PERMISSION_DENIED);
    assert.equal(await failureCode((cb) => raw.readdir('/..', cb)), STATUS_CODE.PERMISSION_DENIED);
    await assert.rejects(fs.access(path.join(tmp, 'escape.txt')));
    await assert.rejects(fs.access(path.join(tmp, 'outside')));
  });

  it('refuses a link planted under the home folder that leads out of it', async () => {
    await fs.mkdir(path.join(tmp, 'secret'), { recursive: true });
    await fs.writeFile(path.join(tmp, 'secret', 'key.txt'), 'secret');
    await fs.symlink(path.join(tmp, 'secret'), path.join(sandbox.root, 'door'));
    const raw = (await connect() as unknown as { sftp: SFTPWrapper }).sftp;
    assert.equal(await failureCode((cb) => raw.open('/door/key.txt', 'r', cb)), STATUS_CODE.PERMISSION_DENIED);
    assert.equal(await failureCode((cb) => raw.open('/door/new.txt', 'w', cb)), STATUS_CODE.PERMISSION_DENIED);
    assert.equal(await failureCode((cb) => raw.readdir('/door', cb)), STATUS_CODE.PERMISSION_DENIED);
    await assert.rejects(fs.access(path.join(tmp, 'secret', 'new.txt')));
  });

  it('refuses to open a file for appending (no resumed uploads)', async () => {
    const sftp = await connect();
    await sftp.put(Buffer.from('whole'), '/note.txt');
    await assert.rejects(sftp.append(Buffer.from(' and more'), '/note.txt'), PERMISSION_DENIED);
    const raw = (sftp as unknown as { sftp: SFTPWrapper }).sftp;
    assert.equal(await failureCode((cb) => raw.open('/note.txt', 'a', cb)), STATUS_CODE.PERMISSION_DENIED);
    assert.equal(await fs.readFile(path.join(sandbox.root, 'note.txt'), 'utf8'), 'whole');
  });

  /** Opens `vpath` on the raw SFTP channel with numeric OPEN flags, as other clients send them. */
  function openRaw(raw: SFTPWrapper, vpath: string, flags: number): Promise<Buffer> {
    return new Promise((resolve, reject) => raw.open(vpath, flags, (e, h) => (e ? reject(e) : resolve(h))));
  }

  /** The error a raw WRITE of `text` at `offset` fails with, or undefined when it succeeds. */
  function writeRaw(raw: SFTPWrapper, handle: Buffer, text: string, offset: number): Promise<(Error & { code?: number }) | undefined> {
    const data = Buffer.from(text);
    return new Promise((resolve) => raw.write(handle, data, 0, data.length, offset, (e) => resolve(e ?? undefined)));
  }

  it('refuses every write into a file that held bytes and was opened without truncating it (a resumed upload)', async () => {
    const sftp = await connect();
    const raw = (sftp as unknown as { sftp: SFTPWrapper }).sftp;
    await sftp.put(Buffer.from('whole'), '/resumed.bin');
    // WRITE|CREAT without TRUNC is how a resuming client (WinSCP, lftp) reopens its partial file.
    for (const flags of [OPEN_MODE.WRITE | OPEN_MODE.CREAT, OPEN_MODE.READ | OPEN_MODE.WRITE]) {
      const handle = await openRaw(raw, '/resumed.bin', flags);
      for (const offset of [5, 2, 0]) {
        const e = await writeRaw(raw, handle, 'more', offset);
        assert.equal(e?.code, STATUS_CODE.PERMISSION_DENIED, `flags ${flags}, offset ${offset}`);
        assert.match(e.message, /whole files only.*transfer resume off/);
      }
      assert.equal(await failureCode((cb) => raw.close(handle, cb)), STATUS_CODE.OK);
    }
    assert.equal(await fs.readFile(path.join(sandbox.root, 'resumed.bin'), 'utf8'), 'whole');
    assert.ok(logs.some((l) => /opened without truncating, it already holds 5 bytes, and this write would add to them/.test(l)));
  });

  it('takes a new, empty or truncated file written in pieces at any offsets, as parallel chunk writes send it', async () => {
    const sftp = await connect();
    const raw = (sftp as unknown as { sftp: SFTPWrapper }).sftp;
    const pieces = async (vpath: string, flags: number): Promise<void> => {
      const handle = await openRaw(raw, vpath, flags);
      // Out of order, as concurrent chunk writes land.
      assert.equal(await writeRaw(raw, handle, 'world', 5), undefined);
      assert.equal(await writeRaw(raw, handle, 'hello', 0), undefined);
      assert.equal(await writeRaw(raw, handle, '!', 10), undefined);
      assert.equal(await failureCode((cb) => raw.close(handle, cb)), STATUS_CODE.OK);
      assert.equal(await fs.readFile(path.join(sandbox.root, vpath), 'utf8'), 'helloworld!', vpath);
    };
    await pieces('/new.bin', OPEN_MODE.WRITE | OPEN_MODE.CREAT);
    await sftp.put(Buffer.from('an older, longer upload of it'), '/again.bin');
    await pieces('/again.bin', OPEN_MODE.WRITE | OPEN_MODE.CREAT | OPEN_MODE.TRUNC);
    await sftp.put(Buffer.alloc(0), '/empty.bin');
    await pieces('/empty.bin', OPEN_MODE.WRITE);
  });

  it('refuses writes into a batch after DONE, even through a file opened before it', async () => {
    const sftp = await connect();
    const raw = (sftp as unknown as { sftp: SFTPWrapper }).sftp;
    const batchId = await uploadBatch(sftp);
    const early = await new Promise<Buffer>((resolve, reject) => raw.open(`/${batchId}/late.png`, 'w', (e, h) => (e ? reject(e) : resolve(h))));
    const finished = finalStatus(sandbox, batchId);
    await sftp.put(Buffer.alloc(0), `/${batchId}/DONE`);
    // Refused at once, not only once the batch is checked.
    await assert.rejects(sftp.put(Buffer.from('late'), `/${batchId}/extra.png`), PERMISSION_DENIED);
    await finished;
    assert.equal(await failureCode((cb) => raw.write(early, Buffer.from('late'), 0, 4, 0, cb)), STATUS_CODE.PERMISSION_DENIED);
    assert.equal(await failureCode((cb) => raw.unlink(`/${batchId}/input.csv`, cb)), STATUS_CODE.PERMISSION_DENIED);
    assert.equal(await failureCode((cb) => raw.mkdir(`/${batchId}/more`, cb)), STATUS_CODE.PERMISSION_DENIED);
    assert.equal(await failureCode((cb) => raw.close(early, cb)), STATUS_CODE.OK);
    assert.equal((await fs.stat(path.join(sandbox.root, batchId, 'late.png'))).size, 0);
    await assert.rejects(fs.access(path.join(sandbox.root, batchId, 'extra.png')));
  });

  it('still refuses writes into a submitted batch after a restart over the same root', async () => {
    const batchId = await uploadBatch(await connect());
    await submit(await connect(), batchId);
    const again = await startSandbox({ root: sandbox.root, authorizedKeys: [key.publicKey], log: () => undefined });
    try {
      const sftp = await connect(key.privateKey, 'jumio', again);
      await assert.rejects(sftp.put(Buffer.from('late'), `/${batchId}/extra.png`), PERMISSION_DENIED);
    } finally {
      await again.close();
    }
  });

  it('logs a refusal by batch id and reason, never by file name', async () => {
    const sftp = await connect();
    const batchId = await submitted(sftp);
    const from = logs.length;
    await assert.rejects(sftp.put(Buffer.from('late'), `/${batchId}/jane-doe-passport.png`), PERMISSION_DENIED);
    await assert.rejects(sftp.append(Buffer.from('x'), '/jane-doe-notes.txt'), PERMISSION_DENIED);
    const lines = logs.slice(from);
    assert.ok(lines.some((l) => l.includes(`/${batchId}/…`) && l.includes('submitted')), lines.join('\n'));
    assert.ok(lines.some((l) => l.includes('appending')), lines.join('\n'));
    assert.deepEqual(lines.filter((l) => /jane|doe|passport|notes/.test(l)), []);
  });

  /** The error a raw ssh2 request fails with; rejects when it succeeds. */
  function failure(request: (cb: (err: Error | null | undefined) => void) => void): Promise<Error & { code?: number }> {
    return new Promise((resolve, reject) => request((err) => (err ? resolve(err) : reject(new Error('the request succeeded')))));
  }

  it('refuses a top-level folder named with a UUID v4 in upper or mixed case', async () => {
    const raw = (await connect() as unknown as { sftp: SFTPWrapper }).sftp;
    const id = randomUUID();
    const mixed = id.slice(0, 9) + id.slice(9).toUpperCase();
    for (const name of [id.toUpperCase(), mixed]) {
      const e = await failure((cb) => raw.mkdir(`/${name}`, cb));
      assert.equal(e.code, STATUS_CODE.PERMISSION_DENIED, name);
      assert.match(e.message, /Jumio wants a lower-case UUID v4/);
      await assert.rejects(fs.access(path.join(sandbox.root, name)));
    }
    assert.equal(await failureCode((cb) => raw.mkdir('/staging', cb)), STATUS_CODE.OK);
    const renamed = await failure((cb) => raw.rename('/staging', `/${id.toUpperCase()}`, cb));
    assert.equal(renamed.code, STATUS_CODE.PERMISSION_DENIED);
    assert.match(renamed.message, /Jumio wants a lower-case UUID v4/);
    // Below the top level a name is only a name: the intake reads no batch there.
    assert.equal(await failureCode((cb) => raw.mkdir(`/staging/${id.toUpperCase()}`, cb)), STATUS_CODE.OK);
    // Renamed to its lower-case id, the folder becomes the batch.
    const created = new Promise<BatchStatus>((resolve) => {
      const listener = (st: BatchStatus): void => { if (st.batchId === id) { sandbox.off('status', listener); resolve(st); } };
      sandbox.on('status', listener);
    });
    assert.equal(await failureCode((cb) => raw.rename('/staging', `/${id}`, cb)), STATUS_CODE.OK);
    assert.equal((await created).status, 'CREATED');
  });

  it('refuses a top-level name that differs only in letter case from a batch, by MKDIR or RENAME', async () => {
    const sftp = await connect();
    const raw = (sftp as unknown as { sftp: SFTPWrapper }).sftp;
    const batchId = await uploadBatch(sftp);
    const twin = batchId.replace(/[a-f]/, (c) => c.toUpperCase());
    assert.notEqual(twin, batchId);
    const made = await failure((cb) => raw.mkdir(`/${twin}`, cb));
    assert.equal(made.code, STATUS_CODE.PERMISSION_DENIED);
    assert.match(made.message, new RegExp(`differs only in letter case from batch ${batchId}`));
    await sftp.mkdir('/elsewhere');
    const renamed = await failure((cb) => raw.rename('/elsewhere', `/${twin.toUpperCase()}`, cb));
    assert.equal(renamed.code, STATUS_CODE.PERMISSION_DENIED);
    assert.match(renamed.message, new RegExp(`from batch ${batchId}`));
    assert.deepEqual((await fs.readdir(sandbox.root)).filter((n) => n.toLowerCase() === batchId), [batchId]);
  });

  it('keeps its status files to itself and refuses a folder that exists', async () => {
    const sftp = await connect();
    const batchId = await uploadBatch(sftp);
    await assert.rejects(sftp.put(Buffer.from('{}'), `/${batchId}.status.json`), PERMISSION_DENIED);
    const raw = (sftp as unknown as { sftp: SFTPWrapper }).sftp;
    assert.equal(await failureCode((cb) => raw.mkdir(`/${batchId}`, cb)), STATUS_CODE.FAILURE);
  });

  it('accepts but ignores client times and modes (no timestamp preservation)', async () => {
    const sftp = await connect();
    await sftp.put(Buffer.from('x'), '/kept.txt');
    const raw = (sftp as unknown as { sftp: SFTPWrapper }).sftp;
    assert.equal(await failureCode((cb) => raw.utimes('/kept.txt', 1_000_000_000, 1_000_000_000, cb)), STATUS_CODE.OK);
    assert.equal(await failureCode((cb) => raw.chmod('/kept.txt', 0o777, cb)), STATUS_CODE.OK);
    const st = await fs.stat(path.join(sandbox.root, 'kept.txt'));
    assert.equal(st.mode & 0o111, 0, 'no execute bit from the chmod');
    assert.ok(st.mtimeMs > Date.UTC(2020, 0, 1));
  });

  it('receives 20 files sent at once over one connection byte for byte, and lists and serves them back', async () => {
    const sftp = await connect();
    await sftp.mkdir('/many');
    const files = Array.from({ length: 20 }, (_, i) => ({ name: `file-${i}.bin`, bytes: randomBytes(20_000 + i * 17_919) }));
    const local = path.join(tmp, 'many');
    await fs.mkdir(local);
    await Promise.all(files.map((f) => fs.writeFile(path.join(local, f.name), f.bytes)));
    // Half as one stream each, half with fastPut's parallel out-of-order writes into one file.
    await Promise.all(files.map((f, i) => (i % 2 ? sftp.put(f.bytes, `/many/${f.name}`) : sftp.fastPut(path.join(local, f.name), `/many/${f.name}`))));
    for (const f of files) assert.deepEqual(await fs.readFile(path.join(sandbox.root, 'many', f.name)), f.bytes, f.name);
    const listed = new Map((await sftp.list('/many')).map((e) => [e.name, e.size]));
    assert.deepEqual(listed, new Map(files.map((f) => [f.name, f.bytes.length])));
    assert.deepEqual(await sftp.get('/many/file-19.bin'), files[19].bytes);
  });
});

describe('jumio-batch sandbox', function () {
  this.timeout(20000);
  let tmp: string;

  before(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'jumio-sandbox-cli-'));
  });

  after(async () => {
    await fs.rm(tmp, { recursive: true, force: true });
  });

  /** Runs the command until its upload line is printed; returns what it printed and a stop function. */
  async function start(): Promise<{ port: number; identity: string; fingerprint: string; stop: () => Promise<number> }> {
    const ac = new AbortController();
    let out = '';
    let printed: (m: RegExpMatchArray) => void = () => undefined;
    const upload = new Promise<RegExpMatchArray>((resolve) => { printed = resolve; });
    const io = {
      stdout: { write: (s: string) => { out += s; const m = /jumio-batch upload \S+ --host 127\.0\.0\.1 --port (\d+) --user jumio --identity (\S+) --host-key-fingerprint (SHA256:\S+)/.exec(out); if (m) printed(m); } },
      stderr: { write: (s: string) => { out += s; } },
      env: { XDG_STATE_HOME: path.join(tmp, 'state') },
    };
    const exit = sandboxCommand(['--port', '0', '--root', path.join(tmp, 'home')], io, ac.signal);
    const m = await Promise.race([upload, exit.then((code) => { throw new Error(`exited ${code}: ${out}`); })]);
    return { port: Number(m[1]), identity: m[2], fingerprint: m[3], stop: () => { ac.abort(); return exit; } };
  }

  it('prints an upload command whose key and fingerprint log in, and keeps the host key across restarts', async () => {
    const first = await start();
    assert.equal((await fs.stat(first.identity)).mode & 0o777, 0o600);
    const client = quietClient();
    await client.connect({
      host: '127.0.0.1', port: first.port, username: 'jumio', privateKey: await fs.readFile(first.identity, 'utf8'),
      hostVerifier: (hostKey: Buffer) => fingerprintOf(hostKey) === first.fingerprint,
    });
    assert.deepEqual(await client.list('/'), []);
    await client.end();
    assert.equal(await first.stop(), 0);

    const second = await start();
    assert.equal(second.fingerprint, first.fingerprint);
    assert.equal(second.identity, first.identity);
    assert.equal(await second.stop(), 0);
  });
});
