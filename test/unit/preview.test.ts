import * as assert from 'node:assert/strict';
import { imageUri, previewModel, scrollToShow, virtualWindow, visibleRows } from '../../src/core';
import { SEED_HEADER, SEED_IMAGES, lint, seedRow } from '../helpers/lint';

const FILES = [...SEED_IMAGES, 'id/a b.png'];

function model(rows: string[]) {
  const text = `${SEED_HEADER}\n${rows.join('\n')}\n`;
  const problems = lint(text, { files: FILES }).problems;
  return { ...previewModel(text, problems), problems };
}

describe('the batch preview\'s rows', () => {
  it('gives each data row its number, line, reference and three image paths (front, back, face)', () => {
    const m = model([
      seedRow({ customerInternalReference: 'order-1' }),
      seedRow({ customerInternalReference: 'order-2', 'preparedData.address.line1': '"12 Main St\nApt 4"', frontImage: './id/a b.png' }),
      '',
      seedRow({ customerInternalReference: 'order-3' }),
    ]);
    assert.deepEqual(m.rows.map((r) => [r.row, r.line, r.reference]), [[1, 1, 'order-1'], [2, 2, 'order-2'], [3, 5, 'order-3']]);
    assert.deepEqual(m.rows[0].images, [{ path: '0_200014954151.front.png' }, { path: '0_200014954151.back.png' }, { path: '0_200014954151.face.png' }]);
    assert.equal(m.rows[1].images[0].path, 'id/a b.png', 'the path as the server sees it');
    assert.deepEqual(m.problems.filter((p) => p.code === 'blank-row').map((p) => p.range.start.line), [4]);
    assert.equal(m.otherProblems, m.problems.filter((p) => p.code === 'blank-row' || p.code === 'image-unreferenced').length, 'the blank line and the unreferenced images');
  });

  it('counts each row\'s problems and marks image cells: no file drawn where there is none to draw', () => {
    const m = model([
      seedRow({ customerInternalReference: 'a<b', faceImage: 'missing.png' }),
      seedRow({ frontImage: '../up.png', backImage: '' }),
      // Its own images: one file on two rows would be image-reused.
      seedRow({ customerInternalReference: 'order-3', frontImage: '1_200014954152.front.png', backImage: '1_200014954152.back.png', faceImage: '1_200014954152.face.png' }),
    ]);
    assert.deepEqual(m.rows.map((r) => r.problems), [2, 1, 0]);
    assert.deepEqual(m.rows[0].images[2], { problem: 'image-missing' });
    assert.deepEqual(m.rows[1].images, [{ problem: 'image-outside-batch' }, {}, { path: '0_200014954151.face.png' }]);
    assert.deepEqual(m.rows[2].images.map((i) => i.problem), [undefined, undefined, undefined]);
  });

  it('lays header and file problems on no row, and reads on after a row with a syntax error', () => {
    const text = `${SEED_HEADER},frontimage\n${seedRow({ customerInternalReference: 'order-"1"' })},\n${seedRow()},\n`;
    const problems = lint(text, { files: FILES }).problems;
    const m = previewModel(text, problems);
    assert.deepEqual(m.rows.map((r) => [r.row, r.line, r.reference]), [[1, 1, ''], [2, 2, 'myOrganization']]);
    assert.ok(m.rows[0].problems >= 1, 'the csv-syntax error is on row 1');
    assert.equal(m.otherProblems, problems.filter((p) => p.range.start.line === 0).length, 'the header\'s unknown-column and the unreferenced images');
    assert.equal(m.rows.reduce((n, r) => n + r.problems, 0) + m.otherProblems, problems.length);
  });

  it('reads a file without image or reference columns, and one that is only a header', () => {
    assert.deepEqual(previewModel('workflowDefinitionKey\n10015\n', []).rows, [{ row: 1, line: 1, reference: '', images: [{}, {}, {}], problems: 0 }]);
    assert.deepEqual(previewModel(`${SEED_HEADER}\r\n`, []).rows, []);
    assert.deepEqual(previewModel('', []), { rows: [], otherProblems: 0 });
  });

  it('keeps only the rows with problems when filtered', () => {
    // Rows of their own (no image, other references): the same row twice would be duplicate-row.
    const own = (ref: string, faceImage = ''): string => seedRow({ customerInternalReference: ref, frontImage: '', backImage: '', faceImage });
    const m = model([own('r1'), own('r2', 'gone.png'), own('r3'), own('')]);
    assert.deepEqual(visibleRows(m.rows, true), [1, 3]);
    assert.deepEqual(visibleRows(m.rows, false), [0, 1, 2, 3]);
  });

  it('builds 10,000 rows quickly enough to follow each lint', () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => seedRow({ customerInternalReference: `ref-${i}` }));
    const text = `${SEED_HEADER}\n${rows.join('\n')}\n`;
    const problems = lint(text, { files: FILES }).problems;
    const started = performance.now();
    const m = previewModel(text, problems);
    const ms = performance.now() - started;
    console.log(`      previewModel of 10,000 rows: ${ms.toFixed(1)} ms`);
    assert.equal(m.rows.length, 10_000);
    assert.ok(ms < 1000, `${ms} ms`);
  });
});

describe('the preview\'s virtual list', () => {
  it('draws only the rows on screen and a few more on each side', () => {
    assert.deepEqual(virtualWindow(10_000, 50, 0, 500, 4), { first: 0, end: 14, offset: 0, height: 500_000 });
    assert.deepEqual(virtualWindow(10_000, 50, 250_010, 500, 4), { first: 4996, end: 5015, offset: 249_800, height: 500_000 });
    assert.deepEqual(virtualWindow(10_000, 50, 499_500, 500, 4), { first: 9986, end: 10_000, offset: 499_300, height: 500_000 });
  });

  it('clamps a scroll position past the end (a list that shrank under the filter) and draws a short list whole', () => {
    assert.deepEqual(virtualWindow(30, 50, 499_500, 500, 4), { first: 16, end: 30, offset: 800, height: 1500 });
    assert.deepEqual(virtualWindow(3, 50, 0, 500, 4), { first: 0, end: 3, offset: 0, height: 150 });
    assert.deepEqual(virtualWindow(0, 50, 100, 500, 4), { first: 0, end: 0, offset: 0, height: 0 });
  });

  it('scrolls a row into view only when it is not', () => {
    assert.equal(scrollToShow(10, 50, 0, 500), 50, 'below: its bottom at the bottom');
    assert.equal(scrollToShow(2, 50, 400, 500), 100, 'above: its top at the top');
    assert.equal(scrollToShow(5, 50, 100, 500), 100, 'in view: unchanged');
  });

  it('makes an image\'s webview URI from the folder\'s, encoding each path segment, with a change count', () => {
    assert.equal(imageUri('https://x.test/batch/', 'id/a b#1.png'), 'https://x.test/batch/id/a%20b%231.png');
    assert.equal(imageUri('https://x.test/batch', 'f.png', 2), 'https://x.test/batch/f.png?v=2');
  });
});
