import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MAX_CSV_BYTES, oversizedCsv } from '../../src/core';
import { lintBatchPath } from '../../src/node/batch/lintPath';
import { EditorLinter } from '../../src/node/worker/editorLint';
import { where } from '../helpers/lint';

// The bounds on one lint: a CSV too large to be read at all.

const HEADER = 'workflowDefinitionKey,customerInternalReference';
/** A CSV of exactly `size` bytes whose every row has a forbidden character: read, it is never clean. */
function csvOfSize(size: number): string {
  const head = `${HEADER}\n`;
  const row = '10015,a%\n';
  const rows = Math.floor((size - head.length) / row.length) - 1;
  const last = `10015,a%${'a'.repeat(size - head.length - rows * row.length - row.length)}\n`;
  return head + row.repeat(rows) + last;
}

describe('a CSV too large to read (row-limit)', () => {
  it('is tested with CSVs of the exact size', () => {
    for (const size of [1000, 1001]) assert.equal(Buffer.byteLength(csvOfSize(size)), size);
  });

  let dir: string;
  beforeEach(() => { dir = mkdtempSync(path.join(os.tmpdir(), 'jb-limits-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is 64 MB by default, reported once at the start of the file with its size', () => {
    assert.equal(MAX_CSV_BYTES, 64_000_000);
    assert.equal(oversizedCsv(MAX_CSV_BYTES), undefined);
    const p = oversizedCsv(MAX_CSV_BYTES + 1, {}, 'input.csv');
    assert.ok(p);
    assert.deepEqual(where([p]), ['row-limit@0:0-0:0']);
    assert.equal(p.severity, 'error');
    assert.match(p.message, /^input\.csv is 64 MB, far more than a batch of at most 10,000 rows holds, so it was not read: split it/);
    assert.equal(oversizedCsv(101, { maxCsvBytes: 100 })?.code, 'row-limit', 'the limit is an option');
  });

  it('lintBatchPath looks at the size first and does not read a file over the limit', async () => {
    writeFileSync(path.join(dir, 'input.csv'), csvOfSize(1001));
    const result = await lintBatchPath(dir, { maxCsvBytes: 1000 });
    assert.deepEqual(where(result.problems), ['row-limit@0:0-0:0']);
    assert.equal(result.rows, 0);
    assert.equal(result.csvBytes, 1001);
    assert.match(result.problems[0].message, /1,001 bytes.*not read/);
    assert.deepEqual(where((await lintBatchPath(path.join(dir, 'input.csv'), { maxCsvBytes: 1000 })).problems), ['row-limit@0:0-0:0'], 'given as a file too');
  });

  it('lintBatchPath reads a file of exactly the limit', async () => {
    writeFileSync(path.join(dir, 'input.csv'), csvOfSize(1000));
    const result = await lintBatchPath(dir, { maxCsvBytes: 1000 });
    assert.ok(result.rows > 100);
    assert.ok(result.problems.every((p) => p.code === 'forbidden-character'));
  });

  it('lintBatchPath applies the default limit, also to the CSV it picks in a folder without input.csv', async () => {
    const big = path.join(dir, 'export.csv');
    writeFileSync(big, csvOfSize(1000));
    truncateSync(big, MAX_CSV_BYTES + 1); // sparse: no 64 MB written
    const result = await lintBatchPath(dir);
    assert.equal(result.csvPath, big);
    assert.deepEqual(where(result.problems), ['row-limit@0:0-0:0']);
    assert.match(result.problems[0].message, /^export\.csv is 64 MB/);
  });

  it('the editor applies it to a closed file on disk and to the text of an open one', async () => {
    const csvPath = path.join(dir, 'input.csv');
    writeFileSync(csvPath, csvOfSize(1001));
    const linter = new EditorLinter();
    const closed = await linter.lint({ csvPath, options: { maxCsvBytes: 1000 } });
    assert.deepEqual(closed && where(closed.problems), ['row-limit@0:0-0:0']);
    assert.equal(closed?.rows, 0);
    const open = await linter.lint({ csvPath, text: csvOfSize(1001), options: { maxCsvBytes: 1000 } });
    assert.deepEqual(open && where(open.problems), ['row-limit@0:0-0:0']);
    const atLimit = await linter.lint({ csvPath, text: csvOfSize(1000), options: { maxCsvBytes: 1000 } });
    assert.ok(atLimit && atLimit.rows > 100 && atLimit.problems.every((p) => p.code === 'forbidden-character'), 'text of exactly the limit is linted');
  });
});
