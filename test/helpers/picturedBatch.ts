// A batch folder whose images look like what they stand for (an ID's front and back, a selfie),
// for the image hover, the preview and their screenshots. Rows alternate JPEG and PNG fronts.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { SEED_HEADER, seedRow } from './lint';
import { Raster, Rgb, idBack, idFront, selfie } from './raster';

const HUES: Rgb[] = [[32, 96, 176], [176, 56, 64], [40, 140, 90], [150, 90, 170], [200, 130, 40], [60, 150, 170]];

export interface PicturedBatch {
  csv: string;
  rows: number;
  /** 1-based rows whose faceImage names a file that is not there. */
  missingFaces: number[];
}

/**
 * Writes `input.csv` and its images into `folder`: row i references `ids/<i>.front.jpg` (odd rows)
 * or `.png` (even rows), `ids/<i>.back.png` and `faces/<i>.face.png`. Every `missingEvery`-th row's
 * face image is left out (an `image-missing` error). Images of one kind and hue share their bytes.
 */
export function writePicturedBatch(folder: string, rows: number, missingEvery = 0): PicturedBatch {
  mkdirSync(path.join(folder, 'ids'), { recursive: true });
  mkdirSync(path.join(folder, 'faces'), { recursive: true });
  const cache = new Map<string, Buffer>();
  const picture = (kind: string, hue: number, draw: () => Raster, jpeg: boolean): Buffer => {
    const key = `${kind}/${hue}/${jpeg}`;
    let bytes = cache.get(key);
    if (!bytes) { bytes = jpeg ? draw().jpeg() : draw().png(); cache.set(key, bytes); }
    return bytes;
  };
  const lines = [SEED_HEADER];
  const missingFaces: number[] = [];
  for (let i = 1; i <= rows; i++) {
    const n = String(i).padStart(4, '0');
    const hue = HUES[i % HUES.length];
    const jpeg = i % 2 === 1;
    const front = `ids/${n}.front.${jpeg ? 'jpg' : 'png'}`;
    const back = `ids/${n}.back.png`;
    const face = `faces/${n}.face.png`;
    writeFileSync(path.join(folder, front), picture('front', i % HUES.length, () => idFront(320, 200, hue), jpeg));
    writeFileSync(path.join(folder, back), picture('back', i % HUES.length, () => idBack(320, 200, hue), false));
    if (missingEvery > 0 && i % missingEvery === 0) missingFaces.push(i);
    else writeFileSync(path.join(folder, face), picture('face', i % HUES.length, () => selfie(150, 200, hue), false));
    lines.push(seedRow({ customerInternalReference: `order-${n}`, frontImage: front, backImage: back, faceImage: face, 'preparedData.email': `person${i}@example.com` }));
  }
  const csv = path.join(folder, 'input.csv');
  writeFileSync(csv, lines.join('\n') + '\n');
  return { csv, rows, missingFaces };
}
