// The batch preview's pure parts: what each row shows (row number, reference, its three images,
// its problem count), which rows the filter keeps, and which rows a scrolled list draws. The
// webview and the extension share these, and the messages between them.
import { IMAGE_COLUMNS } from './columns';
import { isBlankAt, unquote } from './edits';
import { imageCellPath, isPlainPath } from './images';
import { Problem } from './problem';
import { RuleCode } from './rules';
import { scanRecord } from './scan';
import { LineIndex } from './text';

/** One image cell as the preview shows it. */
export interface PreviewImage {
  /** The file to draw, relative to the batch folder; absent when the cell is empty or its file cannot be shown. */
  path?: string;
  /** The code of the cell's first problem, if it has one. */
  problem?: RuleCode;
}

/** One data row of the batch. */
export interface PreviewRow {
  /** 1-based data row (the header not counted), as the hover and the messages count rows. */
  row: number;
  /** 0-based line where the row starts, to reveal it in the editor. */
  line: number;
  /** The customerInternalReference cell ('' when empty or absent). */
  reference: string;
  /** frontImage, backImage, faceImage, in that order. */
  images: PreviewImage[];
  /** Problems whose start lies on the row. */
  problems: number;
}

export interface PreviewModel {
  rows: PreviewRow[];
  /** Problems on no data row: the header, blank lines, the file as a whole (unreferenced images). */
  otherProblems: number;
}

/** Image problems after which there is no file to draw at the cell's path. */
const NOT_DRAWN: ReadonlySet<RuleCode> = new Set<RuleCode>(['image-missing', 'image-outside-batch', 'image-case-mismatch', 'image-reserved-name', 'image-format']);

interface Span { start: number; end: number }

/**
 * The rows of a batch CSV's text, with the problems of its last lint laid on them. Reads the
 * header (the first non-blank record) for the reference and image columns. A record with a
 * syntax error ends at its line, and reading goes on at the next line, as the linter does.
 */
export function previewModel(text: string, problems: readonly Problem[]): PreviewModel {
  const index = new LineIndex(text);
  const rows: PreviewRow[] = [];
  const cells: Span[][] = [];
  let columns: number[] | undefined;
  let reference = -1;
  for (let offset = 0; offset < text.length;) {
    if (isBlankAt(text, offset)) { offset += text.charCodeAt(offset) === 13 && text.charCodeAt(offset + 1) === 10 ? 2 : 1; continue; }
    const r = scanRecord(text, offset);
    const line = index.positionAt(offset).line;
    const next = r.error ? Math.max(index.offsetAt(line + 1), offset + 1) : r.next;
    if (!columns) {
      const header = r.cells.map((c) => unquote(text.slice(c.start, c.end)).trim());
      columns = IMAGE_COLUMNS.map((name) => header.indexOf(name));
      reference = header.indexOf('customerInternalReference');
    } else {
      const cell = (i: number): string => (i >= 0 && i < r.cells.length && !r.error ? unquote(text.slice(r.cells[i].start, r.cells[i].end)) : '');
      rows.push({
        row: rows.length + 1,
        line,
        reference: cell(reference),
        images: columns.map((c) => {
          const value = cell(c);
          // The common case without a regular expression: a plain relative name is its own path.
          if (value === '' || isPlainPath(value)) return value === '' ? {} : { path: value };
          const where = imageCellPath(value);
          return 'path' in where ? { path: where.path } : {};
        }),
        problems: 0,
      });
      cells.push([{ start: offset, end: next }, ...columns.map((c) => (c >= 0 && c < r.cells.length && !r.error ? r.cells[c] : { start: -1, end: -1 }))]);
    }
    offset = next;
  }
  // Both sorted by offset: one pass lays each problem on the row it starts in.
  const byOffset = problems.map((p, i) => ({ p, at: index.offsetAt(p.range.start.line) + p.range.start.character, i })).sort((a, b) => a.at - b.at || a.i - b.i);
  let otherProblems = 0;
  let k = 0;
  for (const { p, at } of byOffset) {
    while (k < rows.length && cells[k][0].end <= at) k++;
    const row = rows[k];
    if (!row || at < cells[k][0].start) { otherProblems++; continue; }
    row.problems++;
    for (let c = 0; c < row.images.length; c++) {
      const span = cells[k][c + 1];
      if (span.start < 0 || at < span.start || at > span.end) continue;
      row.images[c].problem ??= p.code;
      if (NOT_DRAWN.has(p.code)) delete row.images[c].path;
    }
  }
  return { rows, otherProblems };
}

/** The indexes of the rows the list shows: all, or only those with problems. */
export function visibleRows(rows: readonly PreviewRow[], onlyProblems: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < rows.length; i++) if (!onlyProblems || rows[i].problems > 0) out.push(i);
  return out;
}

/** The slice of a long list of equal-height rows to draw for one scroll position. */
export interface VirtualWindow {
  /** The first row to draw. */
  first: number;
  /** One past the last row to draw. */
  end: number;
  /** Where the first drawn row stands, px from the top of the list. */
  offset: number;
  /** The height of the whole list, px. */
  height: number;
}

/**
 * The rows a scrolled list of `count` rows of `rowHeight` px draws when `viewport` px of it show
 * from `scrollTop` on: those on screen and `overscan` more on each side, so that a fast scroll
 * does not show blank space before the next frame draws.
 */
export function virtualWindow(count: number, rowHeight: number, scrollTop: number, viewport: number, overscan = 4): VirtualWindow {
  const height = count * rowHeight;
  const top = Math.max(0, Math.min(scrollTop, height - viewport));
  const first = Math.max(0, Math.floor(top / rowHeight) - overscan);
  const end = Math.min(count, Math.ceil((top + viewport) / rowHeight) + overscan);
  return { first, end: Math.max(first, end), offset: first * rowHeight, height };
}

/** The scroll position that brings row `i` into view, or the current one when it is in view. */
export function scrollToShow(i: number, rowHeight: number, scrollTop: number, viewport: number): number {
  const top = i * rowHeight;
  if (top < scrollTop) return top;
  if (top + rowHeight > scrollTop + viewport) return top + rowHeight - viewport;
  return scrollTop;
}

/** Texts the webview shows, from the extension (so that they are translated with its own); `{0}` is a count. */
export interface PreviewLabels {
  /** The filter's check box. */
  onlyProblems: string;
  rows: string;
  withProblems: string;
  problems: string;
  oneProblem: string;
  noProblems: string;
  /** Problems on the header, blank lines or the file as a whole. */
  otherProblems: string;
  /** When the lint showed fewer problems than it found: `{0}` is how many it showed. */
  capped: string;
  /** An image that the browser could not draw. */
  cannotShow: string;
  /** An empty image cell. */
  empty: string;
}

/** A label with its `{0}` filled in. */
export function label(template: string, n: number): string {
  return template.replace('{0}', n.toLocaleString('en-US'));
}

/** Extension → webview: the whole model; the webview keeps its scroll position and filter. */
export interface PreviewUpdate {
  type: 'update';
  /** The CSV's URI. */
  csv: string;
  /** The CSV's name and folder, for the title line. */
  title: string;
  /** All rows, or the first of them when a long batch comes in two updates (`rows.length < total`). */
  rows: PreviewRow[];
  /** How many rows the batch has. */
  total: number;
  otherProblems: number;
  /** How many problems the lint showed, when it found more (the per-row counts cover those shown). */
  capped?: number;
  /** The batch folder as a webview URI; an image's URI is this, `/`, and its path's segments encoded. */
  base: string;
  /** Per image path, how often its file changed since the preview opened (a cache-breaking query). */
  changed: Record<string, number>;
  labels: PreviewLabels;
}

/** Webview → extension. */
export type PreviewRequest =
  | { type: 'ready' }
  | { type: 'reveal'; line: number }
  | { type: 'painted'; rows: number; drawn: number };

/** The URI of an image for the webview: the folder's webview URI and the path, segment by segment. */
export function imageUri(base: string, path: string, changed = 0): string {
  const encoded = path.split('/').map(encodeURIComponent).join('/');
  return `${base.replace(/\/$/, '')}/${encoded}${changed > 0 ? `?v=${changed}` : ''}`;
}
