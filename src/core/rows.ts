import { CsvRecord } from './csv';
import { CONSENT_COLUMNS, IMAGE_COLUMNS } from './columns';
import { alpha3Of, isAlpha2, isAlpha3 } from './countries';
import { SeenRows } from './duplicates';
import { Header } from './header';
import { FolderIndex, ReservedName, isPlainPath, lookUpImage, reservedImageName, unicodeForm } from './images';
import { Locator } from './locate';
import { csvField } from './scan';
import { LintOptions } from './options';
import { Problem, problem } from './problem';
import {
  CONSENT_VALUES, EXCEL_DATE, EXCEL_SCIENTIFIC, FORBIDDEN_REFERENCE_CHARACTERS, FORMULA_PREFIX, MAX_REFERENCE_LENGTH,
  PHONE, WORKFLOW_KEY, canonicalTimestamp, isEmail, isIpAddress, isRealIsoDate, parseUtcInstant, piiLikeness, utcDay,
} from './values';

/** An image cell that names a file present in the batch folder. */
export interface ImageReference {
  path: string;
  record: CsvRecord;
  column: number;
}

const FORBIDDEN = /[<>"/;`%{}|]/;
const FORBIDDEN_ALL = /[<>"/;`%{}|]/g;
const MAX_CHARACTER_REPORTS = 20;
const FORMULA_COLUMNS = [
  'customerInternalReference', 'preparedData.firstName', 'preparedData.lastName',
  'preparedData.address.line1', 'preparedData.address.line2', 'preparedData.address.city',
];

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 160 || c === 0x3000;
}

const FORM_NAMES = {
  NFC: 'composed (NFC)',
  NFD: 'decomposed (NFD, as macOS stores file names)',
  mixed: 'partly decomposed',
};

/**
 * Checks every data row's cells. Column positions are resolved once from the header; each row
 * then costs a few comparisons per cell and a regular expression only where a column demands one.
 */
export class RowChecker {
  private readonly col: (name: string) => number;
  private readonly wfk: number;
  private readonly ref: number;
  private readonly images: { name: string; index: number }[];
  private readonly consent: { name: string; index: number }[];
  private readonly ip: number;
  private readonly consentCountry: number;
  private readonly consentValue: number;
  private readonly consentAt: number;
  private readonly dob: number;
  private readonly phone: number;
  private readonly email: number;
  private readonly postalCode: number;
  private readonly addressCountry: number;
  private readonly firstName: number;
  private readonly lastName: number;
  private readonly formula: Set<number>;
  private readonly today: string;
  readonly references: ImageReference[] = [];
  /**
   * By folder file number: 1 when a row references the file under its exact name (it is read
   * and uploaded), 2 when a row means it otherwise (another letter case, through a link).
   */
  readonly marks: Uint8Array;
  /** By folder file number: the 1-based line of the first cell that references it, and that cell's column. */
  private readonly firstUseLine: Int32Array;
  private readonly firstUseColumn: Int32Array;
  /** The data rows checked so far (`duplicate-row`). */
  private readonly seenRows = new SeenRows();

  constructor(
    private readonly header: Header,
    private readonly options: LintOptions,
    private readonly folder: FolderIndex | undefined,
    private readonly at: Locator,
    private readonly problems: Problem[],
  ) {
    this.col = (name) => header.columns.get(name) ?? -1;
    this.wfk = this.col('workflowDefinitionKey');
    this.ref = this.col('customerInternalReference');
    // In the order of the header, so that a reused image is reported at its later cell.
    this.images = IMAGE_COLUMNS.map((name) => ({ name, index: this.col(name) })).filter((c) => c.index >= 0).sort((a, b) => a.index - b.index);
    this.consent = CONSENT_COLUMNS.map((name) => ({ name, index: this.col(name) }));
    this.ip = this.col('userConsentUserIp');
    this.consentCountry = this.col('userConsentUserLocationCountry');
    this.consentValue = this.col('userConsentConsentObtained');
    this.consentAt = this.col('userConsentConsentObtainedAt');
    this.dob = this.col('preparedData.dateOfBirth');
    this.phone = this.col('preparedData.phoneNumber');
    this.email = this.col('preparedData.email');
    this.postalCode = this.col('preparedData.address.postalCode');
    this.addressCountry = this.col('preparedData.address.country');
    this.firstName = this.col('preparedData.firstName');
    this.lastName = this.col('preparedData.lastName');
    this.formula = new Set(FORMULA_COLUMNS.map(this.col).filter((i) => i >= 0));
    this.today = utcDay(options.now);
    this.marks = new Uint8Array(folder?.size ?? 0);
    this.firstUseLine = new Int32Array(folder?.size ?? 0);
    this.firstUseColumn = new Int32Array(folder?.size ?? 0);
  }

  private mark(path: string, how: 1 | 2): void {
    const id = (this.folder as FolderIndex).idOf(path);
    if (id >= 0 && this.marks[id] !== 1) this.marks[id] = how;
  }

  check(r: CsvRecord): void {
    const cells = r.cells;
    const duplicate = this.duplicateRow(r);
    this.generic(r);
    if (this.wfk >= 0) this.workflowKey(r, cells[this.wfk].trim());
    if (this.ref >= 0) this.reference(r, cells[this.ref]);
    for (const image of this.images) this.image(r, image.name, image.index, duplicate);
    this.consentCells(r);
    if (this.ip >= 0) this.ipAddress(r, cells[this.ip].trim());
    if (this.consentCountry >= 0) this.country(r, this.consentCountry, 'userConsentUserLocationCountry', false);
    if (this.addressCountry >= 0) this.country(r, this.addressCountry, 'preparedData.address.country', true);
    if (this.consentValue >= 0) this.consentObtained(r, cells[this.consentValue].trim());
    if (this.consentAt >= 0) this.timestamp(r, cells[this.consentAt].trim());
    if (this.dob >= 0) this.dateOfBirth(r, cells[this.dob].trim());
    if (this.phone >= 0) this.phoneNumber(r, cells[this.phone].trim());
    if (this.email >= 0) this.emailAddress(r, cells[this.email].trim());
    if (this.postalCode >= 0) this.zip(r);
  }

  private report(code: Parameters<typeof problem>[0], r: CsvRecord, column: number, message: string, extra?: Parameters<typeof problem>[3]): void {
    // The range is the whole cell as written, so its replacement must be a CSV cell too.
    const fix = extra?.replacement === undefined ? extra : { ...extra, replacement: csvField(extra.replacement, this.at.delimiter) };
    this.problems.push(problem(code, this.at.cell(r, column), message, fix));
  }

  /** Rules that apply to every cell: stray whitespace and what spreadsheets do to values. */
  private generic(r: CsvRecord): void {
    const cells = r.cells;
    for (let i = 0; i < cells.length; i++) {
      const c = cells[i];
      if (c.length === 0) continue;
      const name = this.header.names[i];
      let v = c;
      if (isSpace(c.charCodeAt(0)) || isSpace(c.charCodeAt(c.length - 1))) {
        v = c.trim();
        if (v === '') this.report('whitespace', r, i, `${name} holds only spaces: empty it.`, { replacement: '' });
        else this.report('whitespace', r, i, `${name} has leading or trailing spaces: remove them.`, { replacement: v });
      }
      const first = v.charCodeAt(0);
      const numeric = (first >= 48 && first <= 57) || first === 43 || first === 45;
      if (numeric && (v.includes('E') || v.includes('e')) && EXCEL_SCIENTIFIC.test(v)) {
        this.report('excel-damage', r, i, `${name} is in scientific notation, as a spreadsheet writes long numbers: the digits after the first few are lost; restore the full value and format the column as text.`);
      } else if (numeric && v.includes('/') && EXCEL_DATE.test(v)) {
        this.report('excel-damage', r, i, `${name} looks like a date a spreadsheet rewrote: write it as ISO 8601 and format the column as text.`);
      }
      if (this.formula.has(i) && FORMULA_PREFIX.test(v)) {
        this.report('excel-damage', r, i, `${name} starts with "${v[0]}", which spreadsheets run as a formula (formula injection): remove the leading character or rephrase.`);
      }
    }
  }

  private workflowKey(r: CsvRecord, v: string): void {
    if (v === '') this.report('required-value', r, this.wfk, 'workflowDefinitionKey is empty: every row needs the key of its workflow (the default is 10015).');
    else if (!WORKFLOW_KEY.test(v)) this.report('workflow-key', r, this.wfk, `workflowDefinitionKey "${v}" is not a positive integer: use your workflow's key, e.g. 10015.`);
  }

  private reference(r: CsvRecord, raw: string): void {
    const v = raw.trim();
    if (v === '') {
      this.report('required-value', r, this.ref, 'customerInternalReference is empty: give every row your own id for the transaction (with no personal data in it).');
      return;
    }
    if (FORBIDDEN.test(raw)) {
      // One problem per character, up to a cap per cell: a pasted blob must not flood the editor.
      // Removing them is the fix, unless nothing would be left of the reference (required-value).
      const fix = raw.replace(FORBIDDEN_ALL, '').trim() !== '' ? { replacement: '' } : undefined;
      let reported = 0;
      let more = 0;
      for (let i = 0; i < raw.length; i++) {
        const ch = raw[i];
        if (!FORBIDDEN_REFERENCE_CHARACTERS.includes(ch)) continue;
        if (reported === MAX_CHARACTER_REPORTS) { more++; continue; }
        reported++;
        this.problems.push(problem('forbidden-character', this.at.character(r, this.ref, i),
          `customerInternalReference contains "${ch}", which Jumio forbids (none of ${FORBIDDEN_REFERENCE_CHARACTERS} is allowed): remove or replace it.`, fix));
      }
      if (more > 0) {
        this.report('forbidden-character', r, this.ref, `customerInternalReference contains ${more.toLocaleString('en-US')} more forbidden characters than are shown one by one: remove them all.`);
      }
    }
    const length = [...v].length;
    if (length > MAX_REFERENCE_LENGTH) {
      this.report('reference-too-long', r, this.ref, `customerInternalReference is ${length} characters long; at most ${MAX_REFERENCE_LENGTH} are allowed: shorten it.`);
    }
    const cells = r.cells;
    const why = piiLikeness(v, {
      firstName: this.firstName >= 0 ? cells[this.firstName] : undefined,
      lastName: this.lastName >= 0 ? cells[this.lastName] : undefined,
      email: this.email >= 0 ? cells[this.email] : undefined,
      phone: this.phone >= 0 ? cells[this.phone] : undefined,
    });
    if (why) this.report('pii-in-reference', r, this.ref, `customerInternalReference must not hold personal data, and ${why}: use an id of your own that means nothing outside your systems.`);
  }

  /** Reports a row identical to an earlier one (every cell alike); true when it is one. */
  private duplicateRow(r: CsvRecord): boolean {
    const earlier = this.seenRows.earlier(r);
    if (!earlier) return false;
    this.problems.push(problem('duplicate-row', this.at.wholeRecord(r), `this row is the same as line ${earlier.line + 1}, cell for cell: remove it if it was pasted twice.`));
    return true;
  }

  /**
   * An image cell that names a file in the folder (folder file number `id`): a reference to read
   * and upload, and `image-reused` when an earlier cell named the same file. A whole duplicate row
   * is reported as such (`duplicate-row`), not once more per image.
   */
  private found(r: CsvRecord, name: string, column: number, path: string, id: number, duplicate: boolean): void {
    this.references.push({ path, record: r, column });
    this.marks[id] = 1;
    const line = this.firstUseLine[id];
    if (line === 0) {
      this.firstUseLine[id] = r.line + 1;
      this.firstUseColumn[id] = column;
      return;
    }
    if (duplicate) return;
    const other = this.header.names[this.firstUseColumn[id]];
    const where = line === r.line + 1
      ? `is the same file as ${other} in this row: each image column needs an image of its own (the front given as the back?)`
      : `is also the ${other} of line ${line}: an image belongs to one transaction; check which row it is for`;
    this.report('image-reused', r, column, `${name} "${r.cells[column]}" ${where}.`);
  }

  private image(r: CsvRecord, name: string, column: number, duplicate: boolean): void {
    const value = r.cells[column];
    // A fact of the reference alone (no listing needed), and the only problem of its cell.
    const reserved = reservedImageName(value);
    if (reserved) { this.reservedName(r, name, column, reserved); return; }
    const folder = this.folder;
    if (!folder) return;
    // The common case without allocating: a plain relative name that is in the folder.
    const id = isPlainPath(value) ? folder.idOf(value) : -1;
    if (id >= 0 && !folder.leadsOutside(value)) {
      this.found(r, name, column, value, id, duplicate);
      return;
    }
    if (value.trim() === '') return;
    const found = lookUpImage(value, folder);
    switch (found.kind) {
      case 'found':
        this.found(r, name, column, found.path, folder.idOf(found.path), duplicate);
        return;
      case 'outside':
        if (found.path) this.mark(found.path, 2);
        this.report('image-outside-batch', r, column, `${name} "${value}" is outside the batch folder: ${found.why}.`);
        return;
      case 'unicode':
        this.mark(found.actual, 2);
        this.report('image-name-unicode', r, column,
          `${name} "${value}" is in the batch folder only under another Unicode form of the same name (the file's name is ${FORM_NAMES[unicodeForm(found.actual)]}, the reference ${FORM_NAMES[unicodeForm(value)]}): the server compares names byte for byte; write the reference as the file is named.`,
          { replacement: found.actual });
        return;
      case 'case':
        this.mark(found.actual, 2);
        this.report('image-case-mismatch', r, column, `${name} "${value}" exists only as "${found.actual}": the server's file names are case-sensitive; write "${found.actual}".`, { replacement: found.actual });
        return;
      case 'missing':
        this.report('image-missing', r, column, `${name} "${value}" is not in the batch folder${found.hint ? ` (${found.hint})` : ''}: add the file or correct the name.`);
    }
  }

  private reservedName(r: CsvRecord, name: string, column: number, reserved: ReservedName): void {
    const value = r.cells[column];
    const why = reserved === 'DONE'
      ? 'a file named DONE starts processing at Jumio, so it must be uploaded last and alone, never as an image'
      : 'input.csv is the batch file itself, not an image';
    this.report('image-reserved-name', r, column, `${name} "${value}" is the reserved name ${reserved} (in any letter case) at the top of the batch folder: ${why}; rename the image and its reference.`);
  }

  /** The files referenced under their exact name, each once. */
  referenced(): string[] {
    const paths = (this.folder as FolderIndex | undefined)?.paths ?? [];
    const out: string[] = [];
    for (let i = 0; i < this.marks.length; i++) if (this.marks[i] === 1) out.push(paths[i]);
    return out;
  }

  private consentCells(r: CsvRecord): void {
    let filled = 0;
    for (const c of this.consent) if (c.index >= 0 && r.cells[c.index].trim() !== '') filled++;
    if (filled === 0 || filled === this.consent.length) return;
    const empty = this.consent.filter((c) => c.index < 0 || r.cells[c.index].trim() === '');
    const target = empty.find((c) => c.index >= 0) ?? this.consent.find((c) => c.index >= 0 && r.cells[c.index].trim() !== '');
    const names = empty.map((c) => c.name + (c.index < 0 ? ' (no such column)' : ''));
    this.report('consent-incomplete', r, target ? target.index : 0,
      `consent is only partly given: ${names.join(', ')} ${names.length > 1 ? 'are' : 'is'} empty while other userConsent cells are filled; Jumio rejects a transaction without its required consent: fill all five or none.`);
  }

  private ipAddress(r: CsvRecord, v: string): void {
    if (v !== '' && !isIpAddress(v)) this.report('ip-address', r, this.ip, 'userConsentUserIp is not a valid IPv4 or IPv6 address: write the address the user consented from, e.g. 203.0.113.7.');
  }

  private country(r: CsvRecord, column: number, name: string, alpha2Allowed: boolean): void {
    const v = r.cells[column].trim();
    if (v === '') return;
    if (isAlpha3(v) || (alpha2Allowed && isAlpha2(v))) return;
    const upper = v.toUpperCase();
    if (isAlpha3(upper) || (alpha2Allowed && isAlpha2(upper))) {
      this.report('country-code', r, column, `${name} "${v}" must be written in capitals: "${upper}".`, { replacement: upper });
    } else if (!alpha2Allowed && isAlpha2(upper)) {
      const a3 = alpha3Of(upper) as string;
      this.report('country-code', r, column, `${name} "${v}" is a two-letter code; this column needs the three-letter ISO 3166-1 code: "${a3}".`, { replacement: a3 });
    } else {
      this.report('country-code', r, column, `${name} "${v}" is not an ISO 3166-1 ${alpha2Allowed ? 'alpha-2 or alpha-3' : 'alpha-3'} country code (e.g. ${alpha2Allowed ? 'US or USA' : 'USA'}).`);
    }
  }

  private consentObtained(r: CsvRecord, v: string): void {
    if (v === '' || (CONSENT_VALUES as readonly string[]).includes(v)) return;
    const lower = v.toLowerCase();
    const fix = (CONSENT_VALUES as readonly string[]).includes(lower) ? lower : undefined;
    this.report('consent-value', r, this.consentValue, `userConsentConsentObtained "${v}" must be one of yes, no, na${fix ? ` (in lower case: "${fix}")` : ''}.`, fix ? { replacement: fix } : undefined);
  }

  // Batches repeat the same consent time on many rows: remember the last one parsed.
  private lastTimestamp = '';
  private lastInstant: number | undefined;

  private timestamp(r: CsvRecord, v: string): void {
    if (v === '') return;
    if (v !== this.lastTimestamp) { this.lastTimestamp = v; this.lastInstant = parseUtcInstant(v); }
    const instant = this.lastInstant;
    if (instant === undefined) {
      const canonical = canonicalTimestamp(v);
      const how = canonical ? `: write "${canonical}"` : EXCEL_DATE.test(v) ? ' (a spreadsheet rewrote it): write it like 2022-07-20T17:20:35.000Z' : ', e.g. 2022-07-20T17:20:35.000Z';
      this.report('timestamp', r, this.consentAt, `userConsentConsentObtainedAt "${v}" is not a UTC instant YYYY-MM-DDThh:mm:ss.SSSZ${how}.`, canonical ? { replacement: canonical } : undefined);
    } else if (instant > this.options.now) {
      this.report('timestamp', r, this.consentAt, `userConsentConsentObtainedAt "${v}" is in the future: consent must have been obtained already.`, { severity: 'warning' });
    }
  }

  private dateOfBirth(r: CsvRecord, v: string): void {
    if (v === '') return;
    if (!isRealIsoDate(v)) this.report('date-of-birth', r, this.dob, 'preparedData.dateOfBirth must be a real date written YYYY-MM-DD, e.g. 1990-04-23.');
    else if (v >= this.today) this.report('date-of-birth', r, this.dob, 'preparedData.dateOfBirth is not in the past: check the year.');
  }

  private phoneNumber(r: CsvRecord, v: string): void {
    if (v === '' || PHONE.test(v)) return;
    const compact = v.replace(/[\s().-]/g, '');
    const fix = PHONE.test(compact) ? compact : undefined;
    this.report('phone-number', r, this.phone, `preparedData.phoneNumber should be 7 to 15 digits with an optional leading + (E.164)${fix ? ', without spaces, dashes or brackets' : ''}.`, fix ? { replacement: fix } : undefined);
  }

  private emailAddress(r: CsvRecord, v: string): void {
    if (v !== '' && !isEmail(v)) this.report('email', r, this.email, 'preparedData.email is not an e-mail address (name@example.com).');
  }

  /** A US ZIP code that lost its leading zero when a spreadsheet read it as a number. */
  private zip(r: CsvRecord): void {
    const v = r.cells[this.postalCode].trim();
    if (!/^\d{3,4}(-\d{4})?$/.test(v)) return;
    const country = this.addressCountry >= 0 ? r.cells[this.addressCountry].trim().toUpperCase() : '';
    if (country !== 'US' && country !== 'USA') return;
    const [zip, plus4] = v.split('-');
    const fixed = zip.padStart(5, '0') + (plus4 ? `-${plus4}` : '');
    this.report('excel-damage', r, this.postalCode, `preparedData.address.postalCode "${v}" is too short for a US ZIP code: a spreadsheet probably dropped its leading zero ("${fixed}").`, { replacement: fixed });
  }
}
