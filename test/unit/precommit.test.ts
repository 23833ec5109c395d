import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

// The pre-commit hook this repository offers, and the README's CI section: what CI users copy.

const ROOT = path.resolve(__dirname, '../../..');

/** The hooks of .pre-commit-hooks.yaml: a list of flat mappings, read line by line. */
function hooks(): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const line of readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8').split('\n')) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const m = /^(- | {2})([a-z_]+): (.*)$/.exec(line);
    assert.ok(m, `a "key: value" line: ${line}`);
    if (m[1] === '- ') out.push({});
    out[out.length - 1][m[2]] = m[3];
  }
  return out;
}

describe('the pre-commit hook', () => {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

  it('is jumio-batch-lint, running the package\'s jumio-batch lint on the staged input.csv files', () => {
    const [hook, ...others] = hooks();
    assert.deepEqual(others, []);
    assert.equal(hook.id, 'jumio-batch-lint');
    assert.equal(hook.entry, 'jumio-batch lint');
    assert.equal(hook.language, 'node');
    assert.equal(pkg.bin['jumio-batch'], 'dist/cli.js');
    // pre-commit installs a node hook as a git dependency (npm install -g git+file://…), for which npm runs only prepare: dist/cli.js must be built there.
    assert.equal(pkg.scripts.prepare, 'node scripts/build.mjs');
    // pre-commit matches `files` with Python's re.search against the path from the repository root.
    const files = new RegExp(hook.files);
    for (const f of ['input.csv', 'batches/march/input.csv']) assert.ok(files.test(f), f);
    for (const f of ['input.csv.bak', 'my-input.csv', 'Input.csv', 'input.csv/x']) assert.ok(!files.test(f), f);
  });

  it('is shown in the README\'s "In CI" section, with a GitHub Actions job that annotates and uploads SARIF', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const ci = readme.slice(readme.indexOf('### In CI'), readme.indexOf('\n## ', readme.indexOf('### In CI')));
    assert.ok(ci.length > 100, 'an In CI section');
    for (const needed of ['lint --format github', 'lint --format sarif', 'github/codeql-action/upload-sarif', 'security-events: write', 'id: jumio-batch-lint']) {
      assert.ok(ci.includes(needed), needed);
    }
  });
});
