import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MAX_CSV_BYTES, MAX_PROBLEMS, Problem, Severity, capProblems, oversizedCsv, pointRange } from '../../src/core';
import { formatText } from '../../src/cli/format';
import { lintBatchPath } from '../../src/node/batch/lintPath';
import { EditorLinter } from '../../src/node/worker/editorLint';
import { where } from '../helpers/lint';

// The bounds on one lint: a CSV too large to be read at all, and the problems reported per file.

const HEADER = 'workflowDefinitionKey,customerInternalReference';
/** Row `i`, of 7 characters with a forbidden character, unlike every other (no duplicate-row). */
const row = (i: number): string => `1,%${i.toString(36).padStart(3, '0')}\n`;
const ROW_LENGTH = row(0).length;
/** A CSV of exactly `size` bytes whose every row has a forbidden character: read, it is never clean. */
function csvOfSize(size: number): string {
  const head = `${HEADER}\n`;
  const rows = Math.floor((size - head.length) / ROW_LENGTH) - 1;
  const last = `1,%${'a'.repeat(size - head.length - rows * ROW_LENGTH - 4)}\n`;
  return head + Array.from({ length: rows }, (_, i) => row(i)).join('') + last;
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

/** A problem on line `line`, of the severity given, with a replacement (the summary must not carry one). */
function at(line: number, severity: Severity = 'warning', code: Problem['code'] = 'whitespace'): Problem {
  return { code, severity, range: pointRange(line, 0), message: `line ${line}`, replacement: '' };
}

describe('the cap on problems per file (capProblems)', () => {
  it('keeps every problem, sorted, up to the limit (1,000 by default)', () => {
    assert.equal(MAX_PROBLEMS, 1000);
    const problems = Array.from({ length: 1000 }, (_, i) => at(999 - i));
    const kept = capProblems(problems);
    assert.equal(kept.length, 1000);
    assert.deepEqual(kept.map((p) => p.range.start.line), Array.from({ length: 1000 }, (_, i) => i));
    assert.deepEqual(capProblems([at(2), at(1)], { maxProblems: 2 }).map((p) => p.message), ['line 1', 'line 2']);
  });

  it('past the limit keeps the first limit - 1 and counts the rest in one last problem', () => {
    const problems = [at(5, 'info', 'image-unreferenced'), at(1), at(4, 'warning', 'bom'), at(3, 'error', 'email'), at(2)];
    const kept = capProblems(problems, { maxProblems: 3 });
    assert.deepEqual(kept.slice(0, 2).map((p) => p.message), ['line 1', 'line 2']);
    const last = kept[2];
    // The hidden ones are lines 3 (error), 4 (warning) and 5 (info): the first is an email error.
    assert.equal(kept.length, 3);
    assert.equal(last.code, 'email');
    assert.deepEqual(last.range, pointRange(3, 0));
    assert.equal(last.severity, 'error');
    assert.equal(last.replacement, undefined);
    assert.equal(last.message, '… and 3 more problems (1 error, 1 warning, 1 info) not shown: fix the ones above and lint again.');
  });

  it('gives the summary the worst severity hidden, and counts in thousands', () => {
    const warnings = Array.from({ length: 12_345 }, (_, i) => at(i + 1));
    const withInfo = capProblems([...warnings, at(0, 'info', 'image-unreferenced')], { maxProblems: 1 });
    assert.equal(withInfo.length, 1);
    assert.equal(withInfo[0].severity, 'warning');
    assert.equal(withInfo[0].code, 'image-unreferenced');
    assert.match(withInfo[0].message, /^… and 12,346 more problems \(12,345 warnings, 1 info\) not shown/);
    assert.equal(capProblems([at(1, 'info'), at(2, 'info'), at(3, 'info')], { maxProblems: 2 })[1].severity, 'info');
  });
});

describe('the cap in lintBatchPath and the editor', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(path.join(os.tmpdir(), 'jb-cap-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  /** 1,200 rows, each with one forbidden-character error. */
  const csv = `${HEADER}\n${Array.from({ length: 1200 }, (_, i) => row(i)).join('')}`;

  it('lintBatchPath reports at most 1,000 and still counts all 1,200 in the CLI summary', async () => {
    writeFileSync(path.join(dir, 'input.csv'), csv);
    const result = await lintBatchPath(dir);
    assert.equal(result.problems.length, 1000);
    assert.deepEqual(result.counts, { errors: 1200, warnings: 0, infos: 0 });
    const last = result.problems[999];
    assert.equal(last.code, 'forbidden-character');
    assert.equal(last.range.start.line, 1000, 'where the first hidden problem is (row 1,000 is on line 1,000)');
    assert.match(last.message, /^… and 201 more problems \(201 errors\) not shown/);
    const text = formatText([result], false).trimEnd().split('\n');
    assert.equal(text.length, 1001);
    assert.equal(text[1000], '1 file, 1,200 rows: 1,200 errors, 0 warnings, 0 infos (not ready to upload)');
  });

  it('the editor reports at most maxProblems, the last counting the rest', async () => {
    const csvPath = path.join(dir, 'input.csv');
    writeFileSync(csvPath, `${HEADER}\n`);
    const result = await new EditorLinter().lint({ csvPath, text: csv, options: { maxProblems: 10 } });
    assert.ok(result);
    assert.equal(result.problems.length, 10);
    assert.match(result.problems[9].message, /^… and 1,191 more problems \(1,191 errors\) not shown/);
    assert.deepEqual(result.counts, { errors: 1200, warnings: 0, infos: 0 }, 'the counts are of all problems (the status bar shows them)');
    const all = await new EditorLinter().lint({ csvPath, text: csv, options: { maxProblems: 1200 } });
    assert.equal(all?.problems.length, 1200, 'exactly the limit: nothing hidden');
  });
});
