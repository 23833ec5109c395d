import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { applyText as applyEdits, fixText, replacementEdits } from '../helpers/fixText';
import {
  CsvLint, FolderIndex, LineIndex, Problem, cellAt, decodeCsv, lintCsv,
} from '../../src/core';
import { Batch, batch, batchBytes, imageFacts } from '../helpers/arbitraries';
import { NOW } from '../helpers/lint';

// Properties of the lint over generated and mutated batches (test/helpers/arbitraries.ts). `npm
// test` runs 10,000 cases in all, from a fixed seed (the same cases at every run, so that CI does
// not fail by chance); `npm run fuzz` runs 1,000,000 from a new seed each time (JUMIO_FUZZ_RUNS,
// JUMIO_FUZZ_SEED). A failure prints the seed and path that replay it:
// JUMIO_FUZZ_SEED=<seed> JUMIO_FUZZ_PATH=<path>.

const TOTAL_RUNS = Number(process.env.JUMIO_FUZZ_RUNS ?? 10_000);
const SEED = Number(process.env.JUMIO_FUZZ_SEED ?? 20_261_202);
const PATH = process.env.JUMIO_FUZZ_PATH;

/** Runs a property for its share of the runs; on failure, throws fast-check's report with the replay line. */
function check<T>(share: number, arbitrary: fc.Arbitrary<T>, predicate: (value: T) => void): void {
  const numRuns = Math.max(1, Math.round(TOTAL_RUNS * share));
  const details = fc.check(fc.property(arbitrary, predicate), { numRuns, seed: SEED, ...(PATH ? { path: PATH } : {}) });
  if (details.failed) {
    throw new Error(`${fc.defaultReportMessage(details)}\nReplay: JUMIO_FUZZ_SEED=${details.seed} JUMIO_FUZZ_PATH=${details.counterexamplePath ?? ''}`);
  }
}

function lintText(text: string, folder: Batch['folder']): CsvLint {
  return lintCsv({ fileName: 'input.csv', bytes: new TextEncoder().encode(text), folder: folder ? new FolderIndex(folder) : undefined, options: { now: NOW } });
}

/**
 * Where an image reference leads: each reference gets at most one of these, and a fix may turn
 * one into another (a trimmed name found in another letter case, or now read as an absolute path).
 */
const REFERENCE_CODES = new Set(['image-missing', 'image-outside-batch', 'image-case-mismatch', 'image-name-unicode', 'image-reserved-name']);

/** The errors of each code (the image reference codes counted as one). */
function errorCounts(problems: readonly Problem[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const p of problems) {
    if (p.severity !== 'error') continue;
    const key = REFERENCE_CODES.has(p.code) ? 'image reference' : p.code;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

function assertNoMoreErrors(before: readonly Problem[], after: readonly Problem[], what: string): void {
  const was = errorCounts(before);
  for (const [code, n] of errorCounts(after)) {
    assert.ok(n <= (was.get(code) ?? 0), `${what} made ${n} ${code} errors out of ${was.get(code) ?? 0}`);
  }
}

/** Every range starts before it ends and lies on a line of the text, within that line. */
function assertInside(problems: readonly Problem[], text: string): void {
  const index = new LineIndex(text);
  const lines = index.positionAt(text.length).line + 1;
  for (const p of problems) {
    const { start, end } = p.range;
    assert.ok(start.line < end.line || (start.line === end.line && start.character <= end.character), `${p.code} ends before it starts`);
    for (const at of [start, end]) {
      assert.ok(at.line >= 0 && at.line < lines, `${p.code} on line ${at.line} of ${lines}`);
      const length = index.lineEnd(at.line) - index.offsetAt(at.line);
      assert.ok(at.character >= 0 && at.character <= length, `${p.code} at character ${at.character} of a line of ${length}`);
    }
  }
}

describe('properties of the lint over generated batches', function () {
  this.timeout(0);

  it('never throws, whatever the bytes, and every range lies inside the text (image checks too)', () => {
    check(0.3, fc.tuple(batchBytes, fc.array(imageFacts, { maxLength: 8 })), ([{ bytes, folder }, facts]) => {
      const lint = lintCsv({ fileName: 'input.csv', bytes, folder: folder ? new FolderIndex(folder) : undefined, options: { now: NOW } });
      const images = lint.checkImages(new Map(lint.images.map((p, i) => [p, facts[i % Math.max(1, facts.length)] ?? { size: 0, head: new Uint8Array(0) }])));
      const decoded = decodeCsv(bytes, 'input.csv');
      // Positions refer to the text the linter read; for bytes that are no text, to what an editor shows.
      const text = decoded.binary ? new TextDecoder().decode(bytes) : decoded.text;
      assertInside([...lint.problems, ...images], text);
    });
  });

  it('applying every replacement, one alone or all at once, never adds an error', () => {
    check(0.3, batch, ({ text, folder }) => {
      const before = lintText(text, folder).problems;
      // A rename makes the rows' values checked for the column it names: see the next property.
      const fixable = before.filter((p) => p.replacement !== undefined && p.code !== 'unknown-column');
      for (const p of fixable.slice(0, 3)) assertNoMoreErrors(before, lintText(applyEdits(text, replacementEdits([p])), folder).problems, `the ${p.code} fix`);
      assertNoMoreErrors(before, lintText(applyEdits(text, replacementEdits(fixable)), folder).problems, 'all the fixes');
    });
  });

  it('renaming misspelt columns adds errors only in the cells of the renamed columns', () => {
    check(0.15, batch, ({ text, folder }) => {
      const lint = lintText(text, folder);
      const renames = lint.problems.filter((p) => p.code === 'unknown-column' && p.replacement !== undefined);
      // Past a syntax error, cells cannot be told apart by position (cellAt gives up there).
      if (renames.length === 0 || lint.problems.some((p) => p.code === 'csv-syntax')) return;
      const renamed = new Set(renames.map((p) => cellAt(text, p.range.start.line, p.range.start.character)?.column));
      const after = applyEdits(text, replacementEdits(renames));
      const elsewhere = (problems: Problem[], t: string): Problem[] => problems.filter((p) => {
        const at = cellAt(t, p.range.start.line, p.range.start.character);
        return !(at && at.record > 0 && renamed.has(at.column));
      });
      assertNoMoreErrors(elsewhere(lint.problems, text), elsewhere(lintText(after, folder).problems, after), 'the renames');
    });
  });

  it('applying the fixes twice gives the same file as once', () => {
    check(0.25, batch, ({ text, folder }) => {
      const input = { folder: folder ? new FolderIndex(folder) : undefined, options: { now: NOW } };
      const once = fixText(text, input);
      assert.equal(fixText(once, input), once);
    });
  });
});
