import * as assert from 'node:assert/strict';
import { FolderIndex, ResubmitPlan, planResubmit } from '../../src/core';
import { SEED_HEADER, codes, seedRow } from '../helpers/lint';

// The pure plan of a new batch from one row on: which row it starts at, what it carries, and
// when it refuses.

const encode = (s: string): Uint8Array => new TextEncoder().encode(s);

function row(i: number, changes: Record<string, string> = {}): string {
  return seedRow({ customerInternalReference: `ref-${i}`, backImage: `img/${i}.back.png`, frontImage: `img/${i}.front.png`, faceImage: `img/${i}.face.png`, ...changes });
}

function folderOf(rows: number, except: string[] = []): FolderIndex {
  const files = Array.from({ length: rows }, (_, i) => ['back', 'front', 'face'].map((s) => `img/${i}.${s}.png`)).flat();
  return new FolderIndex(files.filter((f) => !except.includes(f)).map((path) => ({ path })));
}

function ok(plan: ResubmitPlan): Extract<ResubmitPlan, { ok: true }> {
  assert.ok(plan.ok, `refused: ${JSON.stringify(plan)}`);
  return plan;
}

describe('planResubmit', () => {
  // A BOM, CRLF endings, a blank line (no row) and a quoted cell spanning lines.
  const text = `\uFEFF${SEED_HEADER}\r\n${row(0)}\r\n\r\n${row(1)}\r\n${row(2, { 'preparedData.address.line1': '"1 Main St\r\nApt 2"' })}\r\n${row(3)}\r\n${row(4)}`;
  const bytes = encode(text);
  const folder = folderOf(5);

  it('starts at data row N as lint counts rows, and carries the header and rows N to the end exactly as written', () => {
    const plan = ok(planResubmit({ bytes, folder }, { row: 3 }));
    assert.deepEqual(plan.start, { row: 3, line: 4, endLine: 5, reference: 'ref-2' });
    assert.equal(plan.sourceRows, 5);
    assert.equal(plan.part.rows, 3);
    assert.equal(plan.part.csv, `${SEED_HEADER}\r\n${row(2, { 'preparedData.address.line1': '"1 Main St\r\nApt 2"' })}\r\n${row(3)}\r\n${row(4)}`);
    assert.deepEqual(plan.part.images, ['img/2.back.png', 'img/2.front.png', 'img/2.face.png', 'img/3.back.png', 'img/3.front.png', 'img/3.face.png', 'img/4.back.png', 'img/4.front.png', 'img/4.face.png']);
  });

  it('row 1 is the whole batch, and the last row a batch of one', () => {
    assert.equal(ok(planResubmit({ bytes, folder }, { row: 1 })).part.rows, 5);
    const last = ok(planResubmit({ bytes, folder }, { row: 5 }));
    assert.deepEqual([last.part.rows, last.start.reference], [1, 'ref-4']);
  });

  it('starts at the row carrying a reference (trimmed)', () => {
    const plan = ok(planResubmit({ bytes, folder }, { reference: ' ref-3 ' }));
    assert.deepEqual(plan.start, { row: 4, line: 6, endLine: 6, reference: 'ref-3' });
  });

  it('refuses a reference carried by several rows, listing them, and one carried by none', () => {
    const twice = encode(`${SEED_HEADER}\n${row(0)}\n${row(1, { customerInternalReference: 'ref-0' })}\n${row(2)}\n`);
    const plan = planResubmit({ bytes: twice, folder: folderOf(3) }, { reference: 'ref-0' });
    assert.ok(!plan.ok && plan.reason === 'ambiguous');
    assert.deepEqual(plan.matches.map((m) => [m.row, m.line]), [[1, 1], [2, 2]]);
    assert.deepEqual(planResubmit({ bytes, folder }, { reference: 'ref-9' }), { ok: false, reason: 'no-such-reference' });
  });

  it('refuses a row out of range, and throws on a row that is no integer', () => {
    for (const n of [0, -1, 6]) assert.deepEqual(planResubmit({ bytes, folder }, { row: n }), { ok: false, reason: 'out-of-range', rows: 5 });
    assert.throws(() => planResubmit({ bytes, folder }, { row: 2.5 }), RangeError);
  });

  it('is stopped by a missing image only in a row it carries', () => {
    const gappy = folderOf(5, ['img/1.face.png']);
    assert.equal(ok(planResubmit({ bytes, folder: gappy }, { row: 3 })).part.rows, 3);
    const plan = planResubmit({ bytes, folder: gappy }, { row: 2 });
    assert.ok(!plan.ok && plan.reason === 'unsafe');
    assert.deepEqual(codes(plan.problems), ['image-missing']);
  });

  it('is stopped by errors of the whole file, naming the rows\' blocking errors too', () => {
    const header = SEED_HEADER.replace('workflowDefinitionKey,', '');
    const noKey = encode(`${header}\n${row(0).replace(/^10015,/, '')}\n${row(1).replace(/^10015,/, '')}\n`);
    const plan = planResubmit({ bytes: noKey, folder: folderOf(2, ['img/0.back.png']) }, { row: 2 });
    assert.ok(!plan.ok && plan.reason === 'unsafe');
    assert.deepEqual(codes(plan.problems), ['missing-column', 'image-missing']);
  });
});
