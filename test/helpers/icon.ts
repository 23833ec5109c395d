// The extension's icon (media/icon.png, 128×128), drawn here rather than downloaded: an ID card
// with a photo and lines of text on the gallery banner's blue, and a green check. Drawn 4× larger
// and shrunk, for smooth edges. `npm run icon` writes it; test/unit/icon.test.ts checks that the
// committed file is this drawing.
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Raster } from './raster';

export const ICON_FILE = path.resolve(__dirname, '../../../media/icon.png');

export function drawIcon(): Raster {
  const s = 4;
  const r = new Raster(128 * s, 128 * s, [18, 53, 91]);
  r.roundRect(14 * s, 30 * s, 100 * s, 66 * s, 8 * s, [236, 241, 247]);
  r.rect(14 * s, 38 * s, 100 * s, 10 * s, [47, 125, 209]);
  r.roundRect(22 * s, 54 * s, 26 * s, 34 * s, 3 * s, [196, 206, 218]);
  r.ellipse(35 * s, 66 * s, 7 * s, 8 * s, [120, 136, 156]);
  r.ellipse(35 * s, 86 * s, 11 * s, 8 * s, [120, 136, 156]);
  r.rect(22 * s, 88 * s, 26 * s, 4 * s, [236, 241, 247]);
  for (let k = 0; k < 4; k++) r.roundRect(56 * s, (56 + k * 9) * s, (48 - k * 8) * s, 4 * s, 2 * s, [120, 136, 156]);
  // The check badge over the card's corner.
  r.ellipse(98 * s, 94 * s, 19 * s, 19 * s, [18, 53, 91]);
  r.ellipse(98 * s, 94 * s, 16 * s, 16 * s, [58, 163, 107]);
  const stroke = (x0: number, y0: number, x1: number, y1: number) => {
    for (let t = 0; t <= 1; t += 0.002) r.ellipse((x0 + (x1 - x0) * t) * s, (y0 + (y1 - y0) * t) * s, 2.6 * s, 2.6 * s, [255, 255, 255]);
  };
  stroke(90, 94, 96, 100);
  stroke(96, 100, 107, 87);
  return r.shrink(s);
}

if (require.main === module) {
  writeFileSync(ICON_FILE, drawIcon().png());
  console.log(`${ICON_FILE} written`);
}
