import * as assert from 'node:assert/strict';
import { CsvLint } from '../../src/core';
import { makePng } from '../helpers/images';
import { LintFixture, SEED_HEADER, SEED_IMAGES, SEED_ROW_1, SEED_ROW_2, codes, lint, numberedRow, where, withCode, seedRow } from '../helpers/lint';

// Bad input never crashes the linter: whatever the bytes, lintCsv returns, and the file gets a
// problem that says what is wrong with it (and, where the text can still be read, the rows are
// linted as usual).

const SEED_CSV = `${SEED_HEADER}\n${SEED_ROW_1}\n${SEED_ROW_2}\n`;
const ROW_1_IMAGES = SEED_IMAGES.filter((f) => f.startsWith('0_'));

/** Lints, and checks that the whole result (image checks included) can be used without a throw. */
function lintSafely(csv: string | Uint8Array, fixture?: LintFixture): CsvLint {
  let result: CsvLint | undefined;
  assert.doesNotThrow(() => { result = lint(csv, fixture); });
  const r = result as CsvLint;
  assert.doesNotThrow(() => r.checkImages(new Map()));
  return r;
}

function utf16(text: string, endian: 'le' | 'be', bom: boolean): Uint8Array {
  const body = Buffer.from(text, 'utf16le');
  if (endian === 'be') body.swap16();
  const mark = endian === 'le' ? [0xff, 0xfe] : [0xfe, 0xff];
  return Uint8Array.from(bom ? Buffer.concat([Buffer.from(mark), body]) : body);
}

/** Runs `fn` and returns how long it took, in milliseconds. */
function timed<T>(fn: () => T): { value: T; ms: number } {
  const start = process.hrtime.bigint();
  const value = fn();
  return { value, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}

// Generous: each of these lints takes well under a second; a quadratic path takes minutes.
const FAST_MS = 5000;

describe('robustness: empty and blank files', () => {
  it('reports empty-file for a file of no bytes at all', () => {
    const r = lintSafely('');
    assert.deepEqual(where(r.problems), ['empty-file@0:0-0:0']);
    assert.equal(r.rows, 0);
  });

  it('reports empty-file for a file of spaces, tabs and line breaks only', () => {
    assert.deepEqual(codes(lintSafely('  \t \n \r\n\t\n').problems), ['empty-file']);
  });

  it('reports empty-file for a file of blank lines only (LF, CRLF, CR)', () => {
    for (const blank of ['\n', '\n\n\n\n', '\r\n\r\n', '\r\r']) {
      assert.deepEqual(codes(lintSafely(blank).problems), ['empty-file'], JSON.stringify(blank));
    }
  });

  it('reports no-rows, and nothing else, for a header with no data row', () => {
    for (const csv of [SEED_HEADER, `${SEED_HEADER}\n`, `${SEED_HEADER}\r\n`]) {
      const r = lintSafely(csv, { files: [] });
      assert.deepEqual(codes(r.problems), ['no-rows'], JSON.stringify(csv.slice(-2)));
      assert.equal(r.rows, 0);
    }
  });
});

describe('robustness: bytes that are not UTF-8 text', () => {
  it('reports binary content (a PNG saved as input.csv) once as encoding, and nothing else', () => {
    const r = lintSafely(makePng(16, 16));
    assert.deepEqual(codes(r.problems), ['encoding']);
    assert.equal(r.rows, 0);
    assert.deepEqual(r.images, []);
  });

  it('survives every byte value but NUL, reporting encoding', () => {
    const r = lintSafely(Uint8Array.from({ length: 255 }, (_, i) => i + 1), { files: [] });
    assert.equal(withCode(r.problems, 'encoding').length, 1);
  });

  for (const [endian, bom] of [['le', true], ['le', false], ['be', true], ['be', false]] as const) {
    const name = `UTF-16 ${endian.toUpperCase()} ${bom ? 'with' : 'without'} a byte-order mark`;

    it(`reports ${name} as encoding at the start, and the seed batch in it has no other problem`, () => {
      const r = lintSafely(utf16(SEED_CSV, endian, bom));
      assert.deepEqual(where(r.problems), ['encoding@0:0-0:0']);
      assert.equal(r.rows, 2);
      assert.equal(r.images.length, 6);
    });

    it(`still lints the rows of ${name}, at the right positions`, () => {
      const csv = `${SEED_HEADER}\n${seedRow({ 'preparedData.firstName': 'José' })}\n${seedRow({ workflowDefinitionKey: 'abc' }, SEED_ROW_2)}\n`;
      const r = lintSafely(utf16(csv, endian, bom));
      assert.deepEqual(where(r.problems), ['encoding@0:0-0:0', 'workflow-key@2:0-2:3']);
    });
  }

  it('reports Latin-1 bytes (é as 0xE9) as encoding at the line and column of the first one', () => {
    const row2 = seedRow({ 'preparedData.firstName': 'José' }, SEED_ROW_2);
    const row3 = seedRow({ 'preparedData.address.city': 'Zürich', customerInternalReference: 'ref-3' });
    const bytes = Uint8Array.from(Buffer.from(`${SEED_HEADER}\n${SEED_ROW_1}\n${row2}\n${row3}\n`, 'latin1'));
    assert.ok(bytes.includes(0xe9) && bytes.includes(0xfc));
    // Row 3 shares row 1's images: without a folder, no image-reused.
    const r = lintSafely(bytes, { files: null });
    const column = row2.indexOf('é');
    assert.deepEqual(where(r.problems), [`encoding@2:${column}-2:${column + 1}`]);
    assert.equal(r.rows, 3);
  });

  it('reads a UTF-8 byte-order mark as a bom warning and still recognises the first column', () => {
    const r = lintSafely(Uint8Array.from([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(SEED_CSV)]));
    assert.deepEqual(where(r.problems), ['bom@0:0-0:0']);
    assert.deepEqual(withCode(r.problems, 'missing-column'), []);
    assert.equal(r.rows, 2);
  });
});

describe('robustness: huge input', () => {
  it('reports a 1,000,000-character customerInternalReference as reference-too-long, fast', () => {
    const { value: r, ms } = timed(() => lintSafely(`${SEED_HEADER}\n${seedRow({ customerInternalReference: 'a'.repeat(1_000_000) })}\n`, { files: ROW_1_IMAGES }));
    assert.deepEqual(where(r.problems), ['reference-too-long@1:6-1:1000006']);
    assert.ok(ms < FAST_MS, `took ${ms} ms`);
  });

  it('lints a 1,000,000-character reference holding an @ without quadratic backtracking', () => {
    const reference = `${'a'.repeat(500_000)}@${'b'.repeat(499_999)}`;
    const { value: r, ms } = timed(() => lintSafely(`${SEED_HEADER}\n${seedRow({ customerInternalReference: reference })}\n`, { files: ROW_1_IMAGES }));
    assert.deepEqual(codes(r.problems), ['reference-too-long']);
    assert.ok(ms < FAST_MS, `took ${ms} ms`);
  });

  it('reports the quotes of a 1,000,000-character quoted reference at their places, 20 one by one, fast', () => {
    // 100,000 escaped quotes ("") in a quoted cell: each is a forbidden-character at its place.
    const value = 'abcdefghi"'.repeat(100_000);
    const cell = `"${value.replace(/"/g, '""')}"`;
    const { value: r, ms } = timed(() => lintSafely(`${SEED_HEADER}\n${seedRow({ customerInternalReference: cell })}\n`, { files: ROW_1_IMAGES }));
    const forbidden = withCode(r.problems, 'forbidden-character');
    // 20 shown one by one, then one problem over the whole cell counts the rest.
    assert.equal(forbidden.length, 21);
    assert.equal(withCode(r.problems, 'reference-too-long').length, 1);
    // The cell starts at column 6; its first "" sits after the opening quote and nine letters.
    const byStart = [...forbidden].sort((a, b) => a.range.start.character - b.range.start.character);
    assert.deepEqual(where([byStart[0]]), [`forbidden-character@1:6-1:${6 + cell.length}`]);
    assert.match(byStart[0].message, /99,980 more/);
    assert.deepEqual(where([byStart[1]]), ['forbidden-character@1:16-1:18']);
    assert.deepEqual(where([byStart[20]]), [`forbidden-character@1:${6 + 20 * 11 - 1}-1:${6 + 20 * 11 + 1}`]);
    assert.ok(ms < FAST_MS, `took ${ms} ms`);
  });

  it('counts 50,000 rows and reports row-limit once, at the first row past 10,000', () => {
    // Every row its own (no duplicate-row), and no folder: they share the seed's images.
    const rows = Array.from({ length: 50_000 }, (_, i) => numberedRow(i, i % 2 ? SEED_ROW_2 : SEED_ROW_1));
    const { value: r, ms } = timed(() => lintSafely(`${SEED_HEADER}\n${rows.join('\n')}\n`, { files: null }));
    assert.deepEqual(where(r.problems), [`row-limit@10001:0-10001:${SEED_ROW_1.length}`]);
    assert.equal(r.rows, 50_000);
    assert.ok(ms < 2 * FAST_MS, `took ${ms} ms`);
  });
});

describe('robustness: line endings', () => {
  it('lints a CRLF file clean', () => {
    const r = lintSafely(`${SEED_HEADER}\r\n${SEED_ROW_1}\r\n${SEED_ROW_2}\r\n`);
    assert.deepEqual(r.problems, []);
    assert.equal(r.rows, 2);
  });

  it('reports CRLF and LF mixed once, at the end of the first line that differs', () => {
    const csv = `${SEED_HEADER}\r\n${SEED_ROW_1}\n${SEED_ROW_2}\n${numberedRow(3)}\r\n${numberedRow(4, SEED_ROW_2)}\n`;
    const r = lintSafely(csv, { files: null });
    assert.deepEqual(where(r.problems), [`line-endings@1:${SEED_ROW_1.length}-1:${SEED_ROW_1.length}`]);
    assert.equal(r.rows, 4);
  });
});

describe('robustness: a quote left open', () => {
  it('reports csv-syntax at an opening quote never closed at the end of the file, and lints the rows before it', () => {
    const row1 = seedRow({ customerInternalReference: 'my<Org' });
    for (const tail of ['10015,"myOrg,x\n', '10015,"myOrg', '10015,"']) {
      const r = lintSafely(`${SEED_HEADER}\n${row1}\n${tail}`, { files: ROW_1_IMAGES });
      assert.deepEqual(where(r.problems), ['forbidden-character@1:8-1:9', 'csv-syntax@2:6-2:7'], JSON.stringify(tail));
      assert.equal(r.rows, 1);
      assert.equal(r.images.length, 3);
    }
  });
});
