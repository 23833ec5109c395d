// `lint --format github`: one GitHub Actions workflow command per problem, which the runner shows
// as an annotation on the file and line (in the job summary and a pull request's diff).
import { Severity } from '../core';
import { BatchLint } from '../node/batch/lintPath';
import { summaryLine, toJsonProblem } from './format';
import { shownPath } from './io';

const COMMANDS: Record<Severity, 'error' | 'warning' | 'notice'> = { error: 'error', warning: 'warning', info: 'notice' };

/** A command's message, escaped as the runner requires: `%`, CR and LF. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A command's property value: as a message, and `:` and `,` too (they separate properties). */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=<code>::<message>` per problem
 * (`::warning`, `::notice` for infos), 1-based as `--format json`, the file relative to the
 * working folder (the runner resolves it in the repository); then the summary line as text.
 */
export function formatGithub(results: BatchLint[], cwd: string): string {
  const lines: string[] = [];
  for (const r of results) {
    const file = escapeProperty(shownPath(r.csvPath, cwd));
    for (const p of r.problems) {
      const j = toJsonProblem(p);
      lines.push(`::${COMMANDS[p.severity]} file=${file},line=${j.line},col=${j.column},endLine=${j.endLine},endColumn=${j.endColumn},title=${escapeProperty(p.code)}::${escapeData(p.message)}`);
    }
  }
  lines.push(summaryLine(results));
  return lines.join('\n') + '\n';
}
