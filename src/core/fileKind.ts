// What a batch CSV that is no text at all really is, told by its bytes: a workbook saved under
// the name input.csv, a PDF, an image. The `encoding` problem then names it and says how to export
// CSV UTF-8 from it, instead of only "binary data".
import { TextDecoderImpl } from './decoder';
import { sniffImage } from './images';

/** A file that is no CSV text: what it is, and how to get a CSV UTF-8 from it. */
export interface NotText {
  what: string;
  how: string;
}

const EXCEL = 'open it in Excel, choose File > Save As, file type "CSV UTF-8 (Comma delimited) (*.csv)", and name it input.csv';
const CALC = 'open it in LibreOffice Calc, choose File > Save As, file type "Text CSV (.csv)", character set "Unicode (UTF-8)" and field delimiter ",", and name it input.csv';
const NUMBERS = 'open it in Numbers, choose File > Export To > CSV…, text encoding "Unicode (UTF-8)", and name it input.csv';
const FROM_SHEET = 'export the spreadsheet the batch was made in as "CSV UTF-8" and name it input.csv';

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  for (let i = 0; i < prefix.length; i++) if (bytes[at + i] !== prefix[i]) return false;
  return true;
}

/** Whether `bytes` hold the ASCII (or UTF-16LE, `wide`) string `s` in their first and last 64 KB. */
function holds(bytes: Uint8Array, s: string, wide = false): boolean {
  const needle = [...s].flatMap((c) => (wide ? [c.charCodeAt(0), 0] : [c.charCodeAt(0)]));
  const window = 65_536;
  const search = (from: number, to: number): boolean => {
    for (let i = bytes.indexOf(needle[0], from); i >= 0 && i <= to - needle.length; i = bytes.indexOf(needle[0], i + 1)) {
      if (startsWith(bytes, needle, i)) return true;
    }
    return false;
  };
  // A ZIP names its entries at their data and again in its central directory at the end.
  return search(0, Math.min(bytes.length, window)) || (bytes.length > window && search(bytes.length - window, bytes.length));
}

function zipKind(bytes: Uint8Array): NotText {
  if (holds(bytes, 'mimetypeapplication/vnd.oasis.opendocument.spreadsheet')) return { what: 'an OpenDocument spreadsheet (.ods)', how: CALC };
  if (holds(bytes, 'xl/')) return { what: 'an Excel workbook (.xlsx)', how: EXCEL };
  if (holds(bytes, 'Index/Document.iwa') || holds(bytes, 'Index/Tables/')) return { what: 'a Numbers spreadsheet', how: NUMBERS };
  if (holds(bytes, 'mimetypeapplication/vnd.oasis.opendocument')) return { what: 'an OpenDocument file', how: CALC };
  return { what: 'a ZIP archive (perhaps a workbook)', how: FROM_SHEET };
}

/** Whether the first bytes cannot be text: a NUL, or a byte that is not UTF-8 well before the end of what is looked at. */
function binaryStart(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 4096);
  if (head.includes(0)) return true;
  try {
    // The last bytes looked at may be a character cut in two.
    new TextDecoderImpl('utf-8', { fatal: true }).decode(head.subarray(0, Math.max(0, head.length - 4)));
    return false;
  } catch {
    return true;
  }
}

/**
 * What the file is when its first bytes say it is no text: a ZIP-based workbook (.xlsx, .ods,
 * Numbers), an old Office file (.xls), a PDF, or an image. Undefined for anything else (text,
 * or bytes no signature names). Signatures that are themselves plain ASCII (`%PDF-`, `GIF8`,
 * `BM`) count only when the bytes after them are not text either.
 */
export function describeNonText(bytes: Uint8Array): NotText | undefined {
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return zipKind(bytes);
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    return holds(bytes, 'Workbook', true) || holds(bytes, 'Book', true)
      ? { what: 'an old Excel workbook (.xls)', how: EXCEL }
      : { what: 'an old Microsoft Office file (.xls, .doc)', how: FROM_SHEET };
  }
  const kind = sniffImage(bytes.subarray(0, 16), bytes.length);
  if (kind === 'empty' || kind === 'unknown format') return undefined;
  // PNG and JPEG signatures hold bytes no text starts with; the others need a second look.
  if (kind !== 'PNG' && kind !== 'JPEG' && !binaryStart(bytes)) return undefined;
  if (kind === 'PDF') return { what: 'a PDF document', how: `a PDF holds no table Jumio can read: ${FROM_SHEET}` };
  return { what: `an image (${kind})`, how: `the batch file is a table of text: ${FROM_SHEET}, and keep each image under its own name` };
}
