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

/** The first bytes of a JPEG file followed by filler: enough for format sniffing. */
export function makeJpegLike(size = 64): Buffer {
  const b = Buffer.alloc(size);
  b.set([0xff, 0xd8, 0xff, 0xe0]);
  return b;
}
