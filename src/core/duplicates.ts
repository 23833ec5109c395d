// Telling a data row identical to an earlier one (`duplicate-row`) without building a key string
// of every row: joining 10,000 rows of 19 cells into keys made the lint ~15% slower (measured,
// interleaved), mostly in allocation. Rows are hashed on a sample of each cell (its length and its
// first, middle and last characters) and compared cell by cell only with the rows of the same
// hash; rows that share a hash too often (made alike on purpose) are keyed by all their cells.
import { CsvRecord } from './csv';

/** How many rows may share a sampled hash before its rows are keyed by all their cells. */
const HOT = 8;

function sampledHash(cells: readonly string[]): number {
  let h = cells.length;
  for (let i = 0; i < cells.length; i++) {
    const s = cells[i];
    const n = s.length;
    h = (Math.imul(h, 31) + n) | 0;
    if (n === 0) continue;
    h = (Math.imul(h, 31) + s.charCodeAt(0)) | 0;
    h = (Math.imul(h, 31) + s.charCodeAt(n >> 1)) | 0;
    h = (Math.imul(h, 31) + s.charCodeAt(n - 1)) | 0;
  }
  return h;
}

function sameCells(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const fullKey = (cells: readonly string[]): string => JSON.stringify(cells);

/** The data rows seen so far, to find the first earlier row with the same cells. */
export class SeenRows {
  private readonly byHash = new Map<number, CsvRecord | CsvRecord[]>();
  private readonly byCells = new Map<string, CsvRecord>();

  /** The earlier row whose cells are all the same as `r`'s, or undefined (and `r` is remembered). */
  earlier(r: CsvRecord): CsvRecord | undefined {
    const h = sampledHash(r.cells);
    const seen = this.byHash.get(h);
    if (seen === undefined) { this.byHash.set(h, r); return undefined; }
    const bucket = Array.isArray(seen) ? seen : [seen];
    if (bucket.length < HOT) {
      for (const e of bucket) if (sameCells(e.cells, r.cells)) return e;
      bucket.push(r);
      if (bucket !== seen) this.byHash.set(h, bucket);
      if (bucket.length === HOT) for (const e of bucket) this.byCells.set(fullKey(e.cells), e);
      return undefined;
    }
    const key = fullKey(r.cells);
    const e = this.byCells.get(key);
    if (e) return e;
    this.byCells.set(key, r);
    return undefined;
  }
}
