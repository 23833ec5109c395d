// What an image file's own structure says: its pixel size (a PNG's IHDR, a JPEG's frame header,
// found past any EXIF and other segments) and whether its data reaches its end marker (a PNG's
// IEND chunk, a JPEG's end of image). Pure: the adapter hands in a function that reads bytes at an
// offset, and this decides which bytes to read, so that a batch of 30,000 images costs two or three
// small reads per file (the first 4 KB, 4 KB past a large EXIF block, the last bytes), and the
// whole file only where its end is in doubt (data appended after the end marker).
import { ImageFacts, SNIFF_BYTES, sniffImage } from './images';

/**
 * Reads up to `length` bytes of the file at `offset` (fewer at its end, none past it), `length` at
 * most `IMAGE_WALK_BYTES`. The bytes returned need only stay valid until the next call (an
 * adapter may reuse one buffer).
 */
export type ReadAt = (offset: number, length: number) => Uint8Array;

/** How many bytes the reads of the head, the tail and each segment header ask for. */
export const IMAGE_READ_BYTES = 4096;
/** How many bytes each read asks for when a JPEG's scan data is walked to its end (rarely needed). */
export const IMAGE_WALK_BYTES = 65_536;

/** A moving window over the file: one read serves every byte asked for within it. */
class FileWindow {
  private bytes: Uint8Array;
  private start = 0;

  constructor(readonly size: number, private readonly read: ReadAt, first: Uint8Array) {
    this.bytes = first;
  }

  /** The byte at `offset`, or -1 past the end of the file; a window of `ahead` bytes is read when it is not held. */
  at(offset: number, ahead = IMAGE_READ_BYTES): number {
    if (offset < 0 || offset >= this.size) return -1;
    if (offset < this.start || offset >= this.start + this.bytes.length) {
      this.bytes = this.read(offset, Math.min(ahead, this.size - offset));
      this.start = offset;
      if (this.bytes.length === 0) return -1;
    }
    return this.bytes[offset - this.start];
  }

  u16(offset: number): number {
    const a = this.at(offset);
    const b = this.at(offset + 1);
    return a < 0 || b < 0 ? -1 : (a << 8) | b;
  }

  u32(offset: number): number {
    const a = this.u16(offset);
    const b = this.u16(offset + 2);
    return a < 0 || b < 0 ? -1 : a * 65536 + b;
  }

  /** The file's last `n` bytes (at most `IMAGE_READ_BYTES`), and where they start; a read only when the window holds less. */
  last(n: number): { bytes: Uint8Array; start: number } {
    const start = Math.max(0, this.size - n);
    if (start < this.start || this.start + this.bytes.length < this.size) {
      this.bytes = this.read(start, this.size - start);
      this.start = start;
    }
    return { bytes: this.bytes.subarray(start - this.start), start };
  }

  /** Whether the file ends with `suffix` (one small read, unless the window holds its end). */
  endsWith(suffix: readonly number[]): boolean {
    const { bytes } = this.last(suffix.length);
    if (bytes.length < suffix.length) return false;
    for (let i = 0; i < suffix.length; i++) if (bytes[bytes.length - suffix.length + i] !== suffix[i]) return false;
    return true;
  }

  /** The offset of the next `byte` at or after `from`, or -1 before the end of the file. */
  indexOf(byte: number, from: number): number {
    for (let offset = from; this.at(offset, IMAGE_WALK_BYTES) >= 0; offset = this.start + this.bytes.length) {
      const i = this.bytes.indexOf(byte, offset - this.start);
      if (i >= 0) return this.start + i;
    }
    return -1;
  }
}

/** Whether `needle` occurs in `bytes` at or after `from`. */
function contains(bytes: Uint8Array, needle: readonly number[], from = 0): boolean {
  for (let i = bytes.indexOf(needle[0], Math.max(0, from)); i >= 0 && i + needle.length <= bytes.length; i = bytes.indexOf(needle[0], i + 1)) {
    let k = 1;
    while (k < needle.length && bytes[i + k] === needle[k]) k++;
    if (k === needle.length) return true;
  }
  return false;
}

/** The IEND chunk as every PNG ends: its type and its (fixed) CRC. */
const IEND = [0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82];
const IHDR = 0x49484452;

function png(w: FileWindow): Pick<ImageFacts, 'width' | 'height' | 'ends'> {
  const dims = w.u32(12) === IHDR ? { width: w.u32(16), height: w.u32(20) } : {};
  if (dims.width === -1 || dims.height === -1) return { ends: false };
  // Every PNG writer ends with IEND: first its last 8 bytes, then its last 4 KB (a little data
  // appended after IEND), and only then are the chunks walked (cut short, or much appended).
  if (w.endsWith(IEND) || contains(w.last(IMAGE_READ_BYTES).bytes, IEND)) return { ...dims, ends: true };
  for (let offset = 8; offset + 12 <= w.size;) {
    const length = w.u32(offset);
    if (length < 0) break;
    if (w.u32(offset + 4) === 0x49454e44) return { ...dims, ends: true };
    offset += 12 + length;
  }
  return { ...dims, ends: false };
}

const EOI = [0xff, 0xd9];

/** Frame headers (SOF0-SOF15 but DHT C4, JPG C8 and DAC CC): they hold the height and width. */
function isFrameHeader(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/** Markers that stand alone, with no length: TEM and the restart markers. */
function standsAlone(marker: number): boolean {
  return marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7);
}

function jpeg(w: FileWindow): Pick<ImageFacts, 'width' | 'height' | 'ends'> {
  let width: number | undefined;
  let height: number | undefined;
  // The segments up to the first scan, by their lengths: an EXIF block of 60 KB is stepped over.
  let offset = 2;
  let scan = -1;
  for (;;) {
    while (w.at(offset) === 0xff && w.at(offset + 1) === 0xff) offset++; // fill bytes
    const marker = w.at(offset) === 0xff ? w.at(offset + 1) : -1;
    if (marker < 0 || marker === 0xd9) break;
    if (standsAlone(marker)) { offset += 2; continue; }
    const length = w.u16(offset + 2);
    if (length < 2) break;
    if (isFrameHeader(marker) && width === undefined) {
      const h = w.u16(offset + 5);
      const x = w.u16(offset + 7);
      if (h > 0) height = h;
      if (x > 0) width = x;
    }
    offset += 2 + length;
    if (marker === 0xda) { scan = offset; break; }
  }
  const dims = { ...(width !== undefined ? { width } : {}), ...(height !== undefined ? { height } : {}) };
  if (scan < 0) return { ...dims, ends: false };
  // Most JPEGs end with their EOI. Phones and cameras may append data after it (a Samsung trailer,
  // a motion photo's video): the image ends at the first EOI after the scan data starts. In scan
  // data a 0xFF is always followed by 0x00 or a restart marker, so an FF D9 there is the EOI.
  if (w.size - 2 >= scan && w.endsWith(EOI)) return { ...dims, ends: true };
  const last = w.last(IMAGE_READ_BYTES);
  for (let i = last.bytes.indexOf(0xff, Math.max(0, scan - last.start)); i >= 0; i = last.bytes.indexOf(0xff, i + 1)) {
    if (last.bytes[i + 1] === 0xd9) return { ...dims, ends: true };
  }
  // Not in the last bytes: walk the scans (and the tables between a progressive JPEG's scans).
  for (let at = scan; ;) {
    const ff = w.indexOf(0xff, at);
    const marker = ff < 0 ? -1 : w.at(ff + 1);
    if (marker < 0) return { ...dims, ends: false };
    if (marker === 0xd9) return { ...dims, ends: true };
    if (marker === 0x00 || marker === 0xff || standsAlone(marker)) { at = ff + (marker === 0xff ? 1 : 2); continue; }
    const length = w.u16(ff + 2);
    if (length < 2) return { ...dims, ends: false };
    at = ff + 2 + length;
  }
}

/**
 * Size, first bytes, pixel size and completeness of an image file of `size` bytes, reading it
 * through `read`. A PNG or JPEG gets `width`/`height` (where its header gives them) and `ends`;
 * any other file only its first bytes. Never throws on bad bytes: what cannot be read stays unset.
 */
export function inspectImage(size: number, read: ReadAt): ImageFacts {
  const first = size > 0 ? read(0, Math.min(IMAGE_READ_BYTES, size)) : new Uint8Array(0);
  const head = Uint8Array.from(first.subarray(0, SNIFF_BYTES));
  const kind = sniffImage(head, size);
  if (kind !== 'PNG' && kind !== 'JPEG') return { size, head };
  const w = new FileWindow(size, read, first);
  return { size, head, ...(kind === 'PNG' ? png(w) : jpeg(w)) };
}
