import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { unifiedDiff } from '../../src/core';

// The unified diff of `fix --dry-run`: hunks as `diff -u` writes them, which `git apply` (and
// patch) applies.

/** Applies a unified diff to `before` as patch would (hunks in order, context checked). */
function applyDiff(before: string, diff: string): string {
  const old = before.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const lines = diff.split(/(?<=\n)/);
  assert.ok(lines[0].startsWith('--- ') && lines[1].startsWith('+++ '), 'the two header lines');
  const out: string[] = [];
  let at = 0;
  for (let i = 2; i < lines.length;) {
    const h = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@\n$/.exec(lines[i]);
    assert.ok(h, `a hunk header: ${JSON.stringify(lines[i])}`);
    const oldCount = h[2] === undefined ? 1 : Number(h[2]);
    const start = oldCount === 0 ? Number(h[1]) : Number(h[1]) - 1;
    while (at < start) out.push(old[at++]);
    i++;
    while (i < lines.length && !lines[i].startsWith('@@')) {
      let line = lines[i].slice(1);
      const kind = lines[i][0];
      if (lines[i + 1] === '\\ No newline at end of file\n') { line = line.slice(0, -1); i++; }
      if (kind === ' ' || kind === '-') { assert.equal(old[at], line, `line ${at + 1} as the diff says`); at++; }
      if (kind === ' ' || kind === '+') out.push(line);
      i++;
    }
  }
  while (at < old.length) out.push(old[at++]);
  return out.join('');
}

/** The length of a shortest edit script by dynamic programming (for small inputs). */
function shortest(a: string[], b: string[]): number {
  const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  return a.length + b.length - 2 * lcs[0][0];
}

const changedLines = (diff: string): number => diff.split('\n').filter((l) => /^[-+](?![-+]{2} )/.test(l)).length;

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    assert.equal(unifiedDiff('a\nb\n', 'a\nb\n', 'x', 'x'), '');
  });

  it('writes one hunk with three lines of context around a change', () => {
    const before = Array.from({ length: 10 }, (_, i) => `line ${i + 1}\n`).join('');
    const after = before.replace('line 5\n', 'LINE 5\n');
    assert.equal(unifiedDiff(before, after, 'a/input.csv', 'b/input.csv'), [
      '--- a/input.csv', '+++ b/input.csv', '@@ -2,7 +2,7 @@',
      ' line 2', ' line 3', ' line 4', '-line 5', '+LINE 5', ' line 6', ' line 7', ' line 8', '',
    ].join('\n'));
  });

  it('keeps CRLF inside the lines and marks a last line without a line break', () => {
    const d = unifiedDiff('a\r\nb', 'a\r\nc', 'f', 'f');
    assert.equal(d, '--- f\n+++ f\n@@ -1,2 +1,2 @@\n a\r\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n');
  });

  it('merges changes at most six lines apart into one hunk and splits those further apart', () => {
    const base = Array.from({ length: 30 }, (_, i) => `${i}\n`);
    const change = (idx: number[]): string => base.map((l, i) => (idx.includes(i) ? `x${l}` : l)).join('');
    const hunks = (d: string): number => d.split('\n').filter((l) => l.startsWith('@@')).length;
    assert.equal(hunks(unifiedDiff(base.join(''), change([5, 12]), 'f', 'f')), 1);
    assert.equal(hunks(unifiedDiff(base.join(''), change([5, 13]), 'f', 'f')), 2);
  });

  it('numbers an insertion into an empty side from the line before it', () => {
    assert.equal(unifiedDiff('', 'a\n', 'f', 'f'), '--- f\n+++ f\n@@ -0,0 +1 @@\n+a\n');
    assert.equal(unifiedDiff('a\n', '', 'f', 'f'), '--- f\n+++ f\n@@ -1 +0,0 @@\n-a\n');
  });

  it('turns one text into the other, with a shortest edit script, on random texts', () => {
    let seed = 7;
    const random = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
    for (let round = 0; round < 300; round++) {
      const a = Array.from({ length: random(14) }, () => `${'abcd'[random(4)]}\n`);
      const b = a.filter(() => random(4) > 0).flatMap((l) => (random(5) === 0 ? [l, `${'abce'[random(4)]}\n`] : [l]));
      const before = a.join('');
      const after = b.join('') + (random(3) === 0 ? 'tail' : '');
      const d = unifiedDiff(before, after, 'f', 'f');
      if (before === after) { assert.equal(d, ''); continue; }
      assert.equal(applyDiff(before, d), after, JSON.stringify({ before, after, d }));
      const linesOf = (s: string): string[] => s.match(/[^\n]*\n|[^\n]+$/g) ?? [];
      assert.equal(changedLines(d), shortest(linesOf(before), linesOf(after)), JSON.stringify({ before, after, d }));
    }
  });

  it('is what git apply applies, on a file of 10,000 lines with every line changed and with a few', function () {
    this.timeout(60_000);
    const before = Array.from({ length: 10_000 }, (_, i) => `ref-${i},US\r\n`).join('');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'jb-diff-'));
    try {
      for (const after of [before.replace(/^/gm, '10015,').replace(/10015,$/, ''), before.replace('ref-17,US', 'ref-17,USA').replace('ref-9000,US', 'ref-9000,USA')]) {
        writeFileSync(path.join(dir, 'input.csv'), before);
        const d = unifiedDiff(before, after, 'input.csv', 'input.csv');
        // git is there wherever the clone is; outside a repository `git apply` works as patch does.
        const r = spawnSync('git', ['apply', '-p0', '-'], { cwd: dir, input: d, encoding: 'utf8' });
        assert.equal(r.status, 0, r.stderr + r.stdout);
        assert.equal(readFileSync(path.join(dir, 'input.csv'), 'utf8'), after);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
