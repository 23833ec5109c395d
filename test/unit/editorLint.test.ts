import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EditorLinter } from '../../src/node/worker/editorLint';
import { LintAnswer, LintClient } from '../../src/node/worker/lintClient';
import { makePng } from '../helpers/images';

const HEADER = 'workflowDefinitionKey,customerInternalReference,faceImage';

function codes(a: LintAnswer): string[] {
  assert.ok(a && a !== 'stale', `a result, not ${String(a)}`);
  return a.problems.map((p) => p.code);
}

function folderWith(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jb-editor-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return dir;
}

describe('EditorLinter', () => {
  it('takes bom and line endings from the file on disk, the rest from the editor text', async () => {
    const dir = folderWith({ 'input.csv': Buffer.from(`\ufeff${HEADER}\r\n10015,a,\n10015,b,\r\n`) });
    const linter = new EditorLinter();
    const csvPath = path.join(dir, 'input.csv');
    // The editor shows the text without BOM and with one kind of line ending; the user typed a "%".
    assert.deepEqual(codes(await linter.lint({ csvPath, text: `${HEADER}\n10015,a%,\n10015,b,\n` })).sort(), ['bom', 'forbidden-character', 'line-endings']);
    writeFileSync(csvPath, `${HEADER}\n10015,a%,\n10015,b,\n`);
    assert.deepEqual(codes(await linter.lint({ csvPath, text: `${HEADER}\n10015,a%,\n10015,b,\n` })).sort(), ['bom', 'forbidden-character', 'line-endings'], 'cached until invalidated');
    linter.invalidate(csvPath, false);
    assert.deepEqual(codes(await linter.lint({ csvPath, text: `${HEADER}\n10015,a%,\n10015,b,\n` })), ['forbidden-character'], 'a save clears them');
    rmSync(dir, { recursive: true });
  });

  it('lints a closed file from disk, and answers undefined once it is gone', async () => {
    const dir = folderWith({ 'input.csv': `${HEADER}\n10015,a,face.png\n` });
    const linter = new EditorLinter();
    const csvPath = path.join(dir, 'input.csv');
    assert.deepEqual(codes(await linter.lint({ csvPath })), ['image-missing']);
    writeFileSync(path.join(dir, 'face.png'), makePng(2, 2));
    assert.deepEqual(codes(await linter.lint({ csvPath })), ['image-missing'], 'the listing is cached');
    linter.invalidate(path.join(dir, 'face.png'), true);
    assert.deepEqual(codes(await linter.lint({ csvPath })), [], 'a created file refreshes the listing');
    rmSync(dir, { recursive: true });
    assert.equal(await linter.lint({ csvPath }), undefined);
  });
});

describe('EditorLinter notes (for the log)', () => {
  /** No note may name a file or folder: the log ends up in bug reports. */
  function assertNoNames(notes: string[], ...names: string[]): void {
    for (const note of notes) for (const name of names) assert.ok(!note.includes(name), `"${note}" names ${name}`);
  }

  it('say that the folder listing failed, by error code, and lint the text all the same', async () => {
    const dir = folderWith({});
    const csvPath = path.join(dir, 'gone', 'input.csv');
    const linter = new EditorLinter();
    const first = await linter.lint({ csvPath, text: `${HEADER}\n10015,a%,face.png\n` });
    assert.ok(first);
    assert.deepEqual(codes(first), ['forbidden-character'], 'no image check without a listing');
    assert.deepEqual(first.notes, [
      'the file on disk could not be read (ENOENT): bom, encoding and line-endings are not checked',
      'the folder listing failed (ENOENT): image references are not checked',
    ]);
    assertNoNames(first.notes, dir, 'gone', 'input.csv', 'face.png');
    const second = await linter.lint({ csvPath, text: `${HEADER}\n10015,a,\n` });
    assert.deepEqual(second?.notes, ['the folder listing failed (ENOENT): image references are not checked'], 'the listing is tried again; the disk note is said once');
    rmSync(dir, { recursive: true });
  });

  it('count the images that could not be read, by error code', async () => {
    const dir = folderWith({ 'input.csv': `${HEADER}\n`, 'face.png': makePng(2, 2), 'back.png': makePng(2, 2) });
    const csvPath = path.join(dir, 'input.csv');
    const linter = new EditorLinter();
    const unreferenced = await linter.lint({ csvPath, text: `${HEADER}\n10015,a,\n` });
    assert.deepEqual(unreferenced?.notes, [], 'nothing failed');
    // The listing is cached with both files; they vanish before their first bytes are read.
    unlinkSync(path.join(dir, 'face.png'));
    unlinkSync(path.join(dir, 'back.png'));
    const result = await linter.lint({ csvPath, text: `${HEADER}\n10015,a,face.png\n10015,b,back.png\n` });
    assert.ok(result);
    assert.deepEqual(codes(result), ['image-missing', 'image-missing']);
    assert.deepEqual(result.notes, ['2 images could not be read (ENOENT)']);
    rmSync(dir, { recursive: true });
  });

  it('say that a closed CSV could not be read, with no problems for it', async () => {
    const dir = folderWith({});
    mkdirSync(path.join(dir, 'batch.csv'));
    const result = await new EditorLinter().lint({ csvPath: path.join(dir, 'batch.csv') });
    assert.deepEqual(result, { problems: [], counts: { errors: 0, warnings: 0, infos: 0 }, rows: 0, notes: ['the CSV could not be read (EISDIR): no problems are shown for it'] });
    rmSync(dir, { recursive: true });
  });
});

describe('LintClient', () => {
  const worker = path.join(__dirname, '../../src/node/worker/lintWorker.js');

  it('lints in a worker thread with the same result as in this thread', async () => {
    const dir = folderWith({ 'input.csv': `${HEADER}\n10015,a<b,face.png\n` });
    const client = new LintClient(() => undefined, worker);
    try {
      assert.equal(client.threaded, true);
      const request = { csvPath: path.join(dir, 'input.csv'), text: `${HEADER}\n10015,a<b,face.png\n,c,\n` };
      const threaded = await client.lint(request);
      assert.deepEqual(threaded, await new EditorLinter().lint(request));
      assert.deepEqual(codes(threaded).sort(), ['forbidden-character', 'image-missing', 'required-value']);
    } finally {
      client.dispose();
      rmSync(dir, { recursive: true });
    }
  });

  it('answers a request overtaken by a newer one for the same file as stale, unparsed', async () => {
    const dir = folderWith({ 'input.csv': `${HEADER}\n` });
    const client = new LintClient(() => undefined, worker);
    try {
      const csvPath = path.join(dir, 'input.csv');
      const answers = await Promise.all(['10015,a,', '10015,b,', '10015,c%,'].map((row) => client.lint({ csvPath, text: `${HEADER}\n${row}\n` })));
      assert.deepEqual(answers.slice(0, 2), ['stale', 'stale']);
      assert.deepEqual(codes(answers[2]), ['forbidden-character']);
    } finally {
      client.dispose();
      rmSync(dir, { recursive: true });
    }
  });

  describe('when the worker dies', () => {
    /**
     * A stand-in worker that speaks the protocol: ready once loaded, then a canned answer (rows 42,
     * which no real lint of these files gives) to every lint, except that it dies on a lint whose
     * text holds CRASH-EXIT (exits) or CRASH-THROW (an uncaught error, as out of memory is).
     */
    const STAND_IN = `
      const { parentPort } = require('node:worker_threads');
      parentPort.on('message', (m) => {
        if (m.type !== 'lint') return;
        const text = m.request.text || '';
        if (text.includes('CRASH-EXIT')) process.exit(3);
        if (text.includes('CRASH-THROW')) throw new RangeError('out of memory, say');
        parentPort.postMessage({ id: m.id, result: { problems: [], counts: { errors: 0, warnings: 0, infos: 0 }, rows: 42, notes: ['stand-in'] } });
      });
      parentPort.postMessage({ ready: true });
    `;
    let dir: string;
    let standIn: string;
    beforeEach(() => {
      dir = folderWith({ 'input.csv': `${HEADER}\n10015,a,\n` });
      standIn = path.join(dir, 'worker.js');
      writeFileSync(standIn, STAND_IN);
    });
    afterEach(() => rmSync(dir, { recursive: true }));

    for (const marker of ['CRASH-EXIT', 'CRASH-THROW']) {
      it(`answers every lint in flight with an error, runs none of them here, and starts a new worker (${marker})`, async () => {
        const lines: string[] = [];
        const client = new LintClient((l) => lines.push(l), standIn);
        try {
          const csvPath = path.join(dir, 'input.csv');
          // Both sent before the worker answers anything; it dies on the first. Linted in this
          // thread, either would resolve (the file and folder are fine), so each must reject.
          const killer = client.lint({ csvPath, text: `${HEADER}\n10015,${marker},\n` });
          const bystander = client.lint({ csvPath: path.join(dir, 'other.csv'), text: `${HEADER}\n10015,b,\n` });
          await assert.rejects(killer, /the lint worker stopped .* not retried/);
          await assert.rejects(bystander, /the lint worker stopped/);
          assert.equal(lines.filter((l) => /the lint worker stopped .*2 lints in flight.*not retried/.test(l)).length, 1, lines.join('\n'));
          assert.ok(lines.every((l) => !l.includes(dir)), 'the log names no file');

          const next = await client.lint({ csvPath, text: `${HEADER}\n10015,c,\n` });
          assert.equal(client.threaded, true);
          assert.deepEqual(next && next !== 'stale' && [next.rows, next.notes], [42, ['stand-in']], 'answered by a new worker, not in this thread');
        } finally {
          client.dispose();
        }
      });
    }

    it('lints in this thread only when a worker cannot start, and then runs what it was sent', async () => {
      const broken = path.join(dir, 'broken.js');
      writeFileSync(broken, 'throw new Error("cannot load");');
      const lines: string[] = [];
      const client = new LintClient((l) => lines.push(l), broken);
      try {
        const answer = await client.lint({ csvPath: path.join(dir, 'input.csv'), text: `${HEADER}\n10015,a%,\n` });
        assert.deepEqual(codes(answer), ['forbidden-character'], 'linted in this thread');
        assert.equal(client.threaded, false);
        assert.ok(lines.some((l) => /the lint worker could not start .*linting in the extension host/.test(l)), lines.join('\n'));
      } finally {
        client.dispose();
      }
    });
  });

  it('lints in this thread when there is no worker file, and says so', async () => {
    const lines: string[] = [];
    const client = new LintClient((l) => lines.push(l), path.join(os.tmpdir(), 'no-such-worker.js'));
    const dir = folderWith({ 'input.csv': `${HEADER}\n10015,a,\n` });
    assert.equal(client.threaded, false);
    assert.match(lines[0], /no lint worker/);
    assert.deepEqual(codes(await client.lint({ csvPath: path.join(dir, 'input.csv') })), []);
    rmSync(dir, { recursive: true });
  });
});
