import * as assert from 'node:assert/strict';
import { FolderIndex, SplitPlan, lintCsv, partSizes, planSplit } from '../../src/core';
import { NOW, SEED_HEADER, codes, seedRow } from '../helpers/lint';

// The pure planner: where the cuts fall, that every row arrives whole and as written, and which
// files make a split unsafe.

const encode = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Row `i` of a generated batch: its own reference and images (`img/<i>.*.png`). */
function row(i: number, changes: Record<string, string> = {}): string {
  return seedRow({
    customerInternalReference: `ref-${i}`,
    backImage: `img/${i}.back.png`,
    frontImage: `img/${i}.front.png`,
    faceImage: `img/${i}.face.png`,
    ...changes,
  });
}

function csvOf(rows: number, eol = '\n'): string {
  return [SEED_HEADER, ...Array.from({ length: rows }, (_, i) => row(i))].join(eol) + eol;
}

function imagesOf(rows: number): string[] {
  return Array.from({ length: rows }, (_, i) => ['back', 'front', 'face'].map((s) => `img/${i}.${s}.png`)).flat();
}

function ok(plan: SplitPlan): Extract<SplitPlan, { ok: true }> {
  assert.ok(plan.ok, `refused: ${plan.ok ? '' : codes(plan.problems).join(', ')}`);
  return plan;
}

/** The data rows of a part, each with its line ending, as written. */
function rowsOf(csv: string, header: string): string {
  assert.ok(csv.startsWith(header), 'every part starts with the header');
  return csv.slice(header.length).replace(/^\r?\n/, '');
}

describe('partSizes', () => {
  it('makes the fewest parts, differing by at most one row, larger ones first', () => {
    assert.deepEqual(partSizes(10_000, 10_000), [10_000]);
    assert.deepEqual(partSizes(10_001, 10_000), [5_001, 5_000]);
    assert.deepEqual(partSizes(20_001, 10_000), [6_667, 6_667, 6_667]);
    assert.deepEqual(partSizes(25_000, 10_000), [8_334, 8_333, 8_333]);
    assert.deepEqual(partSizes(0, 3), []);
  });
});

describe('planSplit', () => {
  it('keeps a batch at the limit whole (3 rows at 3, as 10,000 at 10,000)', () => {
    const csv = csvOf(3);
    const plan = ok(planSplit({ bytes: encode(csv), maxRows: 3 }));
    assert.equal(plan.parts.length, 1);
    assert.equal(plan.parts[0].csv, csv);
    assert.equal(plan.parts[0].rows, 3);
  });

  it('splits one row past the limit into two even parts (4 at 3, as 10,001 at 10,000)', () => {
    const plan = ok(planSplit({ bytes: encode(csvOf(4)), maxRows: 3 }));
    assert.deepEqual(plan.parts.map((p) => p.rows), [2, 2]);
    assert.equal(plan.parts[0].csv, [SEED_HEADER, row(0), row(1)].join('\n') + '\n');
    assert.equal(plan.parts[1].csv, [SEED_HEADER, row(2), row(3)].join('\n') + '\n');
  });

  it('makes three parts of one row past twice the limit (7 at 3, as 20,001 at 10,000), in row order', () => {
    const csv = csvOf(7);
    const plan = ok(planSplit({ bytes: encode(csv), maxRows: 3 }));
    assert.deepEqual(plan.parts.map((p) => p.rows), [3, 2, 2]);
    assert.equal(plan.rows, 7);
    assert.deepEqual(plan.parts.map((p) => p.lines), [{ first: 1, last: 3 }, { first: 4, last: 5 }, { first: 6, last: 7 }]);
    assert.equal(plan.parts.map((p) => rowsOf(p.csv, plan.header)).join(''), csv.slice(SEED_HEADER.length + 1));
  });

  it('splits 25,000 rows at the default limit into 8,334 + 8,333 + 8,333, every row once and in order', () => {
    const csv = csvOf(25_000);
    const plan = ok(planSplit({ bytes: encode(csv) }));
    assert.deepEqual(plan.parts.map((p) => p.rows), [8_334, 8_333, 8_333]);
    assert.equal(plan.parts.map((p) => rowsOf(p.csv, plan.header)).join(''), csv.slice(SEED_HEADER.length + 1));
    assert.equal(plan.parts[2].images.length, 8_333 * 3);
    assert.equal(plan.parts[1].images[0], 'img/8334.back.png');
  });

  it('keeps a quoted cell that spans lines whole, in one part, with its quotes', () => {
    const address = '"12345 SW Address Ln\nApt 4, ""rear"""';
    const rows = [row(0), row(1, { 'preparedData.address.line1': address }), row(2), row(3)];
    const plan = ok(planSplit({ bytes: encode([SEED_HEADER, ...rows].join('\n') + '\n'), maxRows: 2 }));
    assert.equal(plan.parts[0].csv, `${SEED_HEADER}\n${rows[0]}\n${rows[1]}\n`);
    assert.equal(plan.parts[1].csv, `${SEED_HEADER}\n${rows[2]}\n${rows[3]}\n`);
    assert.deepEqual(plan.parts.map((p) => p.lines), [{ first: 1, last: 3 }, { first: 4, last: 5 }]);
  });

  it('keeps CRLF line endings, header included', () => {
    const plan = ok(planSplit({ bytes: encode(csvOf(5, '\r\n')), maxRows: 2 }));
    assert.equal(plan.parts.length, 3);
    for (const p of plan.parts) {
      assert.equal(p.csv.split('\r\n').length - 1, p.rows + 1, 'a CRLF after the header and every row');
      assert.doesNotMatch(p.csv, /[^\r]\n/, 'no bare LF');
    }
    assert.equal(plan.header, SEED_HEADER);
  });

  it('keeps each line as written when the file mixes endings, and a last line without one', () => {
    const text = `${SEED_HEADER}\n${row(0)}\r\n${row(1)}\n${row(2)}`;
    const plan = ok(planSplit({ bytes: encode(text), maxRows: 2 }));
    assert.equal(plan.parts[0].csv, `${SEED_HEADER}\n${row(0)}\r\n${row(1)}\n`);
    assert.equal(plan.parts[1].csv, `${SEED_HEADER}\n${row(2)}`);
  });

  it('does not copy a byte-order mark', () => {
    const plan = ok(planSplit({ bytes: Uint8Array.from([0xef, 0xbb, 0xbf, ...encode(csvOf(4))]), maxRows: 2 }));
    for (const p of plan.parts) {
      assert.ok(p.csv.startsWith(`${SEED_HEADER}\n`), 'the part starts with the header itself');
      assert.equal(p.csv.charCodeAt(0), 0x77);
    }
  });

  it('drops blank rows, before the header, between rows and at the end, empty lines and rows of empty cells alike', () => {
    const text = `\n${SEED_HEADER}\n${row(0)}\n\n${row(1)}\n,,,,\n\n${row(2)}\n\n`;
    const plan = ok(planSplit({ bytes: encode(text), maxRows: 2 }));
    assert.equal(plan.rows, 3);
    assert.equal(plan.parts[0].csv, `${SEED_HEADER}\n${row(0)}\n${row(1)}\n`);
    assert.equal(plan.parts[1].csv, `${SEED_HEADER}\n${row(2)}\n`);
  });

  it('lists each part\'s images once, as written, and an image shared across parts in both', () => {
    const rows = [
      row(0, { faceImage: 'shared/face.png' }),
      row(1, { faceImage: 'shared/face.png', backImage: '' }),
      row(2, { faceImage: 'shared/face.png', frontImage: './img/2.front.png' }),
    ];
    const plan = ok(planSplit({ bytes: encode([SEED_HEADER, ...rows].join('\n') + '\n'), maxRows: 2 }));
    assert.deepEqual(plan.parts[0].images, ['img/0.back.png', 'img/0.front.png', 'shared/face.png', 'img/1.front.png']);
    assert.deepEqual(plan.parts[1].images, ['img/2.back.png', './img/2.front.png', 'shared/face.png']);
  });

  it('produces parts that lint clean when the source does', () => {
    const images = imagesOf(7);
    const folder = new FolderIndex(images.map((p) => ({ path: p })));
    const plan = ok(planSplit({ bytes: encode(csvOf(7)), maxRows: 3, folder }));
    for (const p of plan.parts) {
      const lint = lintCsv({ fileName: 'input.csv', bytes: encode(p.csv), folder: new FolderIndex(p.images.map((i) => ({ path: i }))), options: { now: NOW, maxRows: 3 } });
      assert.deepEqual(codes(lint.problems), []);
    }
  });

  it('carries row-level errors into the parts instead of refusing', () => {
    const text = `${SEED_HEADER}\n${row(0)}\n${row(1, { workflowDefinitionKey: 'abc' })}\n`;
    const plan = ok(planSplit({ bytes: encode(text), maxRows: 1 }));
    assert.match(plan.parts[1].csv, /\nabc,ref-1,/);
  });

  describe('refuses, with the lint problems that make it unsafe', () => {
    const refused = (bytes: Uint8Array, folder?: FolderIndex): string[] => {
      const plan = planSplit({ bytes, maxRows: 1, folder });
      assert.ok(!plan.ok, 'the split is refused');
      return codes(plan.problems);
    };

    it('a row that cannot be read as CSV', () => {
      assert.deepEqual(refused(encode(`${SEED_HEADER}\n${row(0)}\n${row(1, { customerInternalReference: 'ref-"1"' })}\n${row(2)}\n`)), ['csv-syntax']);
    });

    it('bytes that are not UTF-8', () => {
      assert.deepEqual(refused(Uint8Array.from([...encode(`${SEED_HEADER}\n${row(0)}\n`), ...encode(row(1, { 'preparedData.lastName': 'M' })), 0xfc, 0x0a])), ['encoding']);
    });

    it('a file separated by semicolons (every part would be too)', () => {
      const semicolons = (line: string): string => line.split(',').join(';');
      assert.deepEqual(refused(encode([SEED_HEADER, row(0), row(1)].map(semicolons).join('\n') + '\n')), ['delimiter']);
    });

    it('a file with no header, or a header and no row', () => {
      assert.deepEqual(refused(encode('\n\n')), ['empty-file']);
      assert.deepEqual(refused(encode(`${SEED_HEADER}\n`)), ['no-rows']);
    });

    it('a missing required column', () => {
      const header = SEED_HEADER.replace('workflowDefinitionKey,', '');
      assert.deepEqual(refused(encode(`${header}\n${row(0).replace(/^10015,/, '')}\n${row(1).replace(/^10015,/, '')}\n`)), ['missing-column']);
    });

    it('a row whose cells do not line up with the header', () => {
      assert.deepEqual(refused(encode(`${SEED_HEADER}\n${row(0)}\n${row(1)},extra\n`)), ['column-count']);
    });

    it('with the folder: images that are missing or outside the batch', () => {
      const folder = new FolderIndex(imagesOf(2).filter((p) => p !== 'img/1.face.png').map((p) => ({ path: p })));
      const text = `${SEED_HEADER}\n${row(0, { frontImage: '../elsewhere/0.png' })}\n${row(1)}\n`;
      assert.deepEqual(refused(encode(text), folder), ['image-outside-batch', 'image-missing']);
    });

    it('an image reference named DONE, even when the folder has such a file (it would be copied into a part)', () => {
      const folder = new FolderIndex([...imagesOf(2), 'DONE'].map((p) => ({ path: p })));
      assert.deepEqual(refused(encode(`${SEED_HEADER}\n${row(0, { faceImage: 'DONE' })}\n${row(1)}\n`), folder), ['image-reserved-name']);
    });
  });

  it('rejects a row limit that is not a positive integer', () => {
    for (const maxRows of [0, -1, 2.5, Number.NaN]) assert.throws(() => planSplit({ bytes: encode(csvOf(2)), maxRows }), RangeError);
  });
});
