/** Quote for a POSIX shell only when needed, so the common case stays copy-paste friendly. */
export function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : singleQuote(s);
}

export function singleQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
