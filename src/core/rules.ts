/**
 * The lint rule codes: a public contract (users, CI scripts and the extension's quick fixes
 * match on them). Codes and default severities follow `shared/spec/batch-format.md`; the README
 * documents each under a heading of the same name, which is where diagnostics link to.
 */
export type Severity = 'error' | 'warning' | 'info';

export const RULES = {
  'file-name': { severity: 'error', summary: 'the batch CSV is not named exactly input.csv, or the folder has none' },
  'encoding': { severity: 'error', summary: 'bytes that are not valid UTF-8 (Latin-1 or UTF-16 from a spreadsheet), or no text at all (a workbook, a PDF, an image)' },
  'delimiter': { severity: 'error', summary: 'the header is separated by ;, a tab or | instead of commas' },
  'bom': { severity: 'warning', summary: 'a UTF-8 byte-order mark before the header' },
  'empty-file': { severity: 'error', summary: 'no header row at all' },
  'no-rows': { severity: 'error', summary: 'a header but no data row' },
  'row-limit': { severity: 'error', summary: 'more data rows than the limit (10,000)' },
  'csv-syntax': { severity: 'error', summary: 'unclosed quote, quote inside an unquoted field, text after a closing quote' },
  'column-count': { severity: 'error', summary: 'a row with more or fewer cells than the header' },
  'duplicate-row': { severity: 'warning', summary: 'a data row identical to an earlier one' },
  'blank-row': { severity: 'warning', summary: 'an empty line, or a row whose cells are all empty (or only spaces)' },
  'line-endings': { severity: 'warning', summary: 'CRLF and LF mixed in one file' },
  'missing-column': { severity: 'error', summary: 'a required column is absent from the header' },
  'unknown-column': { severity: 'warning', summary: 'a header name that is no known column' },
  'duplicate-column': { severity: 'error', summary: 'the same header name twice' },
  'blank-column-name': { severity: 'error', summary: 'an empty header cell' },
  'required-value': { severity: 'error', summary: 'an empty workflowDefinitionKey or customerInternalReference' },
  'workflow-key': { severity: 'error', summary: 'workflowDefinitionKey is not a positive integer' },
  'forbidden-character': { severity: 'error', summary: 'customerInternalReference contains one of <>"/;`%{}|' },
  'reference-too-long': { severity: 'error', summary: 'customerInternalReference longer than 100 characters' },
  'pii-in-reference': { severity: 'warning', summary: 'customerInternalReference looks like personal data' },
  'image-missing': { severity: 'error', summary: 'a referenced image does not exist' },
  'image-outside-batch': { severity: 'error', summary: 'an image path that is absolute, contains .., or leads outside the batch folder' },
  'image-case-mismatch': { severity: 'error', summary: 'the image exists only under another letter case' },
  'image-name-unicode': { severity: 'error', summary: 'the image exists only under another Unicode form of its name (NFD/NFC)' },
  'image-format': { severity: 'warning', summary: 'the file is not a JPEG or PNG by its first bytes, or is empty' },
  'image-too-large': { severity: 'warning', summary: 'an image larger than 10 MB' },
  'image-dimensions': { severity: 'warning', summary: 'an image wider or higher than 8,000 pixels' },
  'image-corrupt': { severity: 'warning', summary: 'a PNG or JPEG whose data ends early (no IEND chunk, no end-of-image marker)' },
  'image-reused': { severity: 'warning', summary: 'one image file referenced twice (two rows, or two columns of one row)' },
  'image-unreferenced': { severity: 'info', summary: 'an image in the batch folder that no row references' },
  'image-reserved-name': { severity: 'error', summary: 'an image reference named DONE or input.csv (any letter case) at the top of the batch' },
  'consent-incomplete': { severity: 'warning', summary: 'some but not all userConsent* cells of a row are filled' },
  'ip-address': { severity: 'error', summary: 'userConsentUserIp is no valid IPv4/IPv6 address' },
  'country-code': { severity: 'error', summary: 'not an ISO 3166-1 country code of the kind the column needs' },
  'consent-value': { severity: 'error', summary: 'userConsentConsentObtained is none of yes/no/na' },
  'timestamp': { severity: 'error', summary: 'userConsentConsentObtainedAt is not a UTC instant YYYY-MM-DDThh:mm:ss.SSSZ (warning when in the future)' },
  'date-of-birth': { severity: 'error', summary: 'preparedData.dateOfBirth is not a real YYYY-MM-DD date in the past' },
  'phone-number': { severity: 'warning', summary: 'preparedData.phoneNumber is not 7-15 digits with an optional leading +' },
  'email': { severity: 'error', summary: 'preparedData.email is not an e-mail address' },
  'excel-damage': { severity: 'warning', summary: 'what spreadsheet saving does: scientific notation, rewritten dates, lost ZIP zeros, formula prefixes' },
  'whitespace': { severity: 'warning', summary: 'leading or trailing spaces in a cell' },
} as const satisfies Record<string, { severity: Severity; summary: string }>;

export type RuleCode = keyof typeof RULES;

export const RULE_CODES = Object.keys(RULES) as RuleCode[];

