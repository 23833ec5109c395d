import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import { IGrammar, INITIAL, Registry, StateStack, parseRawGrammar } from 'vscode-textmate';

// The TextMate grammar, run by the same engine VS Code uses (vscode-textmate on oniguruma).

const ROOT = path.resolve(__dirname, '../../..');
const GRAMMAR_FILE = path.join(ROOT, 'syntaxes/jumio-batch-csv.tmLanguage.json');
const SCOPE = 'source.jumio-batch-csv';
const HEADER = 'entity.name.tag.header.jumio-batch-csv';
const COMMA = 'punctuation.separator.comma.jumio-batch-csv';
const ESCAPE = 'constant.character.escape.quote.jumio-batch-csv';
const COLUMN = /^(.+)\.column-(\d+)\.jumio-batch-csv$/;

interface Token { text: string; scopes: string[] }

/** One cell of a data row as the grammar coloured it: its column scope and its text. */
interface Cell { column?: number; colour?: string; text: string }

let grammar: IGrammar;

async function loadGrammar(): Promise<void> {
  if (grammar) return;
  await oniguruma.loadWASM(readFileSync(path.join(ROOT, 'node_modules/vscode-oniguruma/release/onig.wasm')));
  const registry = new Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) => (scopeName === SCOPE ? parseRawGrammar(readFileSync(GRAMMAR_FILE, 'utf8'), GRAMMAR_FILE) : null),
  });
  grammar = (await registry.loadGrammar(SCOPE)) as IGrammar;
}

/** Tokens line by line, each line tokenized in the state the previous one left, as the editor does. */
function tokenize(text: string): Token[][] {
  let state: StateStack = INITIAL;
  return text.split(/\r?\n/).map((line) => {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    return result.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
  });
}

function columnOf(token: Token): { column: number; colour: string } | undefined {
  for (const s of token.scopes) {
    const m = COLUMN.exec(s);
    if (m) return { column: Number(m[2]), colour: m[1] };
  }
  return undefined;
}

/** The cells of one line: a comma outside any cell starts the next one. */
function cellsOf(tokens: Token[]): Cell[] {
  const cells: Cell[] = [{ text: '' }];
  for (const t of tokens) {
    const col = columnOf(t);
    if (!col && t.scopes.includes(COMMA)) { cells.push({ text: '' }); continue; }
    const cell = cells[cells.length - 1];
    cell.text += t.text;
    if (col) {
      assert.ok(cell.column === undefined || cell.column === col.column, `"${cell.text}" carries two column scopes`);
      Object.assign(cell, col);
    }
  }
  return cells;
}

const seed = readFileSync(path.join(ROOT, 'examples/batch/input.csv'), 'utf8');
const seedHeader = seed.split(/\r?\n/)[0].split(',');
const seedRow = seed.split(/\r?\n/)[1].split(',');

describe('the grammar: header', () => {
  before(loadGrammar);

  it('scopes every name of the first line as a header name and every comma as a separator', () => {
    const [header] = tokenize(seed);
    assert.deepEqual(header.filter((t) => t.scopes.includes(HEADER)).map((t) => t.text), seedHeader);
    assert.deepEqual(header.filter((t) => !t.scopes.includes(HEADER)).map((t) => [t.text, t.scopes.at(-1)]),
      seedHeader.slice(1).map(() => [',', COMMA]));
  });

  it('does not treat line 2 or any later line as a header', () => {
    const lines = tokenize(`${seed}${seed.split('\n')[0]}\n`);
    for (const [i, line] of lines.slice(1).entries()) {
      assert.ok(line.every((t) => !t.scopes.some((s) => s.includes('header'))), `line ${i + 2} has header scopes`);
    }
  });

  it('reads the first non-empty line as the header, as the linter does (blank lines before it are blank rows)', () => {
    const lines = tokenize('\n\nworkflowDefinitionKey,customerInternalReference\n10015,a\n');
    assert.deepEqual(lines[2].filter((t) => t.scopes.includes(HEADER)).map((t) => t.text), ['workflowDefinitionKey', 'customerInternalReference']);
    assert.deepEqual(cellsOf(lines[3]).map((c) => c.column), [1, 2]);
  });

  it('keeps a quoted header name with a comma in it one name', () => {
    const [header] = tokenize('"a,b",c\n');
    assert.deepEqual(header.filter((t) => t.scopes.includes(HEADER)).map((t) => t.text), ['a,b', 'c']);
  });
});

describe('the grammar: data rows', () => {
  before(loadGrammar);

  it('gives the seed row\'s cells the column scopes 1..10, then 1 again from the eleventh cell', () => {
    const cells = cellsOf(tokenize(seed)[1]);
    assert.deepEqual(cells.map((c) => c.text), seedRow);
    assert.deepEqual(cells.map((c) => c.column), seedRow.map((_, i) => (i % 10) + 1));
  });

  it('colours adjacent columns with different scopes, the tenth and the eleventh too', () => {
    const cells = cellsOf(tokenize(seed)[1]);
    assert.equal(new Set(cells.slice(0, 10).map((c) => c.colour)).size, 10);
    for (let i = 1; i < cells.length; i++) assert.notEqual(cells[i].colour, cells[i - 1].colour, `columns ${i} and ${i + 1}`);
  });

  it('keeps a quoted cell with a comma inside one column', () => {
    const cells = cellsOf(tokenize('h1,h2,h3\n10015,"12345 SW Address Ln, Apt 4",x\n')[1]);
    assert.deepEqual(cells.map((c) => [c.column, c.text]), [[1, '10015'], [2, '"12345 SW Address Ln, Apt 4"'], [3, 'x']]);
  });

  it('reads "" inside a quoted cell as an escaped quote, not as the end of the cell', () => {
    const line = tokenize('h1,h2,h3\n10015,"say ""hi"", then go",x\n')[1];
    assert.deepEqual(cellsOf(line).map((c) => [c.column, c.text]), [[1, '10015'], [2, '"say ""hi"", then go"'], [3, 'x']]);
    assert.deepEqual(line.filter((t) => t.scopes.includes(ESCAPE)).map((t) => t.text), ['""', '""']);
  });

  it('starts a quoted cell only at the start of a cell: a quote inside a value does not swallow the commas after it', () => {
    const cells = cellsOf(tokenize('h1,h2,h3\n10015,order-"10,x\n')[1]);
    assert.deepEqual(cells.map((c) => [c.column, c.text]), [[1, '10015'], [2, 'order-"10'], [3, 'x']]);
  });

  it('counts on across a quoted cell that spans lines', () => {
    const lines = tokenize('h1,h2,h3\n10015,"line one\nline two",x\n10016,y,z\n');
    assert.deepEqual(cellsOf(lines[1]).map((c) => [c.column, c.text]), [[1, '10015'], [2, '"line one']]);
    assert.deepEqual(cellsOf(lines[2]).map((c) => [c.column, c.text]), [[2, 'line two"'], [3, 'x']]);
    assert.deepEqual(cellsOf(lines[3]).map((c) => c.column), [1, 2, 3]);
  });

  it('colours the rest of the file as one cell after a quote that is never closed, as a CSV parser reads it', () => {
    const lines = tokenize('h1,h2\n10015,"open\n10016,b\n');
    assert.deepEqual(cellsOf(lines[2]).map((c) => [c.column, c.text]), [[2, '10016,b']]);
  });

  it('leaves empty lines and empty cells without a column scope', () => {
    const lines = tokenize('h1,h2,h3\n\n10015,,x\n');
    assert.deepEqual(lines[1].filter((t) => t.text !== ''), []);
    assert.deepEqual(cellsOf(lines[2]).map((c) => [c.column, c.text]), [[1, '10015'], [undefined, ''], [3, 'x']]);
  });
});

describe('the README', () => {
  it('lists the grammar\'s ten column scopes, in order', () => {
    const raw = JSON.parse(readFileSync(GRAMMAR_FILE, 'utf8'));
    const inGrammar = Object.keys(raw.repository).filter((k) => /^cell-\d+$/.test(k))
      .map((k) => raw.repository[k].patterns.map((p: { name: string }) => p.name)[0].replace(/\.jumio-batch-csv$/, ''));
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const inReadme = [...readme.matchAll(/^\| [\d, ]+ \| `([a-z.]+\.column-\d+)` \|$/gm)].map((m) => m[1]);
    assert.equal(inGrammar.length, 10);
    assert.deepEqual(inReadme, inGrammar);
  });
});

describe('the language configuration', () => {
  const config = JSON.parse(readFileSync(path.join(ROOT, 'language-configuration.json'), 'utf8'));
  const words = (line: string): string[] => line.match(new RegExp(config.wordPattern, 'g')) ?? [];

  it('makes a word of a whole cell value, dots, @ and spaces inside it included, never across a comma or a quote', () => {
    assert.deepEqual(words('workflowDefinitionKey,preparedData.address.city'), ['workflowDefinitionKey', 'preparedData.address.city']);
    assert.deepEqual(words('email1@gmail.com,"12345 SW Address Ln, Apt 4", Any Town ,2022-07-20T17:20:35.000Z'),
      ['email1@gmail.com', '12345 SW Address Ln', 'Apt 4', 'Any Town', '2022-07-20T17:20:35.000Z']);
  });

  it('closes and surrounds with double quotes, and declares no comments', () => {
    assert.deepEqual(config.autoClosingPairs, [{ open: '"', close: '"' }]);
    assert.deepEqual(config.surroundingPairs, [['"', '"']]);
    assert.equal(config.comments, undefined);
  });

  it('is the configuration, and the grammar the grammar, that package.json declares for jumio-batch-csv', () => {
    const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const language = manifest.contributes.languages.find((l: { id: string }) => l.id === 'jumio-batch-csv');
    const contributed = manifest.contributes.grammars.find((g: { language: string }) => g.language === 'jumio-batch-csv');
    assert.equal(path.resolve(ROOT, language.configuration), path.join(ROOT, 'language-configuration.json'));
    assert.equal(path.resolve(ROOT, contributed.path), GRAMMAR_FILE);
    assert.equal(contributed.scopeName, JSON.parse(readFileSync(GRAMMAR_FILE, 'utf8')).scopeName);
  });
});
