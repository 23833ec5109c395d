// Writes l10n/bundle.l10n.json, the English bundle of the extension's own messages: every
// string literal passed to vscode.l10n.t(...) in src/extension. A translation is a copy of it
// named bundle.l10n.<locale>.json with the values translated (package.nls.<locale>.json does the
// same for package.json). test/unit/l10n.test.ts fails when the bundle is out of date.
// Usage: node scripts/l10n.mjs [--check]
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BUNDLE = join(ROOT, 'l10n', 'bundle.l10n.json');

// l10n.t('…') or l10n.t("…"): a quoted literal first argument (a template with ${} cannot be translated).
const CALL = /\bl10n\.t\(\s*(?:'((?:\\.|[^'\\])*)'|"((?:\\.|[^"\\])*)")/g;

function unescape(s) {
  return s.replace(/\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/g, (_, e) => {
    if (e[0] === 'u') return String.fromCodePoint(parseInt(e.replace(/[u{}]/g, ''), 16));
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    return { n: '\n', t: '\t', r: '\r' }[e] ?? e;
  });
}

/** Every message of the extension's sources, sorted, each its own English text. */
export function extract(dir = join(ROOT, 'src', 'extension')) {
  const messages = new Set();
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.ts')).sort()) {
    const text = readFileSync(join(dir, name), 'utf8');
    for (const m of text.matchAll(CALL)) messages.add(unescape(m[1] ?? m[2]));
  }
  return Object.fromEntries([...messages].sort().map((m) => [m, m]));
}

export function bundleText(bundle = extract()) {
  return `${JSON.stringify(bundle, null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = bundleText();
  if (process.argv.includes('--check')) {
    const same = readFileSync(BUNDLE, 'utf8') === text;
    console.log(same ? 'l10n/bundle.l10n.json is up to date' : 'l10n/bundle.l10n.json is out of date: run node scripts/l10n.mjs');
    process.exit(same ? 0 : 1);
  }
  writeFileSync(BUNDLE, text);
  console.log(`${BUNDLE}: ${Object.keys(JSON.parse(text)).length} messages`);
}
