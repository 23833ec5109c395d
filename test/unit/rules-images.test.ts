import * as assert from 'node:assert/strict';
import { FolderEntry } from '../../src/core';
import { SEED_HEADER, SEED_ROW_1, SEED_ROW_2, codes, facts, factsOf, lint, where, withCode, seedRow } from '../helpers/lint';
import { makeBilevelPng, makeJpeg, makeJpegLike, makePng } from '../helpers/images';

// Image rules: what the folder listing says (missing, outside, case, unreferenced) and what
// the files hold (format, size), the latter through `checkImages`.

const [BACK, FRONT, FACE] = ['back', 'front', 'face'].map((side) => `0_200014954151.${side}.png`);
const ROW_1_IMAGES = [BACK, FRONT, FACE];
/** Where the image cells of SEED_ROW_1 start, counted by hand: "10015,myOrganization," is 21 characters. */
const BACK_AT = 21;
const FACE_AT = 70;


/** Lints row 1 with its backImage cell set to `value`, in a folder of the front and face images plus `files`. */
function lintBackImage(value: string, files: (string | FolderEntry)[] = []) {
  return lint(`${SEED_HEADER}\n${seedRow({ backImage: value })}\n`, { files: [FRONT, FACE, ...files] });
}

const backCell = (code: string, value: string): string => `${code}@1:${BACK_AT}-1:${BACK_AT + value.length}`;

const PNG = [...makePng(1, 1).subarray(0, 16)];
const JPEG = [...makeJpegLike(16)];
const GIF = [0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 0, 1, 0];

describe('image-missing', () => {
  it('reports a name that is not in the folder, at the image cell', () => {
    const result = lintBackImage('nope.png');
    assert.deepEqual(where(result.problems), [backCell('image-missing', 'nope.png')]);
    assert.equal(result.problems[0].severity, 'error');
  });

  it('reports a path written with backslashes, which the server does not read as folders', () => {
    assert.deepEqual(where(withCode(lintBackImage('sub\\a.png', ['sub/a.png']).problems, 'image-missing')), [backCell('image-missing', 'sub\\a.png')]);
  });

  it('does not report images in the folder or a sub-folder, however the relative path is spelt', () => {
    for (const value of ['sub/a.png', './sub/a.png', 'sub//a.png']) assert.deepEqual(lintBackImage(value, ['sub/a.png']).problems, [], value);
  });

  it('does not check images when there is no folder listing', () => {
    assert.deepEqual(lint(`${SEED_HEADER}\n${seedRow({ backImage: 'nope.png' })}\n`, { files: null }).problems, []);
  });
});

describe('image-outside-batch', () => {
  for (const value of ['/etc/passwd.png', 'C:\\scans\\a.png', 'C:a.png', '\\\\server\\share\\a.png']) {
    it(`reports the absolute path ${value} at the image cell`, () => {
      assert.deepEqual(where(lintBackImage(value).problems), [backCell('image-outside-batch', value)]);
    });
  }

  for (const value of ['../a.png', 'sub/../a.png', 'sub\\..\\a.png']) {
    it(`reports ${value}, which climbs with ..`, () => {
      assert.deepEqual(where(lintBackImage(value, ['a.png', 'sub/a.png']).problems.filter((p) => p.code !== 'image-unreferenced')), [backCell('image-outside-batch', value)]);
    });
  }

  it('reports a file that is a link leading outside, and does not call it unreferenced', () => {
    const result = lintBackImage('link.png', [{ path: 'link.png', outside: true }]);
    assert.deepEqual(where(result.problems), [backCell('image-outside-batch', 'link.png')]);
  });

  it('reports a file under a linked folder that leads outside', () => {
    for (const value of ['linked/a.png', 'linked/deeper/a.png']) {
      assert.deepEqual(where(lintBackImage(value, [{ path: 'linked', outside: true }]).problems), [backCell('image-outside-batch', value)], value);
    }
  });

  it('does not report links that stay inside, or names that merely contain two dots', () => {
    assert.deepEqual(lintBackImage('link.png', [{ path: 'link.png', outside: false }]).problems, []);
    assert.deepEqual(lintBackImage('a..b.png', ['a..b.png']).problems, []);
    assert.deepEqual(lintBackImage('linkedness/a.png', [{ path: 'linked', outside: true }, 'linkedness/a.png']).problems, []);
  });
});

describe('image-case-mismatch', () => {
  it('reports a name that exists only in another case, with the real name as fix', () => {
    const value = '0_200014954151.BACK.png';
    const result = lint(`${SEED_HEADER}\n${seedRow({ backImage: value })}\n`, { files: ROW_1_IMAGES });
    // The real file counts as referenced: no image-unreferenced for it.
    assert.deepEqual(where(result.problems), [backCell('image-case-mismatch', value)]);
    assert.equal(result.problems[0].severity, 'error');
    assert.equal(result.problems[0].replacement, BACK);
  });

  it('reports folder names in another case too', () => {
    const result = lintBackImage('Sub/A.png', ['sub/a.png']);
    assert.deepEqual(where(result.problems), [backCell('image-case-mismatch', 'Sub/A.png')]);
    assert.equal(result.problems[0].replacement, 'sub/a.png');
  });

  it('reports a name whose file, in its real letter case, lies behind a link that leads outside', () => {
    const result = lintBackImage('Linked/a.png', [{ path: 'linked', outside: true }, 'linked/a.png']);
    assert.deepEqual(where(result.problems), [backCell('image-outside-batch', 'Linked/a.png')]);
    assert.equal(result.problems[0].replacement, undefined);
  });

  it('does not report a name in its exact case', () => {
    assert.deepEqual(lintBackImage('Sub/A.png', ['Sub/A.png', 'sub/a.png']).problems.filter((p) => p.code !== 'image-unreferenced'), []);
  });
});

describe('image-format', () => {
  const seedBatch = () => lint(`${SEED_HEADER}\n${SEED_ROW_1}\n`, { files: ROW_1_IMAGES });

  it('warns about a GIF at the image cell that references it', () => {
    const problems = seedBatch().checkImages(facts({ [BACK]: { size: 100, head: GIF } }));
    assert.deepEqual(where(problems), [backCell('image-format', BACK)]);
    assert.equal(problems[0].severity, 'warning');
  });

  it('warns about an empty file and an unknown format', () => {
    const problems = seedBatch().checkImages(facts({ [BACK]: { size: 0, head: [] }, [FACE]: { size: 20, head: [1, 2, 3, 4] } }));
    assert.deepEqual(where(problems), [backCell('image-format', BACK), `image-format@1:${FACE_AT}-1:${FACE_AT + FACE.length}`]);
  });

  it('warns at every row that references the file', () => {
    const text = `${SEED_HEADER}\n${SEED_ROW_1}\n${seedRow({ customerInternalReference: 'other' })}\n`;
    const problems = lint(text, { files: ROW_1_IMAGES }).checkImages(facts({ [BACK]: { size: 100, head: GIF } }));
    // Row 2 differs before the image cell: "10015,other," puts backImage at 12.
    assert.deepEqual(where(problems), [backCell('image-format', BACK), `image-format@2:12-2:${12 + BACK.length}`]);
  });

  it('does not warn about PNG and JPEG files', () => {
    const result = seedBatch();
    assert.deepEqual(result.images.slice().sort(), ROW_1_IMAGES.slice().sort());
    assert.deepEqual(result.checkImages(facts({ [BACK]: { size: 100, head: PNG }, [FRONT]: { size: 100, head: JPEG }, [FACE]: { size: 100, head: PNG } })), []);
  });
});

describe('image-too-large', () => {
  const seedBatch = (maxImageBytes?: number) => lint(`${SEED_HEADER}\n${SEED_ROW_1}\n`, { files: ROW_1_IMAGES, options: { maxImageBytes } });

  it('warns about an image over 10 MB at its cell', () => {
    const problems = seedBatch().checkImages(facts({ [FACE]: { size: 10_000_001, head: PNG } }));
    assert.deepEqual(where(problems), [`image-too-large@1:${FACE_AT}-1:${FACE_AT + FACE.length}`]);
    assert.equal(problems[0].severity, 'warning');
  });

  it('follows the size setting', () => {
    assert.deepEqual(where(seedBatch(2_000_000).checkImages(facts({ [BACK]: { size: 2_000_001, head: JPEG } }))), [backCell('image-too-large', BACK)]);
  });

  it('does not warn about exactly 10 MB', () => {
    assert.deepEqual(seedBatch().checkImages(facts({ [FACE]: { size: 10_000_000, head: PNG } })), []);
  });
});

describe('image-unreferenced', () => {
  it('tells about an image in the folder that no row references, at the start of the file', () => {
    const result = lint(`${SEED_HEADER}\n${SEED_ROW_1}\n`, { files: [...ROW_1_IMAGES, 'extra.jpg', 'sub/more.PNG'] });
    assert.deepEqual(where(result.problems), ['image-unreferenced@0:0-0:0', 'image-unreferenced@0:0-0:0']);
    assert.ok(result.problems.every((p) => p.severity === 'info'));
  });

  it('lists at most the configured number, then counts the rest in one more', () => {
    const result = lint(`${SEED_HEADER}\n${SEED_ROW_1}\n`, { files: [...ROW_1_IMAGES, 'a.jpg', 'b.jpg', 'c.jpg'], options: { maxUnreferencedReports: 2 } });
    assert.equal(withCode(result.problems, 'image-unreferenced').length, 3);
  });

  it('does not tell about files that are no images, nor about referenced ones', () => {
    assert.deepEqual(lint(`${SEED_HEADER}\n${SEED_ROW_1}\n`, { files: [...ROW_1_IMAGES, 'notes.txt', 'DONE', 'input.csv'] }).problems, []);
  });
});

describe('image-reserved-name', () => {
  const reserved = ['DONE', 'done', 'Done', './done', './/DONE', 'input.csv', 'Input.CSV', './INPUT.csv'];

  for (const value of reserved) {
    it(`reports ${value} at the image cell, and nothing else for that cell, whether the file exists or not`, () => {
      for (const files of [[], ['DONE', 'done', 'input.csv', 'Input.CSV']]) {
        const result = lintBackImage(value, files);
        assert.deepEqual(where(result.problems), [backCell('image-reserved-name', value)], `${value} with [${files.join(', ')}]`);
        assert.equal(result.problems[0].severity, 'error');
        assert.deepEqual(result.images.slice().sort(), [FACE, FRONT].sort(), 'its file is not read as an image');
      }
    });
  }

  it('says why the name is reserved and what to do', () => {
    assert.match(lintBackImage('DONE').problems[0].message, /starts processing.*last and alone.*rename the image and its reference/);
    assert.match(lintBackImage('input.csv').problems[0].message, /batch file.*rename the image and its reference/);
  });

  it('reports it without a folder listing too: it is a fact of the reference', () => {
    const result = lint(`${SEED_HEADER}\n${seedRow({ backImage: 'done' })}\n`, { files: null });
    assert.deepEqual(where(result.problems), [backCell('image-reserved-name', 'done')]);
  });

  it('does not report names in a sub-folder, near names or an absolute /DONE', () => {
    const near = ['sub/DONE', 'sub/input.csv', './sub/done', 'DONE.png', 'done.jpg', 'input.csv.png', 'DONEE', 'XDONE', 'NONE', 'inputcsv', 'input_csv', 'input.csvv'];
    for (const value of near) {
      assert.deepEqual(lintBackImage(value, [value.replace(/^\.\//, '')]).problems, [], value);
    }
    assert.deepEqual(where(lintBackImage('/DONE').problems), [backCell('image-outside-batch', '/DONE')]);
  });
});

describe('image-name-unicode', () => {
  const NFC = 'M\u00fcller.png';
  const NFD = 'Mu\u0308ller.png';

  it('reports a composed (NFC) reference to a file stored decomposed (NFD), with the file\'s bytes as fix', () => {
    const result = lintBackImage(NFC, [NFD]);
    assert.deepEqual(where(result.problems), [backCell('image-name-unicode', NFC)]);
    assert.equal(result.problems[0].severity, 'error');
    assert.equal(result.problems[0].replacement, NFD);
    assert.match(result.problems[0].message, /file's name is decomposed \(NFD.*the reference composed \(NFC\)/);
    assert.deepEqual(result.images.slice().sort(), [FACE, FRONT].sort(), 'the file is not read under a name the server would not find');
  });

  it('reports a decomposed reference to a composed file name, in a sub-folder too', () => {
    const result = lintBackImage(`sub/${NFD}`, [`sub/${NFC}`]);
    assert.deepEqual(where(result.problems), [backCell('image-name-unicode', `sub/${NFD}`)]);
    assert.equal(result.problems[0].replacement, `sub/${NFC}`);
  });

  it('does not report a name in the file\'s own form, and leaves another letter case to image-case-mismatch', () => {
    assert.deepEqual(lintBackImage(NFD, [NFD]).problems, []);
    assert.deepEqual(lintBackImage(NFC, [NFC, NFD]).problems.filter((p) => p.code !== 'image-unreferenced'), []);
    const both = lintBackImage('m\u00fcller.png', [NFD]);
    assert.deepEqual(codes(both.problems), ['image-case-mismatch']);
    assert.equal(both.problems[0].replacement, NFD);
  });
});

describe('image-reused', () => {
  const FACE_2 = '1_200014954152.face.png';

  it('warns at the second row that references an image, naming the first', () => {
    const row2 = seedRow({ faceImage: FACE }, SEED_ROW_2);
    const result = lint(`${SEED_HEADER}\n${SEED_ROW_1}\n${row2}\n`);
    // Row 2's image names are as long as row 1's: its faceImage starts where row 1's does.
    assert.deepEqual(where(result.problems.filter((p) => p.code !== 'image-unreferenced')), [`image-reused@2:${FACE_AT}-2:${FACE_AT + FACE.length}`]);
    const reused = withCode(result.problems, 'image-reused')[0];
    assert.equal(reused.severity, 'warning');
    assert.match(reused.message, /is also the faceImage of line 2\b/);
  });

  it('warns at the later column of one row that names the same file twice (the front as the back)', () => {
    const result = lint(`${SEED_HEADER}\n${seedRow({ frontImage: BACK })}\n`, { files: [BACK, FACE] });
    // "10015,myOrganization," (21) + back (23) + "," puts frontImage at 45.
    assert.deepEqual(where(result.problems), [`image-reused@1:45-1:${45 + BACK.length}`]);
    assert.match(result.problems[0].message, /same file as backImage in this row/);
  });

  it('knows one file under two spellings of its path', () => {
    const result = lint(`${SEED_HEADER}\n${seedRow({ frontImage: `./${BACK}` })}\n`, { files: [BACK, FACE] });
    assert.deepEqual(codes(result.problems), ['image-reused']);
  });

  it('does not warn about two transactions of one person with different images', () => {
    // Same name, e-mail and phone, other reference and images: a second verification, not a copy.
    const again = seedRow({ customerInternalReference: 'order-2', backImage: '1_200014954152.back.png', frontImage: '1_200014954152.front.png', faceImage: FACE_2 });
    assert.deepEqual(lint(`${SEED_HEADER}\n${SEED_ROW_1}\n${again}\n`).problems, []);
  });

  it('leaves a whole duplicate row to duplicate-row', () => {
    assert.deepEqual(codes(lint(`${SEED_HEADER}\n${SEED_ROW_1}\n${SEED_ROW_1}\n`, { files: ROW_1_IMAGES }).problems), ['duplicate-row']);
  });
});

describe('image-dimensions', () => {
  const seedBatch = (maxImagePixels?: number) => lint(`${SEED_HEADER}\n${SEED_ROW_1}\n`, { files: ROW_1_IMAGES, options: { maxImagePixels } });

  it('warns about a PNG 9,000 pixels wide at its cell, naming its size', () => {
    const problems = seedBatch().checkImages(factsOf({ [BACK]: makeBilevelPng(9000, 600) }));
    assert.deepEqual(where(problems), [backCell('image-dimensions', BACK)]);
    assert.equal(problems[0].severity, 'warning');
    assert.match(problems[0].message, /is 9,000 × 600 pixels; images may be at most 8,000 pixels wide and high/);
  });

  it('warns about a JPEG too high, its frame header found past a large EXIF block', () => {
    const problems = seedBatch().checkImages(factsOf({ [FACE]: makeJpeg({ width: 3000, height: 8001, exifBytes: 50_000 }) }));
    assert.deepEqual(where(problems), [`image-dimensions@1:${FACE_AT}-1:${FACE_AT + FACE.length}`]);
  });

  it('follows the pixel setting', () => {
    assert.deepEqual(codes(seedBatch(1000).checkImages(factsOf({ [BACK]: makePng(1001, 1) }))), ['image-dimensions']);
    assert.deepEqual(seedBatch(1000).checkImages(factsOf({ [BACK]: makePng(1000, 1000) })), []);
  });

  it('does not warn about a valid 8,000 × 8,000 PNG or JPEG', () => {
    assert.deepEqual(seedBatch().checkImages(factsOf({ [BACK]: makeBilevelPng(8000, 8000), [FRONT]: makeJpeg({ width: 8000, height: 8000 }) })), []);
  });
});

describe('image-corrupt', () => {
  const seedBatch = () => lint(`${SEED_HEADER}\n${SEED_ROW_1}\n`, { files: ROW_1_IMAGES });
  const png = makePng(32, 32, [1, 2, 3], 20_000);
  const jpeg = makeJpeg({ exifBytes: 10_000, scanBytes: 40_000 });

  it('warns about a PNG without its IEND chunk (cut short) at its cell', () => {
    const problems = seedBatch().checkImages(factsOf({ [BACK]: png.subarray(0, 15_000) }));
    assert.deepEqual(where(problems), [backCell('image-corrupt', BACK)]);
    assert.equal(problems[0].severity, 'warning');
    assert.match(problems[0].message, /ends before its IEND chunk/);
  });

  it('warns about a JPEG without its end-of-image marker', () => {
    const problems = seedBatch().checkImages(factsOf({ [FACE]: jpeg.subarray(0, jpeg.length - 2) }));
    assert.deepEqual(where(problems), [`image-corrupt@1:${FACE_AT}-1:${FACE_AT + FACE.length}`]);
    assert.match(problems[0].message, /ends before its end-of-image marker/);
  });

  it('does not warn about a JPEG with bytes after its end marker, nor about whole files', () => {
    const withTrailer = Buffer.concat([jpeg, Buffer.from('SEFH\0\0\0\0 a phone trailer SEFT')]);
    assert.deepEqual(seedBatch().checkImages(factsOf({ [BACK]: png, [FRONT]: withTrailer, [FACE]: jpeg })), []);
  });

  it('leaves files that are no PNG or JPEG to image-format', () => {
    const problems = seedBatch().checkImages(factsOf({ [BACK]: Buffer.from('GIF89a\x01\x00\x01\x00') }));
    assert.deepEqual(codes(problems), ['image-format']);
  });
});
