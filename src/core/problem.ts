import { RULES, RuleCode, Severity } from './rules';

/** A 0-based position; `character` counts UTF-16 code units, as editors do. */
export interface Position {
  line: number;
  character: number;
}

/** A 0-based range, end exclusive. */
export interface Range {
  start: Position;
  end: Position;
}

/** One thing wrong with a batch. Its identity is its `code`; `message` is for people. */
export interface Problem {
  code: RuleCode;
  severity: Severity;
  range: Range;
  message: string;
  /** Where the linter knows the exact text that should replace `range` (quick fixes use it). */
  replacement?: string;
}

export function problem(code: RuleCode, range: Range, message: string, extra?: { severity?: Severity; replacement?: string }): Problem {
  const p: Problem = { code, severity: extra?.severity ?? RULES[code].severity, range, message };
  if (extra?.replacement !== undefined) p.replacement = extra.replacement;
  return p;
}

export function pointRange(line: number, character: number): Range {
  return { start: { line, character }, end: { line, character } };
}

function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

/** Orders problems by where they start, then by code, so every output is stable. */
export function sortProblems(problems: Problem[]): Problem[] {
  return problems.sort((a, b) => comparePositions(a.range.start, b.range.start) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}
