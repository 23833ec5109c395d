// Small pictures for tests and screenshots: an RGB raster with rectangles and ellipses, written
// as PNG (test/helpers/images.ts) or as a baseline JPEG. The JPEG keeps only each 8×8 block's
// mean colour (its DC coefficients), which any decoder shows as a coarse mosaic: enough for a
// real JPEG that a browser draws, without a DCT.
import { encodePng } from './images';

export type Rgb = readonly [number, number, number];

export class Raster {
  readonly pixels: Uint8Array;

  constructor(readonly width: number, readonly height: number, background: Rgb = [255, 255, 255]) {
    this.pixels = new Uint8Array(width * height * 3);
    this.rect(0, 0, width, height, background);
  }

  rect(x: number, y: number, w: number, h: number, rgb: Rgb): this {
    for (let j = Math.max(0, Math.round(y)); j < Math.min(this.height, Math.round(y + h)); j++) {
      for (let i = Math.max(0, Math.round(x)); i < Math.min(this.width, Math.round(x + w)); i++) this.pixels.set(rgb, (j * this.width + i) * 3);
    }
    return this;
  }

  ellipse(cx: number, cy: number, rx: number, ry: number, rgb: Rgb): this {
    for (let j = Math.max(0, Math.floor(cy - ry)); j < Math.min(this.height, Math.ceil(cy + ry)); j++) {
      for (let i = Math.max(0, Math.floor(cx - rx)); i < Math.min(this.width, Math.ceil(cx + rx)); i++) {
        const dx = (i + 0.5 - cx) / rx;
        const dy = (j + 0.5 - cy) / ry;
        if (dx * dx + dy * dy <= 1) this.pixels.set(rgb, (j * this.width + i) * 3);
      }
    }
    return this;
  }

  roundRect(x: number, y: number, w: number, h: number, r: number, rgb: Rgb): this {
    this.rect(x + r, y, w - 2 * r, h, rgb).rect(x, y + r, w, h - 2 * r, rgb);
    for (const [cx, cy] of [[x + r, y + r], [x + w - r, y + r], [x + r, y + h - r], [x + w - r, y + h - r]]) this.ellipse(cx, cy, r, r, rgb);
    return this;
  }

  /** This raster made `factor` times smaller, each pixel the mean of its block: drawing big and shrinking smooths the edges. */
  shrink(factor: number): Raster {
    const out = new Raster(Math.floor(this.width / factor), Math.floor(this.height / factor));
    for (let y = 0; y < out.height; y++) {
      for (let x = 0; x < out.width; x++) {
        for (let c = 0; c < 3; c++) {
          let sum = 0;
          for (let j = 0; j < factor; j++) for (let i = 0; i < factor; i++) sum += this.pixels[((y * factor + j) * this.width + x * factor + i) * 3 + c];
          out.pixels[(y * out.width + x) * 3 + c] = Math.round(sum / (factor * factor));
        }
      }
    }
    return out;
  }

  png(): Buffer {
    return encodePng(this.width, this.height, this.pixels);
  }

  /** A baseline JPEG; `orientation` adds an EXIF block with that orientation (1–8). */
  jpeg(orientation?: number): Buffer {
    return encodeDcJpeg(this, orientation);
  }
}

/** An ID card's front: a coloured band, a photo with a face, lines of text. */
export function idFront(width: number, height: number, hue: Rgb): Raster {
  const r = new Raster(width, height, [236, 240, 245]);
  r.rect(0, 0, width, height * 0.2, hue);
  r.rect(width * 0.06, height * 0.3, width * 0.28, height * 0.6, [200, 206, 214]);
  r.ellipse(width * 0.2, height * 0.52, width * 0.08, height * 0.14, [224, 184, 150]);
  r.rect(width * 0.1, height * 0.72, width * 0.2, height * 0.18, hue);
  for (let k = 0; k < 4; k++) r.rect(width * 0.42, height * (0.34 + k * 0.14), width * (0.48 - k * 0.08), height * 0.06, [120, 128, 140]);
  return r;
}

/** An ID card's back: a magnetic stripe and a barcode. */
export function idBack(width: number, height: number, hue: Rgb): Raster {
  const r = new Raster(width, height, [236, 240, 245]);
  r.rect(0, height * 0.12, width, height * 0.2, [40, 40, 44]);
  for (let i = 0, x = width * 0.08; x < width * 0.92; i++, x += width * (i % 3 === 0 ? 0.03 : 0.018)) r.rect(x, height * 0.5, width * 0.01, height * 0.3, [30, 30, 30]);
  r.rect(0, height * 0.9, width, height * 0.1, hue);
  return r;
}

/** A selfie: a face and shoulders in front of a plain wall. */
export function selfie(width: number, height: number, hue: Rgb): Raster {
  const r = new Raster(width, height, [210, 214, 220]);
  r.ellipse(width * 0.5, height * 1.02, width * 0.42, height * 0.36, hue);
  r.ellipse(width * 0.5, height * 0.36, width * 0.26, height * 0.24, [70, 50, 40]);
  r.ellipse(width * 0.5, height * 0.44, width * 0.2, height * 0.24, [228, 190, 158]);
  return r;
}

class BitWriter {
  private readonly bytes: number[] = [];
  private acc = 0;
  private n = 0;

  write(code: number, length: number): void {
    for (let b = length - 1; b >= 0; b--) {
      this.acc = (this.acc << 1) | ((code >> b) & 1);
      if (++this.n === 8) this.flushByte();
    }
  }

  private flushByte(): void {
    this.bytes.push(this.acc);
    if (this.acc === 0xff) this.bytes.push(0); // byte stuffing
    this.acc = 0;
    this.n = 0;
  }

  /** Pads the last byte with one-bits, as the format asks. */
  finish(): number[] {
    while (this.n !== 0) this.write(1, 1);
    return this.bytes;
  }
}

/** Canonical Huffman codes from the count of codes of each length 1–16. */
function huffmanCodes(counts: number[], symbols: number[]): Map<number, [code: number, length: number]> {
  const codes = new Map<number, [number, number]>();
  let code = 0;
  let k = 0;
  for (let length = 1; length <= 16; length++) {
    for (let c = 0; c < counts[length - 1]; c++) codes.set(symbols[k++], [code++, length]);
    code <<= 1;
  }
  return codes;
}

// The standard luminance DC table (ITU T.81, K.3); the AC table holds only end-of-block.
const DC_COUNTS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
const DC_SYMBOLS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const AC_COUNTS = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
const AC_SYMBOLS = [0x00];

function segment(marker: number, body: number[]): number[] {
  return [0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body];
}

function exifSegment(orientation: number): number[] {
  // "Exif\0\0", a big-endian TIFF header, IFD0 with one entry: Orientation (0x0112), SHORT, 1.
  const tiff = [0x4d, 0x4d, 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0, 0, 0, 0, 0];
  return segment(0xe1, [0x45, 0x78, 0x69, 0x66, 0, 0, ...tiff]);
}

function encodeDcJpeg(r: Raster, orientation?: number): Buffer {
  const { width, height, pixels } = r;
  const dc = huffmanCodes(DC_COUNTS, DC_SYMBOLS);
  const eob = huffmanCodes(AC_COUNTS, AC_SYMBOLS).get(0) as [number, number];
  const bits = new BitWriter();
  const previous = [0, 0, 0];
  for (let by = 0; by < height; by += 8) {
    for (let bx = 0; bx < width; bx += 8) {
      const sum = [0, 0, 0];
      let n = 0;
      for (let y = by; y < Math.min(by + 8, height); y++) {
        for (let x = bx; x < Math.min(bx + 8, width); x++) {
          const [R, G, B] = pixels.subarray((y * width + x) * 3, (y * width + x) * 3 + 3);
          sum[0] += 0.299 * R + 0.587 * G + 0.114 * B;
          sum[1] += 128 - 0.168736 * R - 0.331264 * G + 0.5 * B;
          sum[2] += 128 + 0.5 * R - 0.418688 * G - 0.081312 * B;
          n++;
        }
      }
      for (let c = 0; c < 3; c++) {
        // A flat block's DC coefficient is 8 × (mean − 128); the quantiser is 1.
        const value = Math.max(-1024, Math.min(1016, Math.round(8 * (sum[c] / n - 128))));
        const diff = value - previous[c];
        previous[c] = value;
        const category = diff === 0 ? 0 : Math.floor(Math.log2(Math.abs(diff))) + 1;
        const [code, length] = dc.get(category) as [number, number];
        bits.write(code, length);
        if (category > 0) bits.write(diff > 0 ? diff : diff + (1 << category) - 1, category);
        bits.write(eob[0], eob[1]);
      }
    }
  }
  const component = (id: number) => [id, 0x11, 0];
  return Buffer.from([
    0xff, 0xd8,
    ...segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]),
    ...(orientation === undefined ? [] : exifSegment(orientation)),
    ...segment(0xdb, [0, ...new Array<number>(64).fill(1)]),
    ...segment(0xc0, [8, height >> 8, height & 0xff, width >> 8, width & 0xff, 3, ...component(1), ...component(2), ...component(3)]),
    ...segment(0xc4, [0x00, ...DC_COUNTS, ...DC_SYMBOLS]),
    ...segment(0xc4, [0x10, ...AC_COUNTS, ...AC_SYMBOLS]),
    ...segment(0xda, [3, 1, 0, 2, 0, 3, 0, 0, 63, 0]),
    ...bits.finish(),
    0xff, 0xd9,
  ]);
}
