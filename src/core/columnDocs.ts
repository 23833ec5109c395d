// What each known column means, for the editor's hover and header completion. The facts follow
// shared/spec/batch-format.md ("Columns"); the examples are the seed's (examples/batch).
import { CONSENT_COLUMNS, IMAGE_COLUMNS, KNOWN_COLUMNS, PREPARED_DATA_FIELDS, PREPARED_DATA_PREFIX, REQUIRED_COLUMNS } from './columns';
import { RuleCode } from './rules';

/** Where the rule codes are documented: the README, one `### <code>` heading per code. */
export const RULES_URL = 'https://github.com/jumio-batch/jumio-batch/blob/main/README.md';

/** The link to a rule code's section of the README. */
export function ruleUrl(code: RuleCode): string {
  return `${RULES_URL}#${code}`;
}

/** The documentation of one known column. */
export interface ColumnDoc {
  /** The exact column name, as the header must spell it. */
  name: string;
  /** Whether Jumio rejects a batch whose header lacks the column. */
  required: boolean;
  /** One line, plain text: what the column holds. */
  summary: string;
  /** Markdown: the meaning, the accepted format with an example, and links to the rules that check it. */
  markdown: string;
}

type KnownColumn =
  | (typeof REQUIRED_COLUMNS)[number]
  | (typeof IMAGE_COLUMNS)[number]
  | (typeof CONSENT_COLUMNS)[number]
  | `${typeof PREPARED_DATA_PREFIX}${(typeof PREPARED_DATA_FIELDS)[number]}`;

interface Entry {
  summary: string;
  /** Markdown, one or two sentences. */
  format: string;
  example: string;
  /** The rules that check this column in particular (header rules included). */
  rules: readonly RuleCode[];
  personal?: true;
}

/** Rules that look at every cell, whatever its column. */
const EVERY_CELL: readonly RuleCode[] = ['whitespace', 'excel-damage'];

const IMAGE_RULES: readonly RuleCode[] = [
  'image-missing', 'image-outside-batch', 'image-case-mismatch', 'image-name-unicode', 'image-reserved-name',
  'image-format', 'image-too-large', 'image-dimensions', 'image-corrupt', 'image-reused',
];
const IMAGE_FORMAT = 'A path relative to `input.csv` (sub-folders allowed) of a JPEG or PNG file in the batch folder, at most 10 MB and 8,000 × 8,000 pixels, and one file per cell (not the same image twice). Names are compared byte for byte on the server: letter case and Unicode form (`ü` composed or decomposed) count. Not `DONE` or `input.csv` at the top of the folder (in any letter case): those names are reserved.';
const CONSENT_NOTE = ' Fill all five `userConsent*` cells of a row, or none.';
const FORMULA_NOTE = ' Must not start with `=`, `+`, `-` or `@` (spreadsheets run it as a formula).';

// Keyed by KnownColumn, so the compiler refuses a known column without its documentation.
const ENTRIES: Record<KnownColumn, Entry> = {
  workflowDefinitionKey: {
    summary: 'The key of the Jumio workflow that runs the transaction.',
    format: 'A positive integer; the seed\'s default is `10015`.',
    example: '10015',
    rules: ['missing-column', 'required-value', 'workflow-key'],
  },
  customerInternalReference: {
    summary: 'Your own id for the transaction; it must hold no personal data.',
    format: 'At most 100 characters, none of `<` `>` `"` `/` `;` `` ` `` `%` `{` `}` `|`, and nothing that looks like an e-mail, a phone number or a name.' + FORMULA_NOTE,
    example: 'myOrganization',
    rules: ['missing-column', 'required-value', 'forbidden-character', 'reference-too-long', 'pii-in-reference', 'excel-damage'],
  },
  frontImage: {
    summary: 'The image of the front of the ID document.',
    format: IMAGE_FORMAT,
    example: '0_200014954151.front.png',
    rules: IMAGE_RULES,
  },
  backImage: {
    summary: 'The image of the back of the ID document.',
    format: IMAGE_FORMAT,
    example: '0_200014954151.back.png',
    rules: IMAGE_RULES,
  },
  faceImage: {
    summary: 'The selfie of the person, matched against the ID document.',
    format: IMAGE_FORMAT,
    example: '0_200014954151.face.png',
    rules: IMAGE_RULES,
  },
  userConsentUserIp: {
    summary: 'The IP address the person gave consent from.',
    format: 'An IPv4 or IPv6 address.' + CONSENT_NOTE,
    example: '226.80.211.232',
    rules: ['ip-address', 'consent-incomplete'],
    personal: true,
  },
  userConsentUserLocationCountry: {
    summary: 'The country the person was in when giving consent.',
    format: 'An ISO 3166-1 alpha-3 code in capitals (`USA`, not `US`).' + CONSENT_NOTE,
    example: 'USA',
    rules: ['country-code', 'consent-incomplete'],
  },
  userConsentUserLocationState: {
    summary: 'The state or region the person was in when giving consent.',
    format: 'A subdivision code.' + CONSENT_NOTE,
    example: 'IL',
    rules: ['consent-incomplete'],
  },
  userConsentConsentObtained: {
    summary: 'Whether the person\'s consent was obtained.',
    format: 'One of `yes`, `no`, `na`, in lower case.' + CONSENT_NOTE,
    example: 'yes',
    rules: ['consent-value', 'consent-incomplete'],
  },
  userConsentConsentObtainedAt: {
    summary: 'When the consent was obtained, in UTC.',
    format: 'A UTC instant `YYYY-MM-DDThh:mm:ss.SSSZ` (milliseconds optional), not in the future.' + CONSENT_NOTE,
    example: '2022-07-20T17:20:35.000Z',
    rules: ['timestamp', 'consent-incomplete'],
  },
  'preparedData.firstName': {
    summary: 'The person\'s first name, as supporting data for the workflow.',
    format: 'Text.' + FORMULA_NOTE,
    example: 'John',
    rules: ['excel-damage', 'pii-in-reference'],
    personal: true,
  },
  'preparedData.lastName': {
    summary: 'The person\'s last name, as supporting data for the workflow.',
    format: 'Text.' + FORMULA_NOTE,
    example: 'Smith',
    rules: ['excel-damage', 'pii-in-reference'],
    personal: true,
  },
  'preparedData.phoneNumber': {
    summary: 'The person\'s phone number, as supporting data for the workflow.',
    format: 'E.164: 7 to 15 digits with an optional leading `+`, no spaces, dashes or brackets; not in scientific notation.',
    example: '15031234567',
    rules: ['phone-number', 'excel-damage', 'pii-in-reference'],
    personal: true,
  },
  'preparedData.email': {
    summary: 'The person\'s e-mail address, as supporting data for the workflow.',
    format: 'An e-mail address (`name@example.com`).',
    example: 'email1@gmail.com',
    rules: ['email', 'pii-in-reference'],
    personal: true,
  },
  'preparedData.dateOfBirth': {
    summary: 'The person\'s date of birth, as supporting data for the workflow.',
    format: 'A real date in the past, written `YYYY-MM-DD` only.',
    example: '1990-04-23',
    rules: ['date-of-birth'],
    personal: true,
  },
  'preparedData.address.line1': {
    summary: 'The first line of the person\'s street address.',
    format: 'Text; quote it when it holds a comma.' + FORMULA_NOTE,
    example: '12345 SW Address Ln',
    rules: ['excel-damage'],
    personal: true,
  },
  'preparedData.address.line2': {
    summary: 'The second line of the person\'s street address.',
    format: 'Text; quote it when it holds a comma.' + FORMULA_NOTE,
    example: 'Apt 4',
    rules: ['excel-damage'],
    personal: true,
  },
  'preparedData.address.postalCode': {
    summary: 'The postal code of the person\'s address.',
    format: 'As written locally; a US ZIP code keeps its leading zero (`02134`, not `2134`).',
    example: '12345',
    rules: ['excel-damage'],
  },
  'preparedData.address.city': {
    summary: 'The city of the person\'s address.',
    format: 'Text.' + FORMULA_NOTE,
    example: 'Any Town',
    rules: ['excel-damage'],
  },
  'preparedData.address.subdivision': {
    summary: 'The state or region of the person\'s address.',
    format: 'A subdivision code.',
    example: 'OR',
    rules: [],
  },
  'preparedData.address.country': {
    summary: 'The country of the person\'s address.',
    format: 'An ISO 3166-1 alpha-2 or alpha-3 code in capitals (`US` or `USA`, not `America`).',
    example: 'USA',
    rules: ['country-code'],
  },
};

function links(codes: readonly RuleCode[]): string {
  return codes.map((c) => `[\`${c}\`](${ruleUrl(c)})`).join(', ');
}

function markdownOf(name: string, required: boolean, e: Entry): string {
  const generic = EVERY_CELL.filter((c) => !e.rules.includes(c));
  const checks = e.rules.length
    ? `Checked by ${links(e.rules)}; like every cell, also by ${links(generic)}.`
    : `Checked, like every cell, by ${links(generic)}.`;
  return [
    `**${name}** · ${required ? 'required' : 'optional'}${e.personal ? ' · personal data' : ''}`,
    e.summary,
    `${e.format} Example: \`${e.example}\``,
    checks,
  ].join('\n\n');
}

/** The documentation of a known column by its exact name (spaces around it ignored); undefined for any other name. */
export function describeColumn(name: string): ColumnDoc | undefined {
  const key = name.trim();
  if (!Object.prototype.hasOwnProperty.call(ENTRIES, key)) return undefined;
  const e = ENTRIES[key as KnownColumn];
  const required = (REQUIRED_COLUMNS as readonly string[]).includes(key);
  return { name: key, required, summary: e.summary, markdown: markdownOf(key, required, e) };
}

/**
 * The known columns a header does not have yet, to offer while the header is typed: required
 * columns first, then in the spec's order. Names in `existingHeader` are compared trimmed.
 */
export function headerCompletions(existingHeader: readonly string[]): ColumnDoc[] {
  const present = new Set(existingHeader.map((n) => n.trim()));
  const docs = KNOWN_COLUMNS.filter((n) => !present.has(n)).map((n) => describeColumn(n) as ColumnDoc);
  return [...docs.filter((d) => d.required), ...docs.filter((d) => !d.required)];
}

// Characters that would turn a header name into markup (a name comes from the user's file).
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|~#]/g, '\\$&');
}

/**
 * One markdown line that says where a data cell is: its column's name, its 1-based column and
 * its data row, e.g. `**customerInternalReference** · column 2 · row 5`. It takes no cell
 * value, so a hover built from it never shows one (cell values can be personal data).
 * @param headerName the header's name for the column; undefined or empty when it has none
 * @param column 0-based column index
 * @param dataRow 1-based data row, the header not counted
 */
export function describeCell(headerName: string | undefined, column: number, dataRow: number): string {
  const name = headerName?.trim();
  const where = `column ${column + 1} · row ${dataRow}`;
  return name ? `**${escapeMarkdown(name)}** · ${where}` : where;
}
