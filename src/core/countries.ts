import codes from 'i18n-iso-countries/codes.json';

// codes.json rows are [alpha-2, alpha-3, numeric, subdivision standard]. Kosovo's XK/XKK is a
// user-assigned code, not part of ISO 3166-1, and is left out on purpose.
const ROWS = (codes as string[][]).filter(([a2]) => a2 !== 'XK');

const ALPHA2_TO_3 = new Map(ROWS.map(([a2, a3]) => [a2, a3]));
const ALPHA3 = new Set(ROWS.map(([, a3]) => a3));

export function isAlpha2(code: string): boolean {
  return ALPHA2_TO_3.has(code);
}

export function isAlpha3(code: string): boolean {
  return ALPHA3.has(code);
}

/** The ISO 3166-1 alpha-3 code for an alpha-2 code, if there is one. */
export function alpha3Of(alpha2: string): string | undefined {
  return ALPHA2_TO_3.get(alpha2);
}
