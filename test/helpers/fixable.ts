// A batch CSV with a problem of every code the fix engine can fix, and the bytes a fix must leave:
// CRLF line endings, a byte-order mark, and quoted cells (one spanning lines) that a fix must not touch.

const HEADER_BEFORE = 'customerInternalReference, faceImage,userConsentUserIp,userConsentUserLocationCountry,userConsentUserLocationState,userConsentConsentObtained,userConsentConsentObtainedAt,preparedData.firstname,preparedData.phoneNumber,preparedData.address.postalCode,preparedData.address.country';
const HEADER_AFTER = 'workflowDefinitionKey,customerInternalReference,faceImage,userConsentUserIp,userConsentUserLocationCountry,userConsentUserLocationState,userConsentConsentObtained,userConsentConsentObtainedAt,preparedData.firstName,preparedData.phoneNumber,preparedData.address.postalCode,preparedData.address.country';

/** Rows before and after: each fixable cell, a cell with two fixes that overlap, and cells no fix may touch. */
const ROWS: [string, string][] = [
  // forbidden-character, image-case-mismatch, country-code, whitespace, consent-value, timestamp, phone-number, excel-damage (ZIP)
  ['order%1,face.png,10.0.0.1,US, IL ,Yes,2022-07-20T19:20:35+02:00,"Ada ""A"" Lovelace",(503) 123-4567,2134,USA',
    '10015,order1,Face.PNG,10.0.0.1,USA,IL,yes,2022-07-20T17:20:35.000Z,"Ada ""A"" Lovelace",5031234567,02134,USA'],
  // whitespace around a forbidden character, and around a two-letter country: a fix each, over one another
  // ...and image-name-unicode: the reference composed (NFC), the file's name decomposed (NFD, as a Mac stores it)
  [' a<b ,M\u00fcller.png,10.0.0.2, de ,BE,no,2022-07-20T17:20:35.000Z,"Grace, Hopper",+4930123456,10115,DEU',
    '10015,ab,Mu\u0308ller.png,10.0.0.2,DEU,BE,no,2022-07-20T17:20:35.000Z,"Grace, Hopper",+4930123456,10115,DEU'],
  // nothing to fix: must come out byte for byte (the quoted cell spans two lines)
  ['order-3,other.png,,,,,,"Line\r\nbreak",,,',
    '10015,order-3,other.png,,,,,,"Line\r\nbreak",,,'],
];

/** A row of empty cells, as a spreadsheet keeps a formatted empty row: blank-row, removed. */
const BLANK_ROW = ',,,,,,,,,,';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** The CSV to fix: a BOM, CRLF line endings, a header lacking workflowDefinitionKey. */
export const FIXABLE_CSV = Buffer.concat([BOM, Buffer.from([HEADER_BEFORE, ROWS[0][0], ROWS[1][0], BLANK_ROW, ROWS[2][0]].join('\r\n') + '\r\n')]);

/** What a fix must leave: every fixable problem gone, nothing else changed. */
export const FIXED_CSV = Buffer.from([HEADER_AFTER, ROWS[0][1], ROWS[1][1], ROWS[2][1]].join('\r\n') + '\r\n');

/** The images the rows reference, under their real names (letter case, Unicode form): one per row. */
export const FIXABLE_IMAGES = ['Face.PNG', 'Mu\u0308ller.png', 'other.png'];
