import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { RULE_CODES } from '../../src/core';

const ROOT = path.resolve(__dirname, '../../..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return name.endsWith('.ts') ? [p] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/g)]
    .map((m) => m[1] ?? m[2] ?? m[3]);
}

describe('architecture', () => {
  it('keeps src/core pure: only files inside src/core, csv-parse and the ISO country table', () => {
    const allowed = new Set(['csv-parse/sync', 'i18n-iso-countries/codes.json']);
    const core = path.join(ROOT, 'src/core');
    // A relative import is judged by where it lands: src/core/upload may reach ../batchId, not ../../node.
    const inCore = (file: string, i: string): boolean => i.startsWith('.') && !path.relative(core, path.resolve(path.dirname(file), i)).startsWith('..');
    const offenders = sources(core).flatMap((f) =>
      imports(f).filter((i) => !inCore(f, i) && !allowed.has(i)).map((i) => `${path.relative(ROOT, f)} imports ${i}`));
    assert.deepEqual(offenders, []);
  });

  it('lets only src/extension import vscode', () => {
    const offenders = sources(path.join(ROOT, 'src')).filter((f) => !f.includes(`${path.sep}extension${path.sep}`))
      .filter((f) => imports(f).includes('vscode')).map((f) => path.relative(ROOT, f));
    assert.deepEqual(offenders, []);
  });

  it('lets the webview script import only src/core: it runs in a browser frame', () => {
    const webview = path.join(ROOT, 'src/webview');
    const core = path.join(ROOT, 'src/core');
    const offenders = sources(webview).flatMap((f) => imports(f)
      .filter((i) => !(i.startsWith('.') && !path.relative(core, path.resolve(path.dirname(f), i)).startsWith('..')))
      .map((i) => `${path.relative(ROOT, f)} imports ${i}`));
    assert.ok(sources(webview).length > 0);
    assert.deepEqual(offenders, []);
  });

  it('points dependencies one way: core imports nothing from node, cli or extension', () => {
    const offenders = sources(path.join(ROOT, 'src/core')).flatMap((f) =>
      imports(f).filter((i) => /\.\.\/(node|cli|extension)/.test(i)).map((i) => `${path.relative(ROOT, f)} imports ${i}`));
    assert.deepEqual(offenders, []);
  });
});

describe('the README', () => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

  it('documents every rule code under a heading of its own (diagnostics link to these anchors)', () => {
    const headings = new Set([...readme.matchAll(/^### ([a-z0-9-]+)$/gm)].map((m) => m[1]));
    assert.deepEqual(RULE_CODES.filter((c) => !headings.has(c)), []);
    assert.deepEqual([...headings].filter((h) => !(RULE_CODES as string[]).includes(h)), []);
  });

  it('gives the two quick-start commands that CI and users run', () => {
    assert.match(readme, /npm install && npm start/);
    assert.match(readme, /^npm test/m);
    assert.match(readFileSync(path.join(ROOT, '.ci/run'), 'utf8'), /^npm test$/m);
  });
});

describe('the preview\'s browser bundle', () => {
  it('carries no csv-parse and no Node Buffer (the webview has neither: the page stays empty)', () => {
    const bundle = readFileSync(path.join(ROOT, 'dist/preview.js'), 'utf8');
    assert.doesNotMatch(bundle, /csv-parse/);
    assert.doesNotMatch(bundle, /\bBuffer\./);
  });
});
