// The cell separator of a batch CSV. Spreadsheets in many locales (German, French, Dutch Excel)
// save "CSV" with semicolons, and exports may use tabs or vertical bars: the header then reads as
// one unknown column. The separator is told from the header alone, by which split of it names
// more of the known columns, so a comma file with a `;` inside its values is never taken for one.
// (The rewrite with commas is `commaEdits`, with the other edits of fixes in edits.ts.)
import { KNOWN_COLUMNS, nearestColumn } from './columns';
import { Delimiter, cellValue, scanRecord } from './scan';

export type { Delimiter } from './scan';

const OTHER_DELIMITERS: readonly Delimiter[] = [';', '\t', '|'];

/** How messages name each separator. */
export const DELIMITER_NAMES: Readonly<Record<Delimiter, string>> = {
  ',': 'commas',
  ';': 'semicolons (;)',
  '\t': 'tabs',
  '|': 'vertical bars (|)',
};

/** The offset of the first non-blank line (where the header starts), or -1 for none. */
export function headerOffset(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 10 && c !== 13) return i;
  }
  return -1;
}

/**
 * The separator the header is written with: `,` unless splitting the header by `;`, a tab or `|`
 * names more known (or nearly known) columns than splitting it by commas. `extraColumns` count
 * as known.
 */
export function detectDelimiter(text: string, extraColumns: readonly string[] = []): Delimiter {
  const start = headerOffset(text);
  if (start < 0) return ',';
  let end = start;
  while (end < text.length && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) end++;
  const firstLine = text.slice(start, end);
  const candidates = OTHER_DELIMITERS.filter((d) => firstLine.includes(d));
  if (candidates.length === 0) return ',';
  const known = [...KNOWN_COLUMNS, ...extraColumns];
  const exact = new Set(known);
  const score = (d: Delimiter): number => scanRecord(text, start, d).cells
    .map((c) => cellValue(text, c).trim())
    .filter((name) => exact.has(name) || nearestColumn(name, known) !== undefined).length;
  let best: Delimiter = ',';
  let bestScore = score(',');
  for (const d of candidates) {
    const s = score(d);
    if (s > bestScore) { best = d; bestScore = s; }
  }
  return best;
}
