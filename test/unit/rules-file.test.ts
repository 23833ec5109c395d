import * as assert from 'node:assert/strict';
import { makeZip, makeOle } from '../helpers/files';
import { makeJpeg, makePng } from '../helpers/images';
import { SEED_COLUMNS, SEED_HEADER, SEED_IMAGES, SEED_ROW_1, SEED_ROW_2, codes, lint, numberedRow, where, withCode, seedRow } from '../helpers/lint';

// Rules on the file as a whole: its name, bytes and CSV structure; then what holds for every
// rule: true line numbers, no problem stopping the lint, no personal data in messages.

const ROW_1_IMAGES = SEED_IMAGES.filter((f) => f.startsWith('0_'));
/** Lengths counted by hand: the seed header is 448 characters, its first row 226. */
const HEADER_LENGTH = 448;
const ROW_LENGTH = 226;


function bytes(...parts: (string | number[])[]): Uint8Array {
  const chunks = parts.map((p) => (typeof p === 'string' ? new TextEncoder().encode(p) : Uint8Array.from(p)));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.length; }
  return out;
}

const SEED_CSV = `${SEED_HEADER}\n${SEED_ROW_1}\n`;

describe('the hand-counted lengths', () => {
  it('fit the seed header and row', () => {
    assert.equal(SEED_HEADER.length, HEADER_LENGTH);
    assert.equal(SEED_ROW_1.length, ROW_LENGTH);
  });
});

describe('file-name', () => {
  it('reports a CSV named in another case, at the start of the file, and lints it all the same', () => {
    const result = lint(SEED_CSV, { files: ROW_1_IMAGES, fileName: 'Input.csv' });
    assert.deepEqual(where(result.problems), ['file-name@0:0-0:0']);
    assert.equal(result.problems[0].severity, 'error');
    assert.equal(result.rows, 1);
  });

  it('reports any other name', () => {
    assert.deepEqual(where(lint(SEED_CSV, { files: ROW_1_IMAGES, fileName: 'batch.csv' }).problems), ['file-name@0:0-0:0']);
  });

  it('does not report input.csv', () => {
    assert.deepEqual(lint(SEED_CSV, { files: ROW_1_IMAGES, fileName: 'input.csv' }).problems, []);
  });
});

describe('encoding', () => {
  it('reports a Latin-1 byte at its character, and lints the rest', () => {
    // preparedData.firstName starts at 145: "Jos" then 0xE9 (é) at 148.
    const latin1 = bytes(`${SEED_HEADER}\n${SEED_ROW_1.slice(0, 145)}Jos`, [0xe9], `${SEED_ROW_1.slice(149)}\n`);
    const result = lint(latin1, { files: ROW_1_IMAGES });
    assert.deepEqual(where(result.problems), ['encoding@1:148-1:149']);
    assert.equal(result.problems[0].severity, 'error');
    assert.equal(result.rows, 1);
  });

  it('reports UTF-16, with or without a byte-order mark, at the start of the file', () => {
    const text = `${SEED_HEADER}\n${SEED_ROW_1}\n`;
    const utf16le = [...text].flatMap((c) => [c.charCodeAt(0) & 0xff, c.charCodeAt(0) >> 8]);
    assert.deepEqual(where(lint(bytes([0xff, 0xfe], utf16le), { files: ROW_1_IMAGES }).problems), ['encoding@0:0-0:0']);
    assert.deepEqual(where(lint(bytes(utf16le), { files: ROW_1_IMAGES }).problems), ['encoding@0:0-0:0']);
  });

  it('reports binary content at its NUL byte and lints nothing more', () => {
    const result = lint(bytes(`${SEED_HEADER}\n10015,ab`, [0], '\n'), { files: ROW_1_IMAGES });
    assert.deepEqual(where(result.problems), ['encoding@1:8-1:9']);
    assert.equal(result.rows, 0);
  });

  it('does not report UTF-8 text beyond ASCII', () => {
    assert.deepEqual(lint(`${SEED_HEADER}\n${seedRow({ 'preparedData.firstName': 'José', 'preparedData.address.city': 'Kraków 東京' })}\n`, { files: ROW_1_IMAGES }).problems, []);
  });
});

describe('bom', () => {
  it('warns about a UTF-8 byte-order mark at the start, and still reads the first column name', () => {
    const result = lint(bytes([0xef, 0xbb, 0xbf], SEED_CSV), { files: ROW_1_IMAGES });
    assert.deepEqual(where(result.problems), ['bom@0:0-0:0']);
    assert.equal(result.problems[0].severity, 'warning');
  });

  it('does not warn without one', () => {
    assert.deepEqual(lint(bytes(SEED_CSV), { files: ROW_1_IMAGES }).problems, []);
  });
});

describe('empty-file', () => {
  it('reports an empty file at its start', () => {
    const result = lint('', { files: [] });
    assert.deepEqual(where(result.problems), ['empty-file@0:0-0:0']);
    assert.equal(result.problems[0].severity, 'error');
  });

  it('reports a file of only line breaks and spaces', () => {
    assert.deepEqual(where(lint('\n \r\n', { files: [] }).problems), ['empty-file@0:0-0:0']);
  });

  it('does not report a file with a header', () => {
    assert.deepEqual(withCode(lint(`${SEED_HEADER}\n`, { files: [] }).problems, 'empty-file'), []);
  });
});

describe('no-rows', () => {
  it('reports a header without data rows, over the header', () => {
    const result = lint(`${SEED_HEADER}\n`, { files: [] });
    assert.deepEqual(where(result.problems), [`no-rows@0:0-0:${HEADER_LENGTH}`]);
    assert.equal(result.problems[0].severity, 'error');
  });

  it('reports a header followed by a blank line only', () => {
    assert.deepEqual(where(lint(`${SEED_HEADER}\n\n`, { files: [] }).problems), [`no-rows@0:0-0:${HEADER_LENGTH}`, 'blank-row@1:0-1:0']);
  });

  it('does not report a header with one row', () => {
    assert.deepEqual(lint(SEED_CSV, { files: ROW_1_IMAGES }).problems, []);
  });
});

describe('row-limit', () => {
  // Rows that differ (no duplicate-row), linted without a folder (they share their images).
  const rows = (n: number): string => `${SEED_HEADER}\n${Array.from({ length: n }, (_, i) => numberedRow(i)).join('\n')}\n`;

  it('reports once, over the first row past the limit', () => {
    const result = lint(rows(4), { files: null, options: { maxRows: 2 } });
    assert.deepEqual(where(result.problems), [`row-limit@3:0-3:${ROW_LENGTH}`]);
    assert.equal(result.problems[0].severity, 'error');
  });

  it('does not count blank lines as rows', () => {
    assert.deepEqual(where(lint(`${SEED_HEADER}\n${SEED_ROW_1}\n\n${SEED_ROW_2}\n`, { options: { maxRows: 2 } }).problems), ['blank-row@2:0-2:0']);
  });

  it('allows 10,000 rows by default and reports the 10,001st', () => {
    const result = lint(rows(10_001), { files: null });
    assert.deepEqual(where(result.problems), [`row-limit@10001:0-10001:${ROW_LENGTH}`]);
  });

  it('does not report exactly the limit', () => {
    assert.deepEqual(lint(rows(2), { files: null, options: { maxRows: 2 } }).problems, []);
  });
});

describe('csv-syntax', () => {
  it('reports a quote inside an unquoted value at the quote', () => {
    // customerInternalReference starts at 6: `a"b` puts the quote at 7.
    const result = lint(`${SEED_HEADER}\n${seedRow({ customerInternalReference: 'a"b' })}\n`, { files: ROW_1_IMAGES });
    assert.deepEqual(where(withCode(result.problems, 'csv-syntax')), ['csv-syntax@1:7-1:8']);
    assert.equal(withCode(result.problems, 'csv-syntax')[0].severity, 'error');
  });

  it('reports an unclosed quote at the quote that opens it', () => {
    // preparedData.firstName starts at 145.
    const result = lint(`${SEED_HEADER}\n${seedRow({ 'preparedData.firstName': '"Jane' })}\n`, { files: ROW_1_IMAGES });
    assert.deepEqual(where(withCode(result.problems, 'csv-syntax')), ['csv-syntax@1:145-1:146']);
  });

  it('reports text after a closing quote at that text', () => {
    // `"Jane"x` at 145: the x is at 151.
    const result = lint(`${SEED_HEADER}\n${seedRow({ 'preparedData.firstName': '"Jane"x' })}\n`, { files: ROW_1_IMAGES });
    assert.deepEqual(where(withCode(result.problems, 'csv-syntax')), ['csv-syntax@1:151-1:152']);
  });

  it('does not report quoted commas, doubled quotes and quoted line breaks', () => {
    const row = seedRow({ 'preparedData.firstName': '"Jane ""JJ"""', 'preparedData.address.city': '"Any Town, OR"', 'preparedData.address.line1': '"1 Main St\nApt 4"' });
    assert.deepEqual(lint(`${SEED_HEADER}\n${row}\n`, { files: ROW_1_IMAGES }).problems, []);
  });
});

describe('column-count', () => {
  it('reports a row with an unquoted comma over the whole row', () => {
    // "Any Town, OR" is 4 characters longer than "Any Town".
    const result = lint(`${SEED_HEADER}\n${seedRow({ 'preparedData.address.city': 'Any Town, OR' })}\n`, { files: ROW_1_IMAGES });
    assert.deepEqual(where(withCode(result.problems, 'column-count')), [`column-count@1:0-1:${ROW_LENGTH + 4}`]);
    assert.equal(withCode(result.problems, 'column-count')[0].severity, 'error');
  });

  it('reports a row with a cell too few', () => {
    const short = SEED_ROW_1.slice(0, SEED_ROW_1.lastIndexOf(','));
    const result = lint(`${SEED_HEADER}\n${short}\n`, { files: ROW_1_IMAGES });
    // The last cell "USA" and its comma are gone: 4 characters.
    assert.deepEqual(where(withCode(result.problems, 'column-count')), [`column-count@1:0-1:${ROW_LENGTH - 4}`]);
  });

  it('reports a row spanning lines over all its lines', () => {
    // The city `"Any\nTown"` ends line 1 after `"Any`; line 2 is `Town",OR,USA,extra` (18 characters).
    const row = `${seedRow({ 'preparedData.address.city': '"Any\nTown"' })},extra`;
    assert.deepEqual(where(withCode(lint(`${SEED_HEADER}\n${row}\n`, { files: ROW_1_IMAGES }).problems, 'column-count')), ['column-count@1:0-2:18']);
  });

  it('does not report a quoted comma', () => {
    assert.deepEqual(lint(`${SEED_HEADER}\n${seedRow({ 'preparedData.address.city': '"Any Town, OR"' })}\n`, { files: ROW_1_IMAGES }).problems, []);
  });
});

describe('blank-row', () => {
  it('warns about an empty line between rows, at that line', () => {
    const result = lint(`${SEED_HEADER}\n${SEED_ROW_1}\n\n${SEED_ROW_2}\n`);
    assert.deepEqual(where(result.problems), ['blank-row@2:0-2:0']);
    assert.equal(result.problems[0].severity, 'warning');
    assert.equal(result.rows, 2);
  });

  it('warns about an empty line before the header, and still reads the header', () => {
    const result = lint(`\n${SEED_CSV}`, { files: ROW_1_IMAGES });
    assert.deepEqual(where(result.problems), ['blank-row@0:0-0:0']);
    assert.equal(result.rows, 1);
  });

  it('does not warn about the final line break, nor an empty line inside a quoted value', () => {
    assert.deepEqual(lint(SEED_CSV, { files: ROW_1_IMAGES }).problems, []);
    assert.deepEqual(lint(`${SEED_HEADER}\n${seedRow({ 'preparedData.address.city': '"Any\n\nTown"' })}\n`, { files: ROW_1_IMAGES }).problems, []);
  });
});

describe('line-endings', () => {
  it('warns once, at the end of the first line that ends differently', () => {
    const result = lint(`${SEED_HEADER}\r\n${numberedRow(1)}\n${numberedRow(2)}\n${numberedRow(3)}\r\n`, { files: null });
    assert.deepEqual(where(result.problems), [`line-endings@1:${ROW_LENGTH}-1:${ROW_LENGTH}`]);
    assert.equal(result.problems[0].severity, 'warning');
  });

  it('warns about CRLF in an LF file', () => {
    assert.deepEqual(where(lint(`${SEED_HEADER}\n${SEED_ROW_1}\n${SEED_ROW_2}\r\n`).problems), [`line-endings@2:${ROW_LENGTH + 1}-2:${ROW_LENGTH + 1}`]);
  });

  it('does not warn about one kind throughout, nor about LF inside a quoted value of a CRLF file', () => {
    assert.deepEqual(lint(`${SEED_HEADER}\r\n${SEED_ROW_1}\r\n${SEED_ROW_2}\r\n`).problems, []);
    assert.deepEqual(lint(`${SEED_HEADER}\r\n${seedRow({ 'preparedData.address.city': '"Any\nTown"' })}\r\n${SEED_ROW_2}\r\n`).problems, []);
  });
});

describe('line numbers', () => {
  // Rows here share the seed row's images: no folder, so no image-reused.
  // The city `"Any\nTown"` makes row 1 span lines 1 and 2; line 2 reads `Town",OR,<country>`.
  const spanning = (country = 'USA') => seedRow({ 'preparedData.address.city': '"Any\nTown"', 'preparedData.address.country': country });
  const badEmail = seedRow({ 'preparedData.email': 'bad' });
  const EMAIL_AT = 168;

  it('are true file lines for a row after a quoted value spanning lines', () => {
    const result = lint(`${SEED_HEADER}\n${spanning()}\n${badEmail}\n`, { files: null });
    assert.deepEqual(where(result.problems), [`email@3:${EMAIL_AT}-3:${EMAIL_AT + 3}`]);
  });

  it('point into the second line of a row spanning lines', () => {
    // `Town",OR,` is 9 characters: the country is at 9 on line 2.
    const result = lint(`${SEED_HEADER}\n${spanning('XX')}\n`, { files: null });
    assert.deepEqual(where(result.problems), ['country-code@2:9-2:11']);
  });

  it('stay true with CRLF, with CR alone, and with a CRLF inside the quoted value', () => {
    for (const [eol, inside] of [['\r\n', '\n'], ['\r\n', '\r\n'], ['\r', '\r\n'], ['\n', '\r\n']]) {
      const row = seedRow({ 'preparedData.address.city': `"Any${inside}Town"` });
      const result = lint(`${SEED_HEADER}${eol}${row}${eol}${badEmail}${eol}`, { files: null });
      assert.deepEqual(where(withCode(result.problems, 'email')), [`email@3:${EMAIL_AT}-3:${EMAIL_AT + 3}`], JSON.stringify([eol, inside]));
    }
  });

  it('stay true around a csv-syntax error', () => {
    const broken = seedRow({ customerInternalReference: 'a"b' });
    const before = lint(`${SEED_HEADER}\n${spanning()}\n${broken}\n${badEmail}\n`, { files: null });
    assert.deepEqual(where(before.problems), ['csv-syntax@3:7-3:8', `email@4:${EMAIL_AT}-4:${EMAIL_AT + 3}`]);
    const after = lint(`${SEED_HEADER}\n${broken}\n${spanning()}\n${spanning('GBR')}\n${badEmail}\n`, { files: null });
    assert.deepEqual(where(after.problems), ['csv-syntax@1:7-1:8', `email@6:${EMAIL_AT}-6:${EMAIL_AT + 3}`]);
  });
});

describe('problems never stop the lint', () => {
  it('reports two bad rows both', () => {
    const text = `${SEED_HEADER}\n${seedRow({ 'preparedData.email': 'bad' })}\n${seedRow({ userConsentUserIp: '1.2.3.256' })}\n`;
    assert.deepEqual(where(lint(text, { files: null }).problems), ['email@1:168-1:171', 'ip-address@2:94-2:103']);
  });

  it('lints the rows after a csv-syntax error', () => {
    for (const broken of ['"Jane', '"Jane"x', 'Ja"ne']) {
      const text = `${SEED_HEADER}\n${seedRow({ 'preparedData.firstName': broken })}\n${seedRow({ 'preparedData.email': 'bad' })}\n${seedRow({ userConsentUserIp: '1.2.3.256' })}\n`;
      const result = lint(text, { files: null });
      assert.deepEqual(where(result.problems).filter((w) => !w.startsWith('csv-syntax')), ['email@2:168-2:171', 'ip-address@3:94-3:103'], broken);
      assert.equal(withCode(result.problems, 'csv-syntax').length, 1, broken);
    }
  });

  it('lints the rows after a row with the wrong number of cells', () => {
    const text = `${SEED_HEADER}\n${SEED_ROW_1},extra\n${seedRow({ 'preparedData.email': 'bad' })}\n`;
    assert.deepEqual(where(lint(text, { files: null }).problems), [`column-count@1:0-1:${ROW_LENGTH + 6}`, 'email@2:168-2:171']);
  });
});

describe('problem messages', () => {
  it('never contain a row or the personal data in it', () => {
    const pii = { first: 'Zbigniewa', last: 'Wrzesniewska', email: 'zbigniewa.w@example.org', phone: '+48 601 234 567' };
    const person = {
      'preparedData.firstName': ` ${pii.first}`, 'preparedData.lastName': `=${pii.last}`,
      'preparedData.email': pii.email, 'preparedData.phoneNumber': pii.phone,
    };
    const rows = [
      seedRow({ ...person, customerInternalReference: pii.email }),
      seedRow({ ...person, 'preparedData.email': `${pii.first}@example`, customerInternalReference: `${pii.first} ${pii.last}` }),
      seedRow({ ...person, customerInternalReference: `${pii.last}"` }),
      seedRow({ ...person, 'preparedData.address.city': 'Any Town, OR' }),
      `${seedRow(person)},`,
    ];
    const result = lint(`${SEED_HEADER}\n${rows.join('\n')}\n`, { files: ROW_1_IMAGES });
    assert.ok(result.problems.length >= rows.length, where(result.problems).join(' '));
    for (const p of result.problems) {
      for (const secret of [pii.first, pii.last, pii.email, pii.phone, ...rows]) assert.ok(!p.message.includes(secret), `${p.code}: ${p.message}`);
    }
  });
});

describe('encoding: what a file that is no text really is', () => {
  const cases: [string, Uint8Array, RegExp][] = [
    ['an Excel workbook', makeZip([{ name: '[Content_Types].xml', data: '<Types/>' }, { name: 'xl/workbook.xml', data: '<workbook/>' }]), /is an Excel workbook \(\.xlsx\), not CSV text: open it in Excel.*CSV UTF-8 \(Comma delimited\)/],
    ['an old Excel file', makeOle('Workbook'), /is an old Excel workbook \(\.xls\).*CSV UTF-8/],
    ['an OpenDocument spreadsheet', makeZip([{ name: 'mimetype', data: 'application/vnd.oasis.opendocument.spreadsheet' }, { name: 'content.xml' }]), /is an OpenDocument spreadsheet \(\.ods\).*LibreOffice Calc.*Unicode \(UTF-8\)/],
    ['a Numbers file', makeZip([{ name: 'Index/Document.iwa' }, { name: 'Metadata/Properties.plist' }]), /is a Numbers spreadsheet.*Export To > CSV/],
    ['a PDF', bytes('%PDF-1.7\n', [0x25, 0xe2, 0xe3, 0xcf, 0xd3, 0x0a], '1 0 obj\n'), /is a PDF document.*CSV UTF-8/],
    ['a PNG image', makePng(2, 2), /is an image \(PNG\).*CSV UTF-8/],
    ['a JPEG image', makeJpeg(), /is an image \(JPEG\)/],
    ['another ZIP', makeZip([{ name: 'notes.txt', data: 'hello' }]), /is a ZIP archive/],
  ];
  for (const [what, file, message] of cases) {
    it(`names ${what} saved as input.csv, once at the start, and says how to export CSV UTF-8`, () => {
      const result = lint(file, { files: [] });
      assert.deepEqual(where(result.problems), ['encoding@0:0-0:0']);
      assert.match(result.problems[0].message, message);
      assert.equal(result.rows, 0);
    });
  }

  it('does not take text for a file by a signature that is plain ASCII, nor a header that starts with PK or BM', () => {
    for (const start of ['PK', 'BM', 'GIF8', '%PDF-']) {
      const result = lint(`${start}x,workflowDefinitionKey,customerInternalReference\nx,10015,order-1\n`, { files: [] });
      assert.deepEqual(codes(result.problems), ['unknown-column'], start);
    }
  });
});

describe('delimiter', () => {
  const semicolons = (text: string): string => text.split('\n').map((l) => l.split(',').join(';')).join('\n');
  const SEED_2 = `${SEED_HEADER}\n${SEED_ROW_1}\n${SEED_ROW_2}\n`;

  for (const [sep, name] of [[';', /semicolons \(;\)/], ['\t', /tabs/], ['|', /vertical bars \(\|\)/]] as const) {
    it(`reports a header separated by ${JSON.stringify(sep)} once, over the header, and nothing else for the seed's rows`, () => {
      const text = SEED_2.split('\n').map((l) => l.split(',').join(sep)).join('\n');
      const result = lint(text);
      assert.deepEqual(where(result.problems), [`delimiter@0:0-0:${HEADER_LENGTH}`]);
      assert.equal(result.problems[0].severity, 'error');
      assert.match(result.problems[0].message, name);
      assert.equal(result.rows, 2);
      assert.equal(result.images.length, 6, 'the image columns are read');
    });
  }

  it('checks the rows as split by the separator: each problem at its cell, no merged unknown column', () => {
    // workflowDefinitionKey "abc" at 0; the e-mail cell is at 168 as in the comma row.
    const text = semicolons(`${SEED_HEADER}\n${seedRow({ workflowDefinitionKey: 'abc', 'preparedData.email': 'bad' })}\n`);
    const result = lint(text, { files: ROW_1_IMAGES });
    assert.deepEqual(where(result.problems), [`delimiter@0:0-0:${HEADER_LENGTH}`, 'workflow-key@1:0-1:3', 'email@1:166-1:169']);
  });

  it('still reports a required column missing from the header once it is split', () => {
    const result = lint('customerInternalReference;preparedData.firstName\norder-1;Ada\n', { files: [] });
    assert.deepEqual(codes(result.problems), ['delimiter', 'missing-column']);
    assert.match(withCode(result.problems, 'missing-column')[0].message, /"workflowDefinitionKey"/);
  });

  it('reads commas as part of a value in a semicolon file (a German decimal, an address)', () => {
    const text = semicolons(`${SEED_HEADER}\n${seedRow({ 'preparedData.address.line1': '12345 SW Address Ln' })}\n`).replace('12345 SW Address Ln', '12345 SW Address Ln, Apt 4');
    assert.deepEqual(codes(lint(text, { files: ROW_1_IMAGES }).problems), ['delimiter']);
  });

  it('quotes a replacement that holds the separator', () => {
    const text = semicolons(`${SEED_HEADER}\n${SEED_ROW_1}\n`).replace('Any Town', '" Any;Town"');
    const result = lint(text, { files: ROW_1_IMAGES });
    assert.deepEqual(codes(result.problems), ['delimiter', 'whitespace']);
    assert.equal(withCode(result.problems, 'whitespace')[0].replacement, '"Any;Town"');
  });

  it('does not report a comma file with semicolons, tabs or bars inside its values', () => {
    const row = seedRow({ 'preparedData.address.line1': '"1 Main St; Apt 4"', 'preparedData.address.city': 'Any|Town', 'preparedData.firstName': '"Jo\tJo"' });
    assert.deepEqual(lint(`${SEED_HEADER}\n${row}\n`, { files: ROW_1_IMAGES }).problems, []);
  });

  it('does not report a comma header with a semicolon inside one name', () => {
    const result = lint('workflowDefinitionKey,customerInternalReference,notes;more\n10015,order-1,x\n', { files: [] });
    assert.deepEqual(codes(result.problems), ['unknown-column']);
  });
});

describe('blank-row: a row whose cells are all empty', () => {
  const EMPTY = ','.repeat(SEED_COLUMNS.length - 1);

  it('warns about a row of empty cells over the row, instead of required-value errors', () => {
    const result = lint(`${SEED_HEADER}\n${SEED_ROW_1}\n${EMPTY}\n${SEED_ROW_2}\n`);
    assert.deepEqual(where(result.problems), [`blank-row@2:0-2:${EMPTY.length}`]);
    assert.equal(result.problems[0].severity, 'warning');
    assert.equal(result.rows, 2);
  });

  it('warns about rows of empty cells of any width, quoted empty cells, and before the header', () => {
    const result = lint(`,,,\n${SEED_HEADER}\n${SEED_ROW_1}\n,,\n"",""\n${SEED_ROW_2}\n`);
    assert.deepEqual(where(result.problems), ['blank-row@0:0-0:3', 'blank-row@3:0-3:2', 'blank-row@4:0-4:5']);
    assert.equal(result.rows, 2);
  });

  it('reports no-rows when every data row is blank', () => {
    assert.deepEqual(codes(lint(`${SEED_HEADER}\n${EMPTY}\n${EMPTY}\n`, { files: [] }).problems), ['no-rows', 'blank-row', 'blank-row']);
  });

  it('takes a row of spaces for blank: trimming them (the whitespace fix) must not make the file lose a row', () => {
    const spaces = lint(`${SEED_HEADER}\n${SEED_ROW_1}\n ,${EMPTY.slice(1)}\n`, { files: ROW_1_IMAGES });
    assert.deepEqual(where(spaces.problems), [`blank-row@2:0-2:${EMPTY.length + 1}`]);
    assert.deepEqual(codes(lint('preparedData.phoneNumber\n \n', { files: null }).problems), ['missing-column', 'missing-column', 'no-rows', 'blank-row']);
  });

  it('does not take a row with one value for blank', () => {
    const oneValue = lint(`${SEED_HEADER}\n${SEED_ROW_1}\n10015${EMPTY}\n`, { files: ROW_1_IMAGES });
    assert.deepEqual(codes(oneValue.problems), ['required-value']);
  });
});

describe('duplicate-row', () => {
  it('warns about a row identical to an earlier one, over the row, naming the earlier line', () => {
    const result = lint(`${SEED_HEADER}\n${SEED_ROW_1}\n${SEED_ROW_2}\n${SEED_ROW_1}\n${SEED_ROW_1}\n`);
    assert.deepEqual(where(result.problems), [`duplicate-row@3:0-3:${ROW_LENGTH}`, `duplicate-row@4:0-4:${ROW_LENGTH}`]);
    assert.equal(result.problems[0].severity, 'warning');
    for (const p of result.problems) assert.match(p.message, /same as line 2\b/);
  });

  it('compares values, not how they are written: a quoted copy is the same row', () => {
    const quoted = seedRow({ 'preparedData.firstName': '"John"' });
    assert.deepEqual(where(lint(`${SEED_HEADER}\n${SEED_ROW_1}\n${quoted}\n`, { files: ROW_1_IMAGES }).problems), [`duplicate-row@2:0-2:${ROW_LENGTH + 2}`]);
  });

  it('finds each copy among many rows alike in length and in their first, middle and last characters', () => {
    // "a?cde": only the second character differs, which the sampled hash does not look at.
    const rows = Array.from({ length: 40 }, (_, i) => `10015,a${String.fromCharCode(65 + i)}cde`);
    const text = `workflowDefinitionKey,customerInternalReference\n${[...rows, rows[3], rows[30], rows[39]].join('\n')}\n`;
    const found = withCode(lint(text, { files: null }).problems, 'duplicate-row');
    assert.deepEqual(found.map((p) => [p.range.start.line, /same as line (\d+)/.exec(p.message)?.[1]]), [[41, '5'], [42, '32'], [43, '41']]);
  });

  it('does not report rows that share only their reference, or differ in one cell', () => {
    assert.deepEqual(lint(`${SEED_HEADER}\n${SEED_ROW_1}\n${SEED_ROW_2}\n`).problems, []);
    const other = seedRow({ 'preparedData.email': 'john@example.com' });
    assert.deepEqual(withCode(lint(`${SEED_HEADER}\n${SEED_ROW_1}\n${other}\n`, { files: ROW_1_IMAGES }).problems, 'duplicate-row'), []);
  });
});
