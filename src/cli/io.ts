import * as path from 'node:path';

/** What a command may touch of the process: streams and environment (tests pass their own). */
export interface Io {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown; isTTY?: boolean };
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?(on: boolean): unknown };
  env: NodeJS.ProcessEnv;
}

/** Wrong arguments: exit status 2 with a one-line message. */
export class UsageError extends Error {}

export function positiveNumber(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} needs a positive number, got "${value}"`);
  return n;
}

/** A path as the user best recognises it: relative to the working folder when inside it. */
export function shownPath(p: string, cwd = process.cwd()): string {
  const rel = path.relative(cwd, p);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
}
