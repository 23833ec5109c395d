import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

// Localization: package.json's user-facing strings are %keys% of package.nls.json, and the
// extension's messages (vscode.l10n.t) are all in l10n/bundle.l10n.json, so that a translation
// is only new files: package.nls.<locale>.json and l10n/bundle.l10n.<locale>.json.
const ROOT = path.resolve(__dirname, '../../..');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const nls: Record<string, string> = JSON.parse(readFileSync(path.join(ROOT, 'package.nls.json'), 'utf8'));

/** Every string in the manifest with the path to it. */
function strings(value: unknown, at = ''): [string, string][] {
  if (typeof value === 'string') return [[at, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${at}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => strings(v, at ? `${at}.${k}` : k));
  return [];
}

/** Where people read a manifest string: names, titles, descriptions, categories, alternative texts, aliases. */
const SHOWN = /(^displayName|^description|\.title|\.description|\.markdownDescription|\.category|\.altText|\.aliases\[\d+\])$/;

describe('localization', () => {
  it('takes every string of package.json that people read from package.nls.json', () => {
    const shown = strings(pkg).filter(([at]) => SHOWN.test(at) && !at.startsWith('repository'));
    assert.ok(shown.length > 40, `${shown.length} strings`);
    assert.deepEqual(shown.filter(([, v]) => !/^%[\w.]+%$/.test(v)).map(([at]) => at), [], 'not localizable');
    const used = new Set(strings(pkg).map(([, v]) => /^%([\w.]+)%$/.exec(v)?.[1]).filter((k): k is string => k !== undefined));
    assert.deepEqual([...used].filter((k) => !(k in nls)), [], 'keys missing from package.nls.json');
    assert.deepEqual(Object.keys(nls).filter((k) => !used.has(k)), [], 'keys no longer used');
  });

  it('has every message of the extension in the English bundle, and nothing else', async () => {
    const { extract, BUNDLE } = await import(pathToFileURL(path.join(ROOT, 'scripts/l10n.mjs')).href) as { extract(): Record<string, string>; BUNDLE: string };
    const expected = extract();
    assert.ok(Object.keys(expected).length > 40);
    assert.deepEqual(JSON.parse(readFileSync(BUNDLE, 'utf8')), expected, 'run node scripts/l10n.mjs');
    assert.equal(pkg.l10n, './l10n');
  });

  it('keeps the placeholders of a message in order, {0} first', () => {
    for (const m of Object.keys(JSON.parse(readFileSync(path.join(ROOT, 'l10n/bundle.l10n.json'), 'utf8')))) {
      const n = [...m.matchAll(/\{(\d+)\}/g)].map((x) => Number(x[1]));
      assert.deepEqual([...new Set(n)].sort(), [...new Set(n)].sort().map((_, i) => i), m);
    }
  });
});
