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
