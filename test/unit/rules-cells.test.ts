import * as assert from 'node:assert/strict';
import { Problem } from '../../src/core';
import { SEED_HEADER, SEED_IMAGES, SEED_ROW_1, lint, where, withCode, seedRow } from '../helpers/lint';

// Rules on the values of data rows. Every case is SEED_ROW_1 with one cell replaced, so that
// the rule under test is the only one that can fire.

const COLUMNS = SEED_HEADER.split(',');
const ROW_1_IMAGES = SEED_IMAGES.filter((f) => f.startsWith('0_'));


/** Lints the seed header and one changed seed row, in a folder with that row's images. */
function lintRow(changes: Record<string, string>) {
  return lint(`${SEED_HEADER}\n${seedRow(changes)}\n`, { files: ROW_1_IMAGES });
}

/** The character each cell of SEED_ROW_1 starts at, counted by hand. */
const START: Record<string, number> = {
  workflowDefinitionKey: 0,
  customerInternalReference: 6,
  backImage: 21,
  frontImage: 45,
  faceImage: 70,
  userConsentUserIp: 94,
  userConsentUserLocationCountry: 109,
  userConsentUserLocationState: 113,
  userConsentConsentObtained: 116,
  userConsentConsentObtainedAt: 120,
  'preparedData.firstName': 145,
  'preparedData.lastName': 150,
  'preparedData.phoneNumber': 156,
  'preparedData.email': 168,
  'preparedData.address.line1': 185,
  'preparedData.address.postalCode': 205,
  'preparedData.address.city': 211,
  'preparedData.address.subdivision': 220,
  'preparedData.address.country': 223,
};

/** `code@1:s-1:e` for a cell of row 1 (line 1) that now holds `text` (as written, quotes included). */
function cell(code: string, column: string, text: string, line = 1): string {
  const start = START[column];
  return `${code}@${line}:${start}-${line}:${start + text.length}`;
}

/** The text with one problem's replacement applied, as a quick fix would. */
function applyFix(text: string, p: Problem): string {
  const lineStarts = [0];
  for (const m of text.matchAll(/\r\n|\n|\r/g)) lineStarts.push((m.index as number) + m[0].length);
  const offset = (pos: { line: number; character: number }): number => lineStarts[pos.line] + pos.character;
  assert.ok(p.replacement !== undefined, `${p.code} has no replacement`);
  return text.slice(0, offset(p.range.start)) + p.replacement + text.slice(offset(p.range.end));
}

describe('the hand-counted cell starts', () => {
  it('fit the seed row', () => {
    const cells = SEED_ROW_1.split(',');
    COLUMNS.forEach((name, i) => assert.equal(SEED_ROW_1.slice(START[name], START[name] + cells[i].length + 1), cells[i] + (i < cells.length - 1 ? ',' : ''), name));
  });
});

describe('required-value', () => {
  it('reports an empty workflowDefinitionKey at its empty cell', () => {
    assert.deepEqual(where(lintRow({ workflowDefinitionKey: '' }).problems), ['required-value@1:0-1:0']);
  });

  it('reports an empty customerInternalReference at its empty cell', () => {
    assert.deepEqual(where(lintRow({ customerInternalReference: '' }).problems), ['required-value@1:6-1:6']);
  });

  it('reports a reference of only spaces, whose whitespace fix empties it', () => {
    const result = lintRow({ customerInternalReference: '  ' });
    assert.deepEqual(where(result.problems), ['required-value@1:6-1:8', 'whitespace@1:6-1:8']);
    assert.equal(withCode(result.problems, 'whitespace')[0].replacement, '');
  });

  it('does not report an empty optional cell, nor a key that is present but wrong', () => {
    assert.deepEqual(lintRow({ 'preparedData.address.subdivision': '' }).problems, []);
    assert.deepEqual(withCode(lintRow({ workflowDefinitionKey: '0' }).problems, 'required-value'), []);
  });
});

describe('workflow-key', () => {
  for (const key of ['0', '-1', '007', '10015.0', 'abc']) {
    it(`reports "${key}" at the workflowDefinitionKey cell`, () => {
      const result = lintRow({ workflowDefinitionKey: key });
      assert.deepEqual(where(result.problems), [cell('workflow-key', 'workflowDefinitionKey', key)]);
      assert.equal(result.problems[0].severity, 'error');
    });
  }

  it('does not report positive integers, nor a key padded with spaces (whitespace says that)', () => {
    for (const key of ['1', '10015', '2147483648']) assert.deepEqual(lintRow({ workflowDefinitionKey: key }).problems, [], key);
    assert.deepEqual(where(lintRow({ workflowDefinitionKey: ' 10015' }).problems), ['whitespace@1:0-1:6']);
  });
});

describe('forbidden-character', () => {
  it('reports forbidden-character at the character, with a fix that removes it', () => {
    const result = lintRow({ customerInternalReference: 'my/org' });
    // "10015," is 6 characters; "/" is the value's third: 6 + 2 = 8.
    assert.deepEqual(where(result.problems), ['forbidden-character@1:8-1:9']);
    assert.equal(result.problems[0].replacement, '');
  });

  for (const ch of '<>/;`%{}|') {
    it(`reports "${ch}" at its character`, () => {
      assert.deepEqual(where(lintRow({ customerInternalReference: `a${ch}b` }).problems), ['forbidden-character@1:7-1:8']);
    });
  }

  it('offers no removal when nothing but forbidden characters (and spaces) would go: that is an empty reference', () => {
    const result = lintRow({ customerInternalReference: '/ %' });
    assert.deepEqual(where(result.problems), ['forbidden-character@1:6-1:7', 'forbidden-character@1:8-1:9']);
    assert.deepEqual(result.problems.map((p) => p.replacement), [undefined, undefined]);
  });

  it('reports each forbidden character of one reference', () => {
    assert.deepEqual(where(lintRow({ customerInternalReference: 'a<b>c' }).problems), ['forbidden-character@1:7-1:8', 'forbidden-character@1:9-1:10']);
  });

  it('points into a quoted cell past its opening quote and an escaped comma', () => {
    // `"a,b;c"` starts at 6; the value starts at 7 and ";" is its fourth character: 7 + 3 = 10.
    assert.deepEqual(where(lintRow({ customerInternalReference: '"a,b;c"' }).problems), ['forbidden-character@1:10-1:11']);
  });

  it('covers both quotes of a doubled "" so that its fix leaves valid CSV', () => {
    const text = `${SEED_HEADER}\n${seedRow({ customerInternalReference: '"my""org"' })}\n`;
    const result = lint(text, { files: ROW_1_IMAGES });
    // `"my""org"` starts at 6: the value's `"` is written `""` at 9 and 10.
    assert.deepEqual(where(result.problems), ['forbidden-character@1:9-1:11']);
    const fixed = applyFix(text, result.problems[0]);
    assert.equal(fixed, `${SEED_HEADER}\n${seedRow({ customerInternalReference: '"myorg"' })}\n`);
    assert.deepEqual(lint(fixed, { files: ROW_1_IMAGES }).problems, []);
  });

  it('does not report other punctuation', () => {
    assert.deepEqual(lintRow({ customerInternalReference: 'my-org_1.2:x\\y&z(a)[b]#c' }).problems, []);
  });
});

describe('reference-too-long', () => {
  it('reports a 101-character reference at its cell', () => {
    const reference = 'r'.repeat(101);
    assert.deepEqual(where(lintRow({ customerInternalReference: reference }).problems), ['reference-too-long@1:6-1:107']);
  });

  it('does not report a 100-character reference', () => {
    assert.deepEqual(lintRow({ customerInternalReference: 'r'.repeat(100) }).problems, []);
  });
});

describe('pii-in-reference', () => {
  const cases: [string, string, Record<string, string>][] = [
    ['an e-mail address', 'jane.roe@example.com', {}],
    ['a phone number', '(503) 123-4567', {}],
    ['a long run of digits', 'id123456789', {}],
    ["this row's name", 'john.smith', {}],
    ["this row's first name", 'John', {}],
    ["this row's phone number", '5031234', { 'preparedData.phoneNumber': '5031234' }],
  ];
  for (const [what, reference, more] of cases) {
    it(`reports ${what} at the reference cell, without echoing it`, () => {
      const result = lintRow({ customerInternalReference: reference, ...more });
      assert.deepEqual(where(result.problems), [cell('pii-in-reference', 'customerInternalReference', reference)]);
      assert.equal(result.problems[0].severity, 'warning');
      assert.ok(!result.problems[0].message.includes(reference), result.problems[0].message);
    });
  }

  it('does not report ids that only contain digits, dates or part of a name', () => {
    for (const reference of ['myOrganization', 'order-2024-0001', '2022-07-20', '12345678', 'Johnson-42', 'Smithy']) {
      assert.deepEqual(lintRow({ customerInternalReference: reference }).problems, [], reference);
    }
  });
});

describe('consent-incomplete', () => {
  it('reports a row with one consent cell empty, at that empty cell', () => {
    const result = lintRow({ userConsentUserIp: '' });
    assert.deepEqual(where(result.problems), ['consent-incomplete@1:94-1:94']);
    assert.equal(result.problems[0].severity, 'warning');
  });

  it('reports a row with only the state filled, at the first empty consent cell', () => {
    const result = lintRow({ userConsentUserIp: '', userConsentUserLocationCountry: '', userConsentConsentObtained: '', userConsentConsentObtainedAt: '' });
    assert.deepEqual(where(result.problems), ['consent-incomplete@1:94-1:94']);
  });

  it('does not report a row with all five consent cells empty', () => {
    const none = { userConsentUserIp: '', userConsentUserLocationCountry: '', userConsentUserLocationState: '', userConsentConsentObtained: '', userConsentConsentObtainedAt: '' };
    assert.deepEqual(lintRow(none).problems, []);
  });
});

describe('ip-address', () => {
  it('reports 1.2.3.256 at the userConsentUserIp cell', () => {
    assert.deepEqual(where(lintRow({ userConsentUserIp: '1.2.3.256' }).problems), ['ip-address@1:94-1:103']);
  });

  for (const ip of ['1.2.3', '1.2.3.4.5', '01.2.3.4', '1::2::3', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7::8', '::ffff:1.2.3.256', '12345::1', 'localhost']) {
    it(`reports "${ip}"`, () => {
      assert.deepEqual(where(lintRow({ userConsentUserIp: ip }).problems), [cell('ip-address', 'userConsentUserIp', ip)]);
    });
  }

  it('does not report valid IPv4 and IPv6 addresses', () => {
    for (const ip of ['203.0.113.7', '0.0.0.0', '255.255.255.255', '2001:db8::1', '2001:DB8::A', '::1', '::ffff:1.2.3.4', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:1.2.3.4', 'fe80::']) {
      assert.deepEqual(lintRow({ userConsentUserIp: ip }).problems, [], ip);
    }
  });
});

describe('country-code', () => {
  it('reports alpha-2 PL in userConsentUserLocationCountry, with the alpha-3 code as fix', () => {
    const result = lintRow({ userConsentUserLocationCountry: 'PL' });
    assert.deepEqual(where(result.problems), ['country-code@1:109-1:111']);
    assert.equal(result.problems[0].replacement, 'POL');
  });

  it('reports a lower-case code with its capitals as fix', () => {
    const consent = lintRow({ userConsentUserLocationCountry: 'usa' });
    assert.deepEqual(where(consent.problems), ['country-code@1:109-1:112']);
    assert.equal(consent.problems[0].replacement, 'USA');
    const address = lintRow({ 'preparedData.address.country': 'pl' });
    assert.deepEqual(where(address.problems), ['country-code@1:223-1:225']);
    assert.equal(address.problems[0].replacement, 'PL');
  });

  it('reports codes that are no ISO 3166-1 code, without a fix', () => {
    for (const [column, code] of [['userConsentUserLocationCountry', 'XXX'], ['userConsentUserLocationCountry', 'Poland'], ['preparedData.address.country', 'XX'], ['preparedData.address.country', 'XK']]) {
      const result = lintRow({ [column]: code });
      assert.deepEqual(where(result.problems), [cell('country-code', column, code)], code);
      assert.equal(result.problems[0].replacement, undefined);
    }
  });

  it('does not report PL or POL in preparedData.address.country, nor POL in userConsentUserLocationCountry', () => {
    assert.deepEqual(lintRow({ 'preparedData.address.country': 'PL' }).problems, []);
    assert.deepEqual(lintRow({ 'preparedData.address.country': 'POL' }).problems, []);
    assert.deepEqual(lintRow({ userConsentUserLocationCountry: 'POL' }).problems, []);
  });
});

describe('consent-value', () => {
  it('reports "Yes" at the cell, with lower case as fix', () => {
    const result = lintRow({ userConsentConsentObtained: 'Yes' });
    assert.deepEqual(where(result.problems), ['consent-value@1:116-1:119']);
    assert.equal(result.problems[0].replacement, 'yes');
    assert.equal(lintRow({ userConsentConsentObtained: 'NA' }).problems[0].replacement, 'na');
  });

  it('reports a value that is none of yes/no/na, without a fix', () => {
    const result = lintRow({ userConsentConsentObtained: 'true' });
    assert.deepEqual(where(result.problems), ['consent-value@1:116-1:120']);
    assert.equal(result.problems[0].replacement, undefined);
  });

  it('does not report yes, no or na', () => {
    for (const v of ['yes', 'no', 'na']) assert.deepEqual(lintRow({ userConsentConsentObtained: v }).problems, [], v);
  });
});

describe('timestamp', () => {
  it('reports an explicit offset, with the canonical UTC instant as fix', () => {
    const value = '2022-07-20T19:20:35+02:00';
    const result = lintRow({ userConsentConsentObtainedAt: value });
    assert.deepEqual(where(result.problems), ['timestamp@1:120-1:145']);
    assert.equal(result.problems[0].severity, 'error');
    assert.equal(result.problems[0].replacement, '2022-07-20T17:20:35.000Z');
  });

  it('offers the canonical form for other unambiguous spellings', () => {
    const fixes: [string, string][] = [
      ['2022-07-20T19:20:35+0200', '2022-07-20T17:20:35.000Z'],
      ['2022-07-20 17:20:35Z', '2022-07-20T17:20:35.000Z'],
      ['2022-07-20t17:20:35.000z', '2022-07-20T17:20:35.000Z'],
      ['2022-07-20T17:20:35.5Z', '2022-07-20T17:20:35.500Z'],
      ['2022-07-20T12:20:35-05:00', '2022-07-20T17:20:35.000Z'],
    ];
    for (const [value, fix] of fixes) {
      const result = lintRow({ userConsentConsentObtainedAt: value });
      assert.deepEqual(where(result.problems), [cell('timestamp', 'userConsentConsentObtainedAt', value)], value);
      assert.equal(result.problems[0].replacement, fix, value);
    }
  });

  it('reports times without a zone, impossible dates and impossible offsets without a fix', () => {
    for (const value of ['2022-07-20T17:20:35', '2022-02-30T00:00:00.000Z', '2022-07-20T24:00:00Z', '2022-07-20T23:59:60Z', '2022-07-20T17:20:35+25:00', '2022-07-20T17:20:35+02:60']) {
      const result = lintRow({ userConsentConsentObtainedAt: value });
      assert.deepEqual(where(result.problems), [cell('timestamp', 'userConsentConsentObtainedAt', value)], value);
      assert.equal(result.problems[0].replacement, undefined, value);
    }
  });

  it('warns about an instant in the future', () => {
    const result = lintRow({ userConsentConsentObtainedAt: '2026-01-01T00:00:00.001Z' });
    assert.deepEqual(where(result.problems), ['timestamp@1:120-1:144']);
    assert.equal(result.problems[0].severity, 'warning');
  });

  it('does not report UTC instants with or without milliseconds, up to now', () => {
    for (const value of ['2022-07-20T17:20:35Z', '2022-07-20T17:20:35.000Z', '2024-02-29T23:59:59.999Z', '2026-01-01T00:00:00.000Z']) {
      assert.deepEqual(lintRow({ userConsentConsentObtainedAt: value }).problems, [], value);
    }
  });
});

describe('date-of-birth', () => {
  // The seed has no dateOfBirth column: it is added last, after the row's 226 characters and a comma.
  const lintBirth = (value: string) => lint(`${SEED_HEADER},preparedData.dateOfBirth\n${SEED_ROW_1},${value}\n`, { files: ROW_1_IMAGES });

  it('reports 1990-02-30 at the dateOfBirth cell', () => {
    const result = lintBirth('1990-02-30');
    assert.deepEqual(where(result.problems), ['date-of-birth@1:227-1:237']);
    assert.equal(result.problems[0].severity, 'error');
  });

  it('reports dates that do not exist or are not written YYYY-MM-DD', () => {
    for (const value of ['1900-02-29', '1990-13-01', '1990-04-31', '1990-2-3', '23.04.1990', '1990-04-23T00:00:00Z']) {
      assert.deepEqual(where(lintBirth(value).problems), [`date-of-birth@1:227-1:${227 + value.length}`], value);
    }
  });

  it('reports today and dates in the future', () => {
    for (const value of ['2026-01-01', '2030-06-15']) assert.deepEqual(where(lintBirth(value).problems), ['date-of-birth@1:227-1:237'], value);
  });

  it('does not report real past dates such as 1990-02-28 and 2000-02-29', () => {
    for (const value of ['1990-02-28', '2000-02-29', '2025-12-31']) assert.deepEqual(lintBirth(value).problems, [], value);
  });
});

describe('phone-number', () => {
  it('warns about 6 digits at the phone cell, without a fix', () => {
    const result = lintRow({ 'preparedData.phoneNumber': '123456' });
    assert.deepEqual(where(result.problems), ['phone-number@1:156-1:162']);
    assert.equal(result.problems[0].severity, 'warning');
    assert.equal(result.problems[0].replacement, undefined);
  });

  it('warns about 16 digits', () => {
    assert.deepEqual(where(lintRow({ 'preparedData.phoneNumber': '1234567890123456' }).problems), ['phone-number@1:156-1:172']);
  });

  it('offers the number without spaces, dashes and brackets as fix', () => {
    const result = lintRow({ 'preparedData.phoneNumber': '+1 (503) 123-4567' });
    assert.deepEqual(where(result.problems), ['phone-number@1:156-1:173']);
    assert.equal(result.problems[0].replacement, '+15031234567');
  });

  it('does not report 7 to 15 digits with an optional +', () => {
    for (const phone of ['1234567', '123456789012345', '+15031234567', '15031234567']) assert.deepEqual(lintRow({ 'preparedData.phoneNumber': phone }).problems, [], phone);
  });
});

describe('email', () => {
  it('reports an address without a dotted domain at the email cell', () => {
    const result = lintRow({ 'preparedData.email': 'email1@gmail' });
    assert.deepEqual(where(result.problems), ['email@1:168-1:180']);
    assert.equal(result.problems[0].severity, 'error');
  });

  for (const email of ['john smith@example.com', 'john@@example.com', 'john.example.com', 'john@example..com', 'john@-example.com']) {
    it(`reports "${email}"`, () => {
      assert.deepEqual(where(lintRow({ 'preparedData.email': email }).problems), [cell('email', 'preparedData.email', email)]);
    });
  }

  it('does not report valid addresses', () => {
    for (const email of ['a@b.co', "o'brien+tag@mail.example.co.uk", 'JOHN@EXAMPLE.COM']) assert.deepEqual(lintRow({ 'preparedData.email': email }).problems, [], email);
  });
});

describe('excel-damage', () => {
  it('warns about a phone number in scientific notation (and the phone rule too)', () => {
    assert.deepEqual(where(lintRow({ 'preparedData.phoneNumber': '1.50312E+10' }).problems), ['excel-damage@1:156-1:167', 'phone-number@1:156-1:167']);
  });

  it('warns about a rewritten date (and the timestamp rule too)', () => {
    const result = lintRow({ userConsentConsentObtainedAt: '7/20/2022 17:20' });
    assert.deepEqual(where(result.problems), ['excel-damage@1:120-1:135', 'timestamp@1:120-1:135']);
  });

  it('warns about a US ZIP code that lost its leading zero, with the padded code as fix', () => {
    const short = lintRow({ 'preparedData.address.postalCode': '2134' });
    assert.deepEqual(where(short.problems), ['excel-damage@1:205-1:209']);
    assert.equal(short.problems[0].replacement, '02134');
    const plus4 = lintRow({ 'preparedData.address.postalCode': '2134-1234', 'preparedData.address.country': 'US' });
    assert.deepEqual(where(plus4.problems), ['excel-damage@1:205-1:214']);
    assert.equal(plus4.problems[0].replacement, '02134-1234');
  });

  it('warns about a formula prefix in a name, address, city or reference cell', () => {
    const cases: [string, string][] = [
      ['preparedData.address.city', '=cmd'], ['preparedData.lastName', '@Smith'], ['preparedData.firstName', '-John'],
      ['customerInternalReference', '+abc'], ['preparedData.address.line1', '=HYPERLINK(1)'],
    ];
    for (const [column, value] of cases) assert.deepEqual(where(lintRow({ [column]: value }).problems), [cell('excel-damage', column, value)], column);
  });

  it('does not warn about short postal codes outside the US, a + in the phone column, or inner hyphens', () => {
    assert.deepEqual(lintRow({ 'preparedData.address.postalCode': '2134', 'preparedData.address.country': 'AUT' }).problems, []);
    assert.deepEqual(lintRow({ 'preparedData.address.postalCode': '02134' }).problems, []);
    assert.deepEqual(lintRow({ 'preparedData.phoneNumber': '+15031234567' }).problems, []);
    assert.deepEqual(lintRow({ 'preparedData.lastName': 'Smith-Jones' }).problems, []);
  });
});

describe('whitespace', () => {
  it('warns about a leading space at the cell, with the trimmed value as fix', () => {
    const result = lintRow({ 'preparedData.address.city': ' Any Town' });
    assert.deepEqual(where(result.problems), ['whitespace@1:211-1:220']);
    assert.equal(result.problems[0].severity, 'warning');
    assert.equal(result.problems[0].replacement, 'Any Town');
  });

  it('warns about a trailing tab or no-break space', () => {
    for (const value of ['Any Town\t', 'Any Town\u00a0']) {
      const result = lintRow({ 'preparedData.address.city': value });
      assert.deepEqual(where(result.problems), ['whitespace@1:211-1:220']);
      assert.equal(result.problems[0].replacement, 'Any Town');
    }
  });

  it('offers an empty cell for a cell of only spaces', () => {
    const result = lintRow({ 'preparedData.address.subdivision': '   ' });
    assert.deepEqual(where(result.problems), ['whitespace@1:220-1:223']);
    assert.equal(result.problems[0].replacement, '');
  });

  it('keeps the quotes in the fix of a quoted value that needs them', () => {
    const text = `${SEED_HEADER}\n${seedRow({ 'preparedData.address.city': '" Any Town, OR"' })}\n`;
    const result = lint(text, { files: ROW_1_IMAGES });
    assert.deepEqual(where(result.problems), ['whitespace@1:211-1:226']);
    assert.equal(result.problems[0].replacement, '"Any Town, OR"');
    assert.deepEqual(lint(applyFix(text, result.problems[0]), { files: ROW_1_IMAGES }).problems, []);
  });

  it('keeps the quotes in the fix of a value spanning lines', () => {
    const text = `${SEED_HEADER}\n${seedRow({ 'preparedData.address.city': '"Any\nTown "' })}\n`;
    const result = lint(text, { files: ROW_1_IMAGES });
    assert.deepEqual(where(result.problems), ['whitespace@1:211-2:6']);
    assert.equal(result.problems[0].replacement, '"Any\nTown"');
    assert.deepEqual(lint(applyFix(text, result.problems[0]), { files: ROW_1_IMAGES }).problems, []);
  });

  it('does not warn about inner spaces or a quoted value without outer spaces', () => {
    assert.deepEqual(lintRow({ 'preparedData.address.city': 'Any  Town' }).problems, []);
    assert.deepEqual(lintRow({ 'preparedData.address.city': '"Any Town"' }).problems, []);
  });
});
