// A unified diff of two texts by lines, for `jumio-batch fix --dry-run`: Myers' O(ND) algorithm
// in linear space (the middle snake, as in diff-match-patch's bisect), on line numbers rather
// than strings, with the common head and tail cut off first.

/** What a line of the edit script does. */
const KEEP = 0;
const DELETE = 1;
const INSERT = 2;
type Op = typeof KEEP | typeof DELETE | typeof INSERT;

/** The lines of a text, each with its own line break (`\n`, CRLF's `\r` included); the last may have none. */
function linesOf(text: string): string[] {
  const out: string[] = [];
  let at = 0;
  while (at < text.length) {
    const nl = text.indexOf('\n', at);
    const end = nl < 0 ? text.length : nl + 1;
    out.push(text.slice(at, end));
    at = end;
  }
  return out;
}

/** The point where a shortest edit script from a[a0, a1) to b[b0, b1) crosses its middle, or undefined when the two share no line. */
function middleSnake(a: Int32Array, a0: number, a1: number, b: Int32Array, b0: number, b1: number): { x: number; y: number } | undefined {
  const n = a1 - a0;
  const m = b1 - b0;
  const maxD = Math.ceil((n + m) / 2);
  const offset = maxD;
  const size = 2 * maxD + 2;
  const v1 = new Int32Array(size).fill(-1);
  const v2 = new Int32Array(size).fill(-1);
  v1[offset + 1] = 0;
  v2[offset + 1] = 0;
  const delta = n - m;
  const front = delta % 2 !== 0;
  let k1start = 0;
  let k1end = 0;
  let k2start = 0;
  let k2end = 0;
  for (let d = 0; d < maxD; d++) {
    for (let k1 = -d + k1start; k1 <= d - k1end; k1 += 2) {
      const i1 = offset + k1;
      let x1 = k1 === -d || (k1 !== d && v1[i1 - 1] < v1[i1 + 1]) ? v1[i1 + 1] : v1[i1 - 1] + 1;
      let y1 = x1 - k1;
      while (x1 < n && y1 < m && a[a0 + x1] === b[b0 + y1]) { x1++; y1++; }
      v1[i1] = x1;
      if (x1 > n) k1end += 2;
      else if (y1 > m) k1start += 2;
      else if (front) {
        const i2 = offset + delta - k1;
        if (i2 >= 0 && i2 < size && v2[i2] !== -1 && x1 >= n - v2[i2]) return { x: x1, y: y1 };
      }
    }
    for (let k2 = -d + k2start; k2 <= d - k2end; k2 += 2) {
      const i2 = offset + k2;
      let x2 = k2 === -d || (k2 !== d && v2[i2 - 1] < v2[i2 + 1]) ? v2[i2 + 1] : v2[i2 - 1] + 1;
      let y2 = x2 - k2;
      while (x2 < n && y2 < m && a[a1 - x2 - 1] === b[b1 - y2 - 1]) { x2++; y2++; }
      v2[i2] = x2;
      if (x2 > n) k2end += 2;
      else if (y2 > m) k2start += 2;
      else if (!front) {
        const i1 = offset + delta - k2;
        if (i1 >= 0 && i1 < size && v1[i1] !== -1) {
          const x1 = v1[i1];
          if (x1 >= n - x2) return { x: x1, y: x1 - (i1 - offset) };
        }
      }
    }
  }
  return undefined;
}

/** Appends the edit script from a[a0, a1) to b[b0, b1). */
function script(a: Int32Array, a0: number, a1: number, b: Int32Array, b0: number, b1: number, out: Op[]): void {
  while (a0 < a1 && b0 < b1 && a[a0] === b[b0]) { out.push(KEEP); a0++; b0++; }
  let tail = 0;
  while (a1 > a0 && b1 > b0 && a[a1 - 1] === b[b1 - 1]) { a1--; b1--; tail++; }
  if (a0 === a1 || b0 === b1) {
    for (let i = a0; i < a1; i++) out.push(DELETE);
    for (let i = b0; i < b1; i++) out.push(INSERT);
  } else {
    const mid = middleSnake(a, a0, a1, b, b0, b1);
    // A split at either end would recurse on the same problem: treat it as no common line.
    if (!mid || (mid.x === 0 && mid.y === 0) || (mid.x === a1 - a0 && mid.y === b1 - b0)) {
      for (let i = a0; i < a1; i++) out.push(DELETE);
      for (let i = b0; i < b1; i++) out.push(INSERT);
    } else {
      script(a, a0, a0 + mid.x, b, b0, b0 + mid.y, out);
      script(a, a0 + mid.x, a1, b, b0 + mid.y, b1, out);
    }
  }
  for (let i = 0; i < tail; i++) out.push(KEEP);
}

/** Lines of context around each change, as `diff -u` gives. */
const CONTEXT = 3;

function range(start: number, count: number): string {
  // An empty side names the line before it (0 at the top), as GNU diff does.
  const first = count === 0 ? start : start + 1;
  return count === 1 ? `${first}` : `${first},${count}`;
}

/**
 * The unified diff (`diff -u`, 3 lines of context) that turns `before` into `after`, headed
 * `--- oldName` / `+++ newName`; empty when the texts are equal. Lines keep their own line
 * breaks (a CRLF file shows its `\r`), and a last line without one is marked
 * `\ No newline at end of file`, so `patch` applies it exactly.
 */
export function unifiedDiff(before: string, after: string, oldName: string, newName: string): string {
  if (before === after) return '';
  const a = linesOf(before);
  const b = linesOf(after);
  const ids = new Map<string, number>();
  const id = (line: string): number => {
    let n = ids.get(line);
    if (n === undefined) { n = ids.size; ids.set(line, n); }
    return n;
  };
  const aIds = Int32Array.from(a, id);
  const bIds = Int32Array.from(b, id);
  const ops: Op[] = [];
  script(aIds, 0, a.length, bIds, 0, b.length, ops);

  const out = [`--- ${oldName}\n`, `+++ ${newName}\n`];
  const line = (prefix: string, text: string): void => {
    out.push(prefix + text);
    if (!text.endsWith('\n')) out.push('\n\\ No newline at end of file\n');
  };
  // Old and new line numbers before each op.
  const oldAt = new Int32Array(ops.length + 1);
  const newAt = new Int32Array(ops.length + 1);
  for (let i = 0; i < ops.length; i++) {
    oldAt[i + 1] = oldAt[i] + (ops[i] === INSERT ? 0 : 1);
    newAt[i + 1] = newAt[i] + (ops[i] === DELETE ? 0 : 1);
  }
  let i = 0;
  while (i < ops.length) {
    if (ops[i] === KEEP) { i++; continue; }
    const start = Math.max(0, i - CONTEXT);
    // The hunk runs on while the next change is at most 2 × CONTEXT unchanged lines away.
    let end = i;
    let keeps = 0;
    for (let j = i; j < ops.length && keeps <= 2 * CONTEXT; j++) {
      if (ops[j] === KEEP) keeps++;
      else { keeps = 0; end = j + 1; }
    }
    const stop = Math.min(ops.length, end + CONTEXT);
    out.push(`@@ -${range(oldAt[start], oldAt[stop] - oldAt[start])} +${range(newAt[start], newAt[stop] - newAt[start])} @@\n`);
    for (let j = start; j < stop; j++) {
      if (ops[j] === KEEP) line(' ', a[oldAt[j]]);
      else if (ops[j] === DELETE) line('-', a[oldAt[j]]);
      else line('+', b[newAt[j]]);
    }
    i = stop;
  }
  return out.join('');
}
