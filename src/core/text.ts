import { TextDecoderImpl } from './decoder';
import { describeNonText } from './fileKind';
import { Problem, pointRange, problem, Range } from './problem';


/** The CSV's bytes turned into text, with what was wrong with the bytes themselves. */
export interface DecodedCsv {
  /** The text without any byte-order mark; positions of problems refer to it. */
  text: string;
  problems: Problem[];
  /** True when the bytes are not text at all; nothing further should be linted. */
  binary: boolean;
  /** The UTF-8 bytes `text` was decoded from, when it was valid UTF-8 (csv-parse reads bytes faster than a string). */
  utf8?: Uint8Array;
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

/** Guesses UTF-16 without a BOM from NUL bytes sitting in every other position. */
function utf16WithoutBom(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 4) return undefined;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenNul++;
    if (bytes[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  if (oddNul > pairs * 0.4 && evenNul < pairs * 0.05) return 'utf-16le';
  if (evenNul > pairs * 0.4 && oddNul < pairs * 0.05) return 'utf-16be';
  return undefined;
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) { i++; continue; }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) { need = 1; min = 0x80; }
    else if (b >= 0xe0 && b <= 0xef) { need = 2; min = 0x800; }
    else if (b >= 0xf0 && b <= 0xf4) { need = 3; min = 0x10000; }
    else return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

function countInvalidUtf8Lines(bytes: Uint8Array, from: number): number {
  // Cheap estimate for the message: bytes >= 0x80 that fail validation are counted per line.
  let lines = 0;
  let pos = from;
  while (pos >= 0 && pos < bytes.length) {
    lines++;
    let nl = bytes.indexOf(0x0a, pos);
    if (nl < 0) break;
    const rest = firstInvalidUtf8(bytes.subarray(nl + 1));
    if (rest < 0) break;
    pos = nl + 1 + rest;
  }
  return lines;
}

/** The 0-based line and UTF-16 column of a byte offset, decoding the bytes before it leniently. */
function positionOfByte(bytes: Uint8Array, offset: number, encoding: string): Range {
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) { line++; lineStart = i + 1; }
    else if (bytes[i] === 0x0d && bytes[i + 1] !== 0x0a) { line++; lineStart = i + 1; }
  }
  const character = new TextDecoderImpl(encoding).decode(bytes.subarray(lineStart, offset)).length;
  return { start: { line, character }, end: { line, character: character + 1 } };
}

/**
 * Decodes the CSV's bytes as UTF-8, reporting a BOM (`bom`) and anything that is not UTF-8
 * (`encoding`). Text that is UTF-16 or Latin-1 is still decoded as such so that the rest of the
 * file can be linted; binary content (a workbook, a PDF, an image, NUL bytes) is reported once,
 * naming what it is where its bytes tell, and not linted further.
 */
export function decodeCsv(bytes: Uint8Array, fileName: string): DecodedCsv {
  const problems: Problem[] = [];
  const notText = describeNonText(bytes);
  if (notText) {
    problems.push(problem('encoding', pointRange(0, 0), `${fileName} is ${notText.what}, not CSV text: ${notText.how}.`));
    return { text: '', problems, binary: true };
  }
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    const le = bytes[0] === 0xff;
    problems.push(problem('encoding', pointRange(0, 0),
      `${fileName} is UTF-16 (${le ? 'little' : 'big'}-endian), not UTF-8: save it as "CSV UTF-8" (in Excel: Save As, CSV UTF-8 (Comma delimited)).`));
    return { text: new TextDecoderImpl(le ? 'utf-16le' : 'utf-16be').decode(bytes.subarray(2)), problems, binary: false };
  }
  const utf16 = utf16WithoutBom(bytes);
  if (utf16) {
    problems.push(problem('encoding', pointRange(0, 0),
      `${fileName} is UTF-16 (${utf16 === 'utf-16le' ? 'little' : 'big'}-endian, no byte-order mark), not UTF-8: save it as "CSV UTF-8".`));
    return { text: new TextDecoderImpl(utf16).decode(bytes), problems, binary: false };
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    problems.push(problem('encoding', positionOfByte(bytes, nul, 'utf-8'),
      `${fileName} holds binary data (a NUL byte), not CSV text: export the sheet as "CSV UTF-8".`));
    return { text: '', problems, binary: true };
  }
  let body = bytes;
  if (startsWith(bytes, UTF8_BOM)) {
    problems.push(problem('bom', { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      `${fileName} starts with a UTF-8 byte-order mark; the first column name may not be recognised: save it without BOM.`));
    body = bytes.subarray(3);
  }
  try {
    return { text: new TextDecoderImpl('utf-8', { fatal: true }).decode(body), problems, binary: false, utf8: body };
  } catch {
    const at = firstInvalidUtf8(body);
    const lines = countInvalidUtf8Lines(body, at);
    const byte = body[at].toString(16).toUpperCase().padStart(2, '0');
    problems.push(problem('encoding', positionOfByte(body, at, 'windows-1252'),
      `byte 0x${byte} is not valid UTF-8${lines > 1 ? ` (and ${lines - 1} more line${lines > 2 ? 's' : ''} like it)` : ''}: the file looks like Latin-1/Windows-1252, as spreadsheets save "CSV"; save it as "CSV UTF-8".`));
    return { text: new TextDecoderImpl('windows-1252').decode(body), problems, binary: false };
  }
}

/** Maps string offsets to 0-based line/character positions; line breaks are CRLF, LF or CR. */
export class LineIndex {
  private starts: number[] | undefined;

  constructor(readonly text: string) {}

  private lineStarts(): number[] {
    if (this.starts) return this.starts;
    const starts = [0];
    const t = this.text;
    for (let i = 0; i < t.length; i++) {
      const c = t.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (t.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.starts = starts;
    return starts;
  }

  /** The offset at which a 0-based line starts (the text's length past the last line). */
  offsetAt(line: number): number {
    const starts = this.lineStarts();
    return line < starts.length ? starts[line] : this.text.length;
  }

  positionAt(offset: number): { line: number; character: number } {
    const starts = this.lineStarts();
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - starts[lo] };
  }

  rangeOf(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }

  /** The offset where the line's text ends (before its line break). */
  lineEnd(line: number): number {
    const t = this.text;
    let i = this.offsetAt(line);
    while (i < t.length && t.charCodeAt(i) !== 10 && t.charCodeAt(i) !== 13) i++;
    return i;
  }
}

/** Counts line breaks (CRLF, LF or CR) in a string. */
export function countLineBreaks(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  for (let i = s.indexOf('\r'); i >= 0; i = s.indexOf('\r', i + 1)) if (s.charCodeAt(i + 1) !== 10) n++;
  return n;
}
