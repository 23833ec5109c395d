import * as assert from 'node:assert/strict';
import { FIXERS, FIX_BLOCKING_CODES, FixCsvResult, FolderIndex, Problem, applyEdits, fixCsv, fixDocument, fixOf, mergeFixes } from '../../src/core';
import { FIXABLE_CSV, FIXABLE_IMAGES, FIXED_CSV } from '../helpers/fixable';
import { NOW, SEED_HEADER, SEED_IMAGES, codes, lint, seedRow } from '../helpers/lint';

// The fix engine that the editor's quick fixes and `jumio-batch fix` share: the table of fixers,
// how fixes are merged, and the whole-file fix on bytes.

const encode = (s: string): Uint8Array => new TextEncoder().encode(s);
const decode = (b: Uint8Array): string => new TextDecoder('utf-8', { ignoreBOM: true }).decode(b);

function fix(bytes: Uint8Array, files: string[] = SEED_IMAGES): FixCsvResult {
  return fixCsv({ fileName: 'input.csv', bytes, folder: new FolderIndex(files.map((path) => ({ path }))), options: { now: NOW } });
}

function fixed(bytes: Uint8Array, files?: string[]): Extract<FixCsvResult, { ok: true }> {
  const r = fix(bytes, files);
  assert.ok(r.ok, `refused: ${r.ok ? '' : codes(r.problems).join(', ')}`);
  return r;
}

describe('the fix engine', () => {
  describe('fixCsv', () => {
    it('fixes a file with a problem of every fixable code: none is left, and no other byte changes (CRLF kept)', () => {
      const before = lint(FIXABLE_CSV, { files: FIXABLE_IMAGES }).problems;
      // delimiter rewrites every separator of a file: it has a test of its own below.
      assert.deepEqual([...new Set(codes(before))].sort(), Object.keys(FIXERS).filter((c) => c !== 'delimiter').sort(), 'the file has every code the engine fixes');
      const r = fixed(FIXABLE_CSV, FIXABLE_IMAGES);
      assert.equal(r.changed, true);
      assert.equal(decode(r.bytes), decode(FIXED_CSV));
      assert.deepEqual(Buffer.from(r.bytes), FIXED_CSV);
      assert.deepEqual(codes(lint(r.bytes, { files: FIXABLE_IMAGES }).problems), []);
    });

    it('counts what it fixed, by code', () => {
      const r = fixed(FIXABLE_CSV, FIXABLE_IMAGES);
      assert.deepEqual(r.fixed, {
        'bom': 1, 'missing-column': 1, 'whitespace': 3, 'unknown-column': 1, 'forbidden-character': 2, 'image-case-mismatch': 1,
        'country-code': 2, 'consent-value': 1, 'timestamp': 1, 'phone-number': 1, 'excel-damage': 1, 'blank-row': 1, 'image-name-unicode': 1,
      });
    });

    it('rewrites a file separated by semicolons with commas first, alone, then makes the other fixes', () => {
      const text = 'workflowDefinitionKey;customerInternalReference;preparedData.firstName\r\n10015; order-1 ;Ada, the first\r\n';
      const r = fixCsv({ fileName: 'input.csv', bytes: encode(text), options: { now: NOW } });
      assert.ok(r.ok);
      assert.equal(decode(r.bytes), 'workflowDefinitionKey,customerInternalReference,preparedData.firstName\r\n10015,order-1,"Ada, the first"\r\n');
      assert.deepEqual(r.fixed, { delimiter: 1, whitespace: 1 });
    });

    it('gives the bytes back untouched when there is nothing to fix, and leaves a fixed file as it is', () => {
      const clean = encode(`${SEED_HEADER}\r\n${seedRow()}\r\n`);
      const r = fixed(clean);
      assert.equal(r.changed, false);
      assert.equal(r.bytes, clean);
      const again = fixed(FIXED_CSV, FIXABLE_IMAGES);
      assert.equal(again.changed, false);
    });

    it('keeps a mix of line endings as it is (line-endings has no certain fix) while fixing cells', () => {
      const text = `${SEED_HEADER}\r\n${seedRow({ userConsentUserLocationCountry: 'US' })}\n${seedRow()}\r\n`;
      const r = fixed(encode(text));
      assert.equal(decode(r.bytes), text.replace(',US,', ',USA,'));
    });

    it('removes every forbidden character of a cell, past the 20 reported one by one', () => {
      const r = fixed(encode(`${SEED_HEADER}\n${seedRow({ customerInternalReference: `ref${'<'.repeat(45)}x` })}\n`));
      assert.match(decode(r.bytes), /\n10015,refx,/);
      assert.equal(r.fixed['forbidden-character'], 45);
    });

    describe('refuses a file it cannot read back cell for cell, with the problems that stop it', () => {
      it('bytes that are not UTF-8', () => {
        const r = fix(Uint8Array.from([...encode(`${SEED_HEADER}\n${seedRow({ customerInternalReference: ' M' })}`), 0xfc, 0x0a]));
        assert.ok(!r.ok);
        assert.deepEqual(codes(r.problems), ['encoding']);
      });

      it('a row that is not valid CSV, even when other rows have fixes', () => {
        const r = fix(encode(`${SEED_HEADER}\n${seedRow({ userConsentUserLocationCountry: 'US' })}\n${seedRow({ customerInternalReference: 'a"b' })}\n`));
        assert.ok(!r.ok);
        assert.deepEqual(codes(r.problems), ['csv-syntax']);
        assert.deepEqual([...FIX_BLOCKING_CODES].sort(), ['csv-syntax', 'encoding']);
      });
    });
  });

  describe('mergeFixes', () => {
    const text = `customerInternalReference\n a<b \n`;
    const problems = lint(text, { files: null }).problems;

    it('leaves out a fix that clashes with one taken before it, for a later round', () => {
      // missing-column inserts at the start of every record; the whitespace fix of " a<b " starts there too.
      assert.deepEqual(codes(problems), ['missing-column', 'whitespace', 'forbidden-character']);
      const doc = fixDocument(text);
      const merged = mergeFixes(problems, doc);
      assert.deepEqual(codes(merged.fixed), ['missing-column', 'forbidden-character']);
      assert.equal(applyEdits(doc, merged.edits), 'workflowDefinitionKey,customerInternalReference\n10015, ab \n');
    });

    it('takes adjacent edits together, and a file fix once for all its problems', () => {
      const both = lint('customerInternalReference,preparedData.firstName\na<>b,Ada\n', { files: null }).problems;
      const doc = fixDocument('customerInternalReference,preparedData.firstName\na<>b,Ada\n');
      const merged = mergeFixes([...both, ...both.filter((p) => p.code === 'missing-column')], doc);
      assert.deepEqual(codes(merged.fixed), ['missing-column', 'forbidden-character', 'forbidden-character', 'missing-column']);
      assert.equal(applyEdits(doc, merged.edits), 'workflowDefinitionKey,customerInternalReference,preparedData.firstName\n10015,ab,Ada\n');
    });

    it('ignores problems that have no certain fix', () => {
      const pii = lint(`${SEED_HEADER}\n${seedRow({ customerInternalReference: 'ada@example.com' })}\n`, { files: null }).problems;
      assert.deepEqual(codes(pii), ['pii-in-reference']);
      assert.equal(fixOf(pii[0], fixDocument('')), undefined);
      assert.deepEqual(mergeFixes(pii, fixDocument('')), { edits: [], dropBom: false, fixed: [] });
    });
  });

  describe('FIXERS', () => {
    it('has a fixer for every problem the linter gives a replacement', () => {
      const withReplacement = (ps: Problem[]): string[] => [...new Set(ps.filter((p) => p.replacement !== undefined).map((p) => p.code))];
      const all = lint(FIXABLE_CSV, { files: FIXABLE_IMAGES }).problems;
      assert.ok(withReplacement(all).length >= 9);
      for (const code of withReplacement(all)) assert.ok(FIXERS[code as keyof typeof FIXERS], code);
    });

    it('titles each fix, and each fix of all problems of a code', () => {
      const doc = fixDocument(decode(FIXABLE_CSV).slice(1));
      const titles = lint(FIXABLE_CSV, { files: FIXABLE_IMAGES }).problems.map((p) => fixOf(p, doc)?.title);
      assert.ok(titles.includes('Add the column workflowDefinitionKey (workflow key 10015)'), titles.join(' | '));
      assert.ok(titles.includes('Rename the column to "preparedData.firstName"'));
      assert.ok(titles.includes('Remove the byte-order mark'));
      assert.equal(FIXERS['country-code']?.all?.(2), 'Correct all 2 country codes');
      assert.equal(FIXERS.bom?.all, undefined);
    });
  });
});
