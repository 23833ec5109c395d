import { Problem, ProblemCounts, Severity } from '../core';
import { BatchLint } from '../node/batch/lintPath';

/** A problem as the CLI shows it: 1-based lines and columns, end exclusive. */
export interface JsonProblem {
  code: string;
  severity: Severity;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
}

export function toJsonProblem(p: Problem): JsonProblem {
  return {
    code: p.code,
    severity: p.severity,
    line: p.range.start.line + 1,
    column: p.range.start.character + 1,
    endLine: p.range.end.line + 1,
    endColumn: p.range.end.character + 1,
    message: p.message,
  };
}

/** Every problem found, shown or not (a file shows at most `maxProblems`). */
export function totals(results: BatchLint[]): ProblemCounts {
  const t = { errors: 0, warnings: 0, infos: 0 };
  for (const { counts } of results) {
    t.errors += counts.errors;
    t.warnings += counts.warnings;
    t.infos += counts.infos;
  }
  return t;
}

export function formatJson(results: BatchLint[]): string {
  return JSON.stringify({
    files: results.map((r) => ({ path: r.csvPath, rows: r.rows, problems: r.problems.map(toJsonProblem) })),
    ...totals(results),
  });
}

const COLORS: Record<Severity, string> = { error: '\x1b[31m', warning: '\x1b[33m', info: '\x1b[36m' };

/** `1 row`, `2,500 rows`. */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** One line per problem (`path:line:col: severity code message`), then a summary line. */
export function formatText(results: BatchLint[], color: boolean): string {
  const lines: string[] = [];
  const paint = (s: Severity, text: string): string => (color ? `${COLORS[s]}${text}\x1b[0m` : text);
  for (const r of results) for (const p of r.problems) {
    const j = toJsonProblem(p);
    lines.push(`${r.csvPath}:${j.line}:${j.column}: ${paint(p.severity, p.severity)} ${p.code} ${p.message}`);
  }
  lines.push(summaryLine(results));
  return lines.join('\n') + '\n';
}

/** `2 files, 4 rows: 2 errors, 0 warnings, 0 infos (not ready to upload)`: every problem counted, shown or not. */
export function summaryLine(results: BatchLint[]): string {
  const t = totals(results);
  const rows = results.reduce((n, r) => n + r.rows, 0);
  const verdict = t.errors ? 'not ready to upload' : 'ready to upload';
  return `${count(results.length, 'file')}, ${count(rows, 'row')}: ${count(t.errors, 'error')}, ${count(t.warnings, 'warning')}, ${count(t.infos, 'info')} (${verdict})`;
}
