// The pixel size of a PNG or JPEG from its first bytes, for the image hover. A PNG says it in the
// first 24 bytes; a JPEG says it in its frame header (SOF), which comes after its metadata
// segments (EXIF, ICC profiles: tens of kB, sometimes more), so the reader may need to ask for
// more of the file and call again.

/** Width and height in pixels as the image is displayed (EXIF rotation applied). */
export interface PixelSize {
  width: number;
  height: number;
  /** True when a JPEG's EXIF orientation turns it a quarter: the stored width and height are swapped. */
  rotated?: boolean;
}

/** The size; or how many leading bytes of the file are needed to find it; or undefined: not readable. */
export type PixelSizeAnswer = PixelSize | { needBytes: number } | undefined;

function u16(b: Uint8Array, i: number, little = false): number {
  return little ? b[i] | (b[i + 1] << 8) : (b[i] << 8) | b[i + 1];
}

function u32(b: Uint8Array, i: number, little = false): number {
  return little ? (u16(b, i + 2, true) * 0x10000) + u16(b, i, true) : (u16(b, i) * 0x10000) + u16(b, i + 2);
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function pngSize(head: Uint8Array): PixelSizeAnswer {
  if (head.length < 24) return { needBytes: 24 };
  // IHDR must be the first chunk: length 13, type "IHDR", then width and height.
  if (head[12] !== 0x49 || head[13] !== 0x48 || head[14] !== 0x44 || head[15] !== 0x52) return undefined;
  const width = u32(head, 16);
  const height = u32(head, 20);
  return width > 0 && height > 0 ? { width, height } : undefined;
}

/** Start-of-frame markers: C0–CF except DHT (C4), JPG (C8) and DAC (CC). */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/** EXIF orientation (1–8) from an APP1 segment's payload, or undefined. */
function exifOrientation(b: Uint8Array, start: number, end: number): number | undefined {
  // "Exif\0\0", then a TIFF header: II or MM, 42, the offset of IFD0.
  if (end - start < 14 || b[start] !== 0x45 || b[start + 1] !== 0x78 || b[start + 2] !== 0x69 || b[start + 3] !== 0x66) return undefined;
  const tiff = start + 6;
  const little = b[tiff] === 0x49;
  if (!little && b[tiff] !== 0x4d) return undefined;
  const ifd = tiff + u32(b, tiff + 4, little);
  if (ifd + 2 > end) return undefined;
  const count = u16(b, ifd, little);
  for (let k = 0; k < count; k++) {
    const entry = ifd + 2 + k * 12;
    if (entry + 12 > end) return undefined;
    if (u16(b, entry, little) === 0x0112) return u16(b, entry + 8, little);
  }
  return undefined;
}

function jpegSize(head: Uint8Array, fileSize: number): PixelSizeAnswer {
  let orientation: number | undefined;
  let i = 2;
  for (;;) {
    if (i + 4 > head.length) return i + 4 <= fileSize ? { needBytes: i + 4 } : undefined;
    if (head[i] !== 0xff) return undefined;
    const marker = head[i + 1];
    if (marker === 0xff) { i++; continue; } // fill byte
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) { i += 2; continue; } // no length
    if (marker === 0xd9 || marker === 0xda) return undefined; // end of image, or the scan: no frame header before it
    const length = u16(head, i + 2);
    if (length < 2) return undefined;
    if (isStartOfFrame(marker)) {
      if (i + 9 > head.length) return i + 9 <= fileSize ? { needBytes: i + 9 } : undefined;
      const height = u16(head, i + 5);
      const width = u16(head, i + 7);
      if (width === 0 || height === 0) return undefined;
      // Orientations 5–8 turn the image a quarter, as browsers show it.
      return orientation !== undefined && orientation >= 5 && orientation <= 8 ? { width: height, height: width, rotated: true } : { width, height };
    }
    if (marker === 0xe1 && orientation === undefined) {
      const end = i + 2 + length;
      if (end > head.length) return end <= fileSize ? { needBytes: end } : undefined;
      orientation = exifOrientation(head, i + 4, end);
    }
    i += 2 + length;
  }
}

/**
 * The pixel size of a PNG or JPEG from the file's first bytes. When `head` is too short, answers
 * how many leading bytes it needs (never more than `fileSize`): read that many and call again.
 * Undefined for any other format or a damaged header.
 */
export function pixelSize(head: Uint8Array, fileSize: number): PixelSizeAnswer {
  if (PNG_SIGNATURE.every((b, i) => head[i] === b)) return pngSize(head);
  if (head[0] === 0xff && head[1] === 0xd8) return jpegSize(head, fileSize);
  return undefined;
}

/**
 * The size to draw an image at so that it fits a `maxWidth` × `maxHeight` box, keeping its
 * proportions and never enlarging it; at least 1 × 1.
 */
export function fitInto(pixels: PixelSize, maxWidth: number, maxHeight: number): { width: number; height: number } {
  const scale = Math.min(1, maxWidth / pixels.width, maxHeight / pixels.height);
  return { width: Math.max(1, Math.round(pixels.width * scale)), height: Math.max(1, Math.round(pixels.height * scale)) };
}

/** `812 B`, `12.3 kB`, `2.4 MB`: decimal units, as the batch format's 10 MB limit counts them. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}
