import { CsvRecord } from './csv';
import { KNOWN_COLUMNS, REQUIRED_COLUMNS, DEFAULT_WORKFLOW_KEY, nearestColumn } from './columns';
import { Locator } from './locate';
import { Problem, problem } from './problem';
import { csvField } from './scan';

/** The header, read: which known column sits at which cell. */
export interface Header {
  /** Column index of each known (or extra) column, by its exact name. */
  columns: Map<string, number>;
  names: string[];
  width: number;
}

/** Checks the header record and maps its columns. */
export function checkHeader(record: CsvRecord, extraColumns: readonly string[], at: Locator, problems: Problem[]): Header {
  const known = new Set([...KNOWN_COLUMNS, ...extraColumns]);
  const columns = new Map<string, number>();
  const firstSeen = new Map<string, number>();
  record.cells.forEach((raw, i) => {
    const name = raw.trim();
    if (name === '') {
      problems.push(problem('blank-column-name', at.cell(record, i), `column ${i + 1} of the header has no name: name it, or remove the column (and its cells) if it is empty${i === record.cells.length - 1 ? ' (a trailing comma?)' : ''}.`));
      return;
    }
    if (raw !== name) {
      problems.push(problem('whitespace', at.cell(record, i), `column name "${name}" has spaces around it: remove them.`, { replacement: csvField(name, at.delimiter) }));
    }
    const earlier = firstSeen.get(name);
    if (earlier !== undefined) {
      problems.push(problem('duplicate-column', at.cell(record, i), `column "${name}" appears twice (also column ${earlier + 1}): keep one.`));
      return;
    }
    firstSeen.set(name, i);
    if (known.has(name)) {
      columns.set(name, i);
      return;
    }
    const meant = nearestColumn(name, [...known]);
    if (meant) {
      problems.push(problem('unknown-column', at.cell(record, i), `unknown column "${name}": did you mean "${meant}"? Column names are case-sensitive.`, { replacement: meant }));
    } else if (name.startsWith('preparedData.')) {
      problems.push(problem('unknown-column', at.cell(record, i), `"${name}" is not a documented preparedData field: keep it only if your workflow needs it (and list it in the extra columns setting to silence this).`));
    } else {
      problems.push(problem('unknown-column', at.cell(record, i), `unknown column "${name}": Jumio ignores or rejects it; see the README for the known columns.`));
    }
  });
  for (const required of REQUIRED_COLUMNS) {
    if (columns.has(required)) continue;
    const nearMiss = [...firstSeen.keys()].find((n) => nearestColumn(n, [required]) === required);
    const hint = nearMiss
      ? ` (column "${nearMiss}" looks like it: rename it)`
      : required === 'workflowDefinitionKey' ? `: add it (the default workflow key is ${DEFAULT_WORKFLOW_KEY})` : ': add it, with your own id for each transaction';
    problems.push(problem('missing-column', at.wholeRecord(record), `required column "${required}" is missing from the header${hint}.`));
  }
  return { columns, names: record.cells.map((c) => c.trim()), width: record.cells.length };
}
