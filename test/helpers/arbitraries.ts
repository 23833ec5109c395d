// Generated batches for the property-based tests: a header of known, misspelt and stray column
// names; rows of values that pass and fail each rule, written with any separator and line ending,
// quoted right, not at all or always; blank rows, pasted rows; a folder with images under other
// letter cases, Unicode forms and links; then a few random edits of the text or its bytes.
import fc from 'fast-check';
import { FolderEntry, ImageFacts, KNOWN_COLUMNS } from '../../src/core';

type Separator = ',' | ';' | '\t' | '|';

const IMAGES = ['a.png', 'b.jpg', 'sub/c.png', 'Face.PNG', 'Mu\u0308ller.png', 'M\u00fcller.jpg', 'DONE', 'linked/x.png', 'Linked/y.png'];

/** Cell values that pass and fail the rules, and the characters that trouble CSV. */
const VALUES = [
  '', '10015', '7', 'abc', '-1', '10015.0', 'myOrganization', 'order-1', 'order/2', '<x>', 'a;b', 'a,b', 'a"b', '/', '%;',
  ' ', ' x ', '  10015', '=1+2', '@x', 'ada@example.com', 'ADA@EXAMPLE.COM', 'a@b', '+1 503 123 4567', '(503) 123-4567',
  '15031234567', '1.50312E+10', '226.80.211.232', '999.1.1.1', '::1', 'USA', 'US', 'usa', 'us', 'America', 'DE', 'GBR',
  'yes', 'Yes', 'NO', 'na', 'true', '2022-07-20T17:20:35.000Z', '2022-07-20T19:20:35+02:00', '2022-07-20 17:20:35Z',
  '7/20/2022 17:20', '2099-01-01T00:00:00Z', '1990-04-23', '1990-02-30', '2134', '02134', '2134-1234', 'John', 'Smith',
  ...IMAGES, 'A.PNG', 'face.png', 'M\u00fcller.png', 'Mu\u0308ller.jpg', 'm\u00fcller.png', './a.png', 'sub//c.png', '../a.png',
  '/abs.png', 'C:\\x.png', 'sub\\c.png', 'done', 'Input.CSV', 'linked/x.png', 'x'.repeat(101), 'Zürich', 'line\nbreak',
  'cr\rhere', 'tab\there', '|', '"', '""', '\u00a0x',
];

const NASTY = ['a', 'A', '0', ' ', ',', ';', '"', '\n', '\r', '\t', '|', 'é', 'e\u0301', '=', '/', '%', '\u00a0'];

const IMAGE_VALUES = [...IMAGES, 'A.PNG', 'face.png', 'M\u00fcller.png', 'Mu\u0308ller.jpg', 'm\u00fcller.png', './a.png', 'sub//c.png', 'linked/x.png', 'linked/y.png', 'nope.png', ''];

const anyValue = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...VALUES) },
  { weight: 1, arbitrary: fc.string({ maxLength: 6, unit: fc.constantFrom(...NASTY) }) },
);

/** A value for a column: an image column mostly gets image names (so that they meet the folder's files). */
function valueFor(name: string): fc.Arbitrary<string> {
  if (!/Image\b/i.test(name)) return anyValue;
  return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...IMAGE_VALUES) }, { weight: 1, arbitrary: anyValue });
}

/** A column name: known (mostly), in another case, without its prefix, with spaces, or stray. */
const columnName = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...KNOWN_COLUMNS) },
  {
    weight: 2,
    arbitrary: fc.tuple(fc.constantFrom(...KNOWN_COLUMNS), fc.constantFrom('lower', 'bare', 'typo', 'spaced')).map(([n, how]) =>
      how === 'lower' ? n.toLowerCase() : how === 'bare' ? n.replace('preparedData.', '') : how === 'typo' ? n.slice(0, -1) : ` ${n} `),
  },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', 'foo', 'preparedData.nationality', 'notes;more', 'a,b', 'x"y') },
);

const header = fc.tuple(fc.constantFrom(true, true, true, false), fc.array(columnName, { minLength: 1, maxLength: 7 })).map(([required, rest]) =>
  required ? ['workflowDefinitionKey', 'customerInternalReference', ...rest] : rest);

/** How a cell is written: as CSV wants it, raw (a separator or quote breaks the row), or always quoted. */
type Writing = 'field' | 'raw' | 'quoted';

function write(v: string, how: Writing, sep: Separator): string {
  const needs = /["\r\n]/.test(v) || v.includes(sep);
  if (how === 'raw' || (how === 'field' && !needs)) return v;
  return `"${v.replace(/"/g, '""')}"`;
}

type RowSpec =
  | { kind: 'cells'; cells: [string, Writing][]; width: number }
  | { kind: 'blank'; how: 'empty' | 'commas' | 'quoted' }
  | { kind: 'copy'; of: number };

const writing = fc.oneof({ weight: 12, arbitrary: fc.constant<Writing>('field') }, { weight: 1, arbitrary: fc.constant<Writing>('raw') }, { weight: 1, arbitrary: fc.constant<Writing>('quoted') });

/** A row for a header: a value for each column (one too few or many at times), a blank row, or a copy of an earlier one. */
function row(names: string[]): fc.Arbitrary<RowSpec> {
  const cells = fc.tuple(...names.map((n) => fc.tuple(valueFor(n), writing)), fc.tuple(anyValue, writing));
  return fc.oneof(
    { weight: 8, arbitrary: fc.record({ kind: fc.constant('cells' as const), cells, width: fc.constantFrom(0, 0, 0, 0, 0, 0, -1, 1) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('blank' as const), how: fc.constantFrom('empty' as const, 'commas' as const, 'quoted' as const) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('copy' as const), of: fc.nat() }) },
  );
}

const folder: fc.Arbitrary<FolderEntry[] | null> = fc.option(
  fc.tuple(fc.subarray(IMAGES), fc.boolean()).map(([files, linked]) => [
    ...files.map((path) => ({ path })),
    ...(linked ? [{ path: 'linked', outside: true }, { path: 'out.png', outside: true }] : []),
  ]),
  { freq: 4 },
);

/** An edit of the finished text: a character put in, a stretch taken out, or a line doubled. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(...NASTY, '\r\n', '""', '\uFEFF') }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('double-line' as const), at: fc.nat() }),
);

function mutate(text: string, m: typeof mutation extends fc.Arbitrary<infer T> ? T : never): string {
  const at = text.length ? m.at % (text.length + 1) : 0;
  if (m.kind === 'insert') return text.slice(0, at) + m.text + text.slice(at);
  if (m.kind === 'delete') return text.slice(0, at) + text.slice(at + m.length);
  const lines = text.split('\n');
  const i = m.at % lines.length;
  lines.splice(i, 0, lines[i]);
  return lines.join('\n');
}

export interface Batch {
  text: string;
  folder: FolderEntry[] | null;
}

/** A generated batch CSV (as an editor holds it: a string, no byte-order mark) and its folder. */
export const batch: fc.Arbitrary<Batch> = header.chain((names) => fc.record({
  header: fc.constant(names),
  rows: fc.array(row(names), { maxLength: 6 }),
  sep: fc.constantFrom<Separator>(',', ',', ',', ',', ',', ',', ';', '\t', '|'),
  eol: fc.constantFrom('\n', '\n', '\r\n', '\r', 'mixed'),
  finalEol: fc.boolean(),
  folder,
  mutations: fc.oneof({ weight: 3, arbitrary: fc.constant([]) }, { weight: 2, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 3 }) }),
})).map(({ header: names, rows, sep, eol, finalEol, folder: files, mutations }) => {
  const width = names.length;
  const lines = [names.map((n) => write(n, 'field', sep)).join(sep)];
  const written: string[] = [];
  for (const r of rows) {
    let line: string;
    if (r.kind === 'copy') line = written.length ? written[r.of % written.length] : '';
    else if (r.kind === 'blank') line = r.how === 'empty' ? '' : r.how === 'commas' ? sep.repeat(Math.max(0, width - 1)) : `""${sep}""`;
    else line = (r.cells as [string, Writing][]).slice(0, Math.max(1, width + r.width)).map(([v, how]) => write(v, how, sep)).join(sep);
    written.push(line);
    lines.push(line);
  }
  const ending = (i: number): string => (eol === 'mixed' ? (i % 2 ? '\r\n' : '\n') : eol);
  let text = lines.map((l, i) => l + (i < lines.length - 1 || finalEol ? ending(i) : '')).join('');
  for (const m of mutations) text = mutate(text, m);
  // An editor never holds the byte-order mark at the start: it is a fact of the bytes (see bomBytes).
  return { text: text.replace(/^\uFEFF+/, ''), folder: files };
});

/** The batch as bytes: UTF-8 (with or without a BOM), Latin-1, UTF-16, or with bytes flipped. */
export const batchBytes: fc.Arbitrary<{ bytes: Uint8Array; folder: FolderEntry[] | null }> = fc.record({
  b: batch,
  encoding: fc.constantFrom('utf8', 'utf8', 'utf8', 'bom', 'latin1', 'utf16le', 'utf16be'),
  flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }),
}).map(({ b, encoding, flips }) => {
  let bytes: Buffer;
  if (encoding === 'bom') bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(b.text, 'utf8')]);
  else if (encoding === 'utf16be') bytes = Buffer.from(b.text, 'utf16le').swap16();
  else bytes = Buffer.from(b.text, encoding as BufferEncoding);
  for (const [at, v] of flips) if (bytes.length) bytes[at % bytes.length] = v;
  return { bytes: Uint8Array.from(bytes), folder: b.folder };
});

/** Facts an adapter might read of an image: any size, a PNG, JPEG or other head, any pixel size and end. */
export const imageFacts: fc.Arbitrary<ImageFacts> = fc.record({
  size: fc.oneof(fc.constant(0), fc.nat(), fc.constant(10_000_001)),
  head: fc.oneof(
    fc.constant(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
    fc.constant(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0])),
    fc.uint8Array({ maxLength: 16 }),
  ),
  width: fc.option(fc.nat({ max: 70_000 }), { nil: undefined }),
  height: fc.option(fc.nat({ max: 70_000 }), { nil: undefined }),
  ends: fc.option(fc.boolean(), { nil: undefined }),
});
