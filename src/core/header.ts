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
  // A rename may only lead to a column the header lacks, and each such column is offered once:
  // renaming to one the header has (or to the same one twice) would make a duplicate-column.
  const names = record.cells.map((c) => c.trim());
  const free = new Set([...known].filter((k) => !names.includes(k)));
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
    if (meant && free.has(meant)) {
      free.delete(meant);
      problems.push(problem('unknown-column', at.cell(record, i), `unknown column "${name}": did you mean "${meant}"? Column names are case-sensitive.`, { replacement: csvField(meant, at.delimiter) }));
    } else if (meant) {
      const other = names.indexOf(meant);
      const where = other >= 0 ? `the header already has "${meant}" (column ${other + 1})` : `an earlier column is already to be renamed "${meant}"`;
      problems.push(problem('unknown-column', at.cell(record, i), `unknown column "${name}": it looks like "${meant}", but ${where}: remove this column if it is a copy, or name it for what it holds.`));
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
  return { columns, names, width: record.cells.length };
}
