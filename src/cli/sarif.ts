// `lint --format sarif`: a SARIF 2.1.0 log, as GitHub code scanning and other CI dashboards read
// it. The same problems as `--format json` (toJsonProblem's 1-based positions), one rule per code.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { RULES, RULES_URL, RULE_CODES, RuleCode, Severity, ruleUrl } from '../core';
import { BatchLint } from '../node/batch/lintPath';
import { toJsonProblem } from './format';
import { shownPath } from './io';

/** Where the SARIF 2.1.0 JSON schema is published (the `$schema` of every log). */
export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** The base that relative artifact URIs are resolved against: the working folder. */
const SRCROOT = '%SRCROOT%';

const LEVELS: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/** A file's location: relative to the working folder (so that CI maps it into the repository) when inside it, else an absolute file URI. */
function artifactLocation(file: string, cwd: string): { uri: string; uriBaseId?: string } {
  const absolute = path.resolve(cwd, file);
  const shown = shownPath(absolute, cwd);
  if (path.isAbsolute(shown)) return { uri: pathToFileURL(absolute).href };
  return { uri: shown.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

/** The SARIF 2.1.0 log of the lint results (one run), as one line of JSON. */
export function formatSarif(results: BatchLint[], cwd: string): string {
  const index = new Map<RuleCode, number>(RULE_CODES.map((c, i) => [c, i]));
  const rules = RULE_CODES.map((code) => ({
    id: code,
    shortDescription: { text: RULES[code].summary },
    helpUri: ruleUrl(code),
    defaultConfiguration: { level: LEVELS[RULES[code].severity] },
  }));
  const sarifResults = results.flatMap((r) => r.problems.map((p) => {
    const j = toJsonProblem(p);
    return {
      ruleId: p.code,
      ruleIndex: index.get(p.code),
      level: LEVELS[p.severity],
      message: { text: p.message },
      locations: [{
        physicalLocation: {
          artifactLocation: artifactLocation(r.csvPath, cwd),
          region: { startLine: j.line, startColumn: j.column, endLine: j.endLine, endColumn: j.endColumn },
        },
      }],
    };
  }));
  return JSON.stringify({
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'jumio-batch', version: process.env.JUMIO_BATCH_VERSION ?? '0.0.0', informationUri: RULES_URL, rules } },
      originalUriBaseIds: { [SRCROOT]: { uri: `${pathToFileURL(cwd).href.replace(/\/?$/, '/')}` } },
      // Columns count UTF-16 code units, as the linter's positions do (SARIF's default, said out loud).
      columnKind: 'utf16CodeUnits',
      results: sarifResults,
    }],
  });
}
