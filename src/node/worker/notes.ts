// Notes for the log about a part of a lint that failed: what failed and the error's code, never
// a file name or a cell value (a log is pasted into bug reports; paths name people and clients).

/** An error's code (`EACCES`), or its kind when it has none (`FolderTooLargeError`). */
export function errorCode(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string' && code !== '') return code;
  return e instanceof Error ? e.name : typeof e;
}

/** Counts failures by their error code, for one note about many files. */
export class FailureTally {
  private readonly byCode = new Map<string, number>();
  private total = 0;

  add(e: unknown): void {
    const code = errorCode(e);
    this.byCode.set(code, (this.byCode.get(code) ?? 0) + 1);
    this.total++;
  }

  /** `3 images could not be read (EACCES: 2, EIO: 1)`, or undefined when nothing failed. */
  note(one: string, many: string, what: string): string | undefined {
    if (this.total === 0) return undefined;
    const codes = [...this.byCode].map(([code, n]) => (this.byCode.size === 1 ? code : `${code}: ${n}`)).join(', ');
    return `${this.total.toLocaleString('en-US')} ${this.total === 1 ? one : many} ${what} (${codes})`;
  }
}
