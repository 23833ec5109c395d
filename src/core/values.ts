/** Validators for single cell values. Each is pure and answers for a trimmed, non-empty value. */

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/;

export function isIPv4(s: string): boolean {
  return IPV4.test(s);
}

export function isIPv6(s: string): boolean {
  const halves = s.split('::');
  if (halves.length > 2) return false;
  const groupsOf = (p: string): string[] => (p === '' ? [] : p.split(':'));
  const head = groupsOf(halves[0]);
  const tail = halves.length === 2 ? groupsOf(halves[1]) : [];
  const last = halves.length === 2 ? tail : head;
  let count = head.length + tail.length;
  if (last.length && last[last.length - 1].includes('.')) {
    if (!isIPv4(last.pop() as string)) return false;
    count += 1; // an embedded IPv4 address takes two groups
  }
  if (![...head, ...tail].every((g) => HEX_GROUP.test(g))) return false;
  return halves.length === 2 ? count <= 7 : count === 8;
}

export function isIpAddress(s: string): boolean {
  return isIPv4(s) || isIPv6(s);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
}

function isRealDate(y: number, m: number, d: number): boolean {
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

const UTC_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{3})?Z$/;

/** Epoch milliseconds of a valid `YYYY-MM-DDThh:mm:ss(.SSS)Z` instant, or undefined. */
export function parseUtcInstant(s: string): number | undefined {
  const m = UTC_INSTANT.exec(s);
  if (!m) return undefined;
  const [y, mo, d, h, mi, sec] = m.slice(1, 7).map(Number);
  if (!isRealDate(y, mo, d) || h > 23 || mi > 59 || sec > 59) return undefined;
  return Date.UTC(y, mo - 1, d, h, mi, sec, m[7] ? Number(m[7].slice(1)) : 0);
}

const ZONED = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?\s*([Zz]|[+-]\d{2}:?\d{2})$/;

/**
 * The canonical `YYYY-MM-DDThh:mm:ss.SSSZ` form of a timestamp that names its instant without
 * doubt (an explicit `Z` or UTC offset), or undefined when the instant is ambiguous or invalid.
 */
export function canonicalTimestamp(s: string): string | undefined {
  const m = ZONED.exec(s);
  if (!m) return undefined;
  const [y, mo, d, h, mi] = m.slice(1, 6).map(Number);
  const sec = m[6] ? Number(m[6]) : 0;
  if (!isRealDate(y, mo, d) || h > 23 || mi > 59 || sec > 59) return undefined;
  const ms = m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0;
  let offsetMinutes = 0;
  if (m[8] !== 'Z' && m[8] !== 'z') {
    const digits = m[8].replace(':', '');
    const [oh, om] = [Number(digits.slice(1, 3)), Number(digits.slice(3, 5))];
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = (digits[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  return new Date(Date.UTC(y, mo - 1, d, h, mi, sec, ms) - offsetMinutes * 60_000).toISOString();
}

/** The UTC calendar day of an instant as `YYYY-MM-DD`. */
export function utcDay(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isRealIsoDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  return !!m && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

export const PHONE = /^\+?\d{7,15}$/;

// The WHATWG HTML e-mail grammar, plus a dot in the domain (Jumio wants a routable address).
const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

export function isEmail(s: string): boolean {
  return EMAIL.test(s);
}

export const CONSENT_VALUES = ['yes', 'no', 'na'] as const;

export const WORKFLOW_KEY = /^[1-9]\d*$/;

/** The characters Jumio forbids in customerInternalReference. */
export const FORBIDDEN_REFERENCE_CHARACTERS = '<>"/;`%{}|';

export const MAX_REFERENCE_LENGTH = 100;

// Matches exactly what /[^\s@]+@[^\s@]+\.[^\s@]+/ matches, but without the leading and trailing
// `+`, which made a long reference with an @ backtrack quadratically (minutes for 1 MB).
const EMAIL_LIKE = /[^\s@]@[^\s@]+\.[^\s@]/;
const PHONE_LIKE = /^\+?[\d\s().-]+$/;
const NAME_SEPARATORS = [' ', '.', '_', '-', ''];

/**
 * Why a reference looks like personal data, or undefined. Never echoes the value. Runs once per
 * row, so it does the cheap tests first and allocates only when a test is close to firing.
 */
export function piiLikeness(reference: string, sameRow: { firstName?: string; lastName?: string; email?: string; phone?: string }): string | undefined {
  const r = reference.trim();
  if (r.includes('@') && EMAIL_LIKE.test(r)) return 'it looks like an e-mail address';
  let digits = 0;
  let run = 0;
  let longestRun = 0;
  for (let i = 0; i < r.length; i++) {
    const c = r.charCodeAt(i);
    if (c >= 48 && c <= 57) { digits++; run++; if (run > longestRun) longestRun = run; } else run = 0;
  }
  if (digits >= 7 && digits <= 15 && digits < r.length && PHONE_LIKE.test(r) && !ISO_DATE.test(r)) return 'it looks like a phone number';
  if (longestRun >= 9) return 'it holds a long run of digits (a phone, ID or card number?)';
  const lower = r.toLowerCase();
  if (sameRow.email && lower === sameRow.email.trim().toLowerCase()) return "it equals this row's e-mail";
  if (sameRow.phone && digits >= 7 && digits === r.length && r === sameRow.phone.replace(/\D/g, '')) return "it equals this row's phone number";
  const first = sameRow.firstName?.trim().toLowerCase() ?? '';
  const last = sameRow.lastName?.trim().toLowerCase() ?? '';
  if ((first.length > 1 && lower === first) || (last.length > 1 && lower === last)) return "it equals this row's name";
  if (first && last && lower.startsWith(first) && lower.endsWith(last)) {
    for (const sep of NAME_SEPARATORS) if (lower === first + sep + last) return "it equals this row's name";
  }
  return undefined;
}

/** What spreadsheets do to cells: long numbers in scientific notation, dates in local form. */
export const EXCEL_SCIENTIFIC = /^[+-]?\d+(\.\d+)?E[+-]?\d+$/i;
export const EXCEL_DATE = /^\d{1,2}\/\d{1,2}\/\d{2,4}( \d{1,2}:\d{2}(:\d{2})?( ?[AP]M)?)?$/i;
export const FORMULA_PREFIX = /^[=+\-@]/;
