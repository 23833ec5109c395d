import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/**
 * A valid RGB PNG of `width`×`height` filled with one colour. `padTo` adds a private ancillary
 * chunk so the file reaches that many bytes (benchmarks need realistic sizes cheaply).
 */
export function makePng(width: number, height: number, rgb: [number, number, number] = [40, 120, 200], padTo = 0): Buffer {
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < width * height; i++) pixels.set(rgb, i * 3);
  return encodePng(width, height, pixels, padTo);
}

/** A PNG of RGB pixels (`width * height * 3` bytes, rows top to bottom); `padTo` as for `makePng`. */
export function encodePng(width: number, height: number, rgbPixels: Uint8Array, padTo = 0): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type RGB
  const stride = 1 + width * 3;
  const raw = Buffer.alloc(stride * height); // each row: filter type 0, then its pixels
  for (let y = 0; y < height; y++) raw.set(rgbPixels.subarray(y * width * 3, (y + 1) * width * 3), y * stride + 1);
  const parts = [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw))];
  const size = parts.reduce((n, p) => n + p.length, 0) + 12;
  if (padTo > size + 12) parts.push(chunk('prVt', Buffer.alloc(padTo - size - 12)));
  parts.push(chunk('IEND', Buffer.alloc(0)));
  return Buffer.concat(parts);
}

/**
 * A valid black 1-bit greyscale PNG of `width`×`height`: large sizes cost little (8,000 × 8,000 is
 * 8 MB of rows before compression, a few KB after). `padTo` as for `makePng`.
 */
export function makeBilevelPng(width: number, height: number, padTo = 0): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // greyscale
  const raw = Buffer.alloc(height * (1 + Math.ceil(width / 8))); // filter byte 0 and black pixels, row after row
  const parts = [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw))];
  const size = parts.reduce((n, p) => n + p.length, 0) + 12;
  if (padTo > size + 12) parts.push(chunk('prVt', Buffer.alloc(padTo - size - 12)));
  parts.push(chunk('IEND', Buffer.alloc(0)));
  return Buffer.concat(parts);
}

/** The first bytes of a JPEG file followed by filler: enough for format sniffing. */
export function makeJpegLike(size = 64): Buffer {
  const b = Buffer.alloc(size);
  b.set([0xff, 0xd8, 0xff, 0xe0]);
  return b;
}

/** A JPEG segment: marker, big-endian length (of itself and the payload), payload. */
function segment(marker: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(0xff00 | marker, 0);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

/** Entropy-coded bytes as a scan holds them: every 0xFF stuffed with 0x00, a restart marker in the middle. */
function scanData(bytes: number, seed: number): Buffer {
  const out: number[] = [];
  let x = seed || 1;
  while (out.length < bytes) {
    x = (x * 1103515245 + 12345) >>> 0;
    const b = x >>> 24;
    out.push(b);
    if (b === 0xff) out.push(0x00);
    if (out.length === bytes >> 1) out.push(0xff, 0xd0);
  }
  return Buffer.from(out);
}

export interface JpegOptions {
  width?: number;
  height?: number;
  /** An APP1 EXIF segment of about this many bytes (with an embedded thumbnail JPEG, EOI and all), before the frame header. */
  exifBytes?: number;
  /** Bytes of image data in each scan. */
  scanBytes?: number;
  /** Two scans, with tables between them, as a progressive JPEG has. */
  progressive?: boolean;
  /** The frame header's marker: 0xC0 baseline, 0xC2 progressive, 0xC3 lossless, 0xC9 arithmetic… */
  sof?: number;
  /** Bytes after the end-of-image marker (a phone's trailer, a motion photo's video). */
  trailer?: Buffer;
}

/**
 * A JPEG as cameras and encoders lay it out: SOI, APP0 (JFIF), optionally a large APP1 (EXIF, with
 * a thumbnail whose own EOI sits inside it), DQT, the frame header, DHT, one or two scans, EOI, and
 * optionally a trailer. Valid in structure (every segment length right, the scan data stuffed);
 * the pixels are noise.
 */
export function makeJpeg(o: JpegOptions = {}): Buffer {
  const { width = 16, height = 8, exifBytes = 0, scanBytes = 256, progressive = false, trailer = Buffer.alloc(0) } = o;
  const sof = o.sof ?? (progressive ? 0xc2 : 0xc0);
  const parts = [Buffer.from([0xff, 0xd8]), segment(0xe0, Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1'))];
  if (exifBytes > 0) {
    const thumbnail = Buffer.concat([Buffer.from([0xff, 0xd8]), segment(0xdb, Buffer.alloc(65, 1)), scanData(64, 7), Buffer.from([0xff, 0xd9])]);
    const tiff = Buffer.concat([Buffer.from('Exif\0\0II*\0\x08\0\0\0', 'latin1'), thumbnail]);
    parts.push(segment(0xe1, Buffer.concat([tiff, Buffer.alloc(Math.max(0, exifBytes - tiff.length))])));
  }
  parts.push(segment(0xdb, Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: 64 }, (_, i) => i + 1))])));
  const frame = Buffer.alloc(15);
  frame[0] = 8;
  frame.writeUInt16BE(height, 1);
  frame.writeUInt16BE(width, 3);
  frame[5] = 3;
  frame.set([1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1], 6);
  parts.push(segment(sof, frame));
  const dht = segment(0xc4, Buffer.concat([Buffer.from([0x00, 1]), Buffer.alloc(15), Buffer.from([0])]));
  const sos = segment(0xda, Buffer.from([3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0]));
  parts.push(dht, sos, scanData(scanBytes, width * 31 + height));
  if (progressive) parts.push(dht, sos, scanData(scanBytes, width * 17 + height));
  parts.push(Buffer.from([0xff, 0xd9]), trailer);
  return Buffer.concat(parts);
}
