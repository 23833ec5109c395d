// Commands the tools print for the user to paste (ssh-keygen -R, a resume command, an upload to
// the sandbox) must survive a POSIX shell whatever the path or host name holds.

/** Characters no POSIX shell gives a meaning to, so a word made only of them needs no quotes. */
const PLAIN_WORD = /^[\w@%+=:,./-]+$/;

/**
 * `s` in single quotes, for a POSIX shell: inside them every character is literal (`$`, spaces,
 * newlines), and a single quote itself is closed, escaped and reopened: `'\''`.
 */
export function singleQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** `s` as one POSIX shell word, quoted only when it needs it, so the common case stays readable. */
export function shellQuote(s: string): string {
  return PLAIN_WORD.test(s) ? s : singleQuote(s);
}
