import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
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
  it('is jumio-batch-lint, running the CLI\'s lint on the staged input.csv files, one run at a time', () => {
    const [hook, ...others] = hooks();
    assert.deepEqual(others, []);
    assert.equal(hook.id, 'jumio-batch-lint');
    assert.equal(hook.language, 'script');
    assert.equal(hook.entry, 'scripts/pre-commit-lint.sh');
    assert.equal(hook.require_serial, 'true');
    const script = path.join(ROOT, hook.entry);
    assert.ok(statSync(script).mode & 0o111, 'the script is executable');
    assert.match(readFileSync(script, 'utf8'), /exec node "\$tool\/dist\/cli\.js" lint "\$@"/);
    // pre-commit matches `files` with Python's re.search against the path from the repository root.
    const files = new RegExp(hook.files);
    for (const f of ['input.csv', 'batches/march/input.csv']) assert.ok(files.test(f), f);
    for (const f of ['input.csv.bak', 'my-input.csv', 'Input.csv', 'input.csv/x']) assert.ok(!files.test(f), f);
  });

  it('builds the CLI in its clone on the first run, then lints the files it is given with lint\'s exit status', function () {
    this.timeout(120_000);
    // A clone as pre-commit keeps one: the repository's files, no dist/ yet (node_modules linked, so no download).
    const clone = mkdtempSync(path.join(os.tmpdir(), 'jb-hook-'));
    try {
      mkdirSync(path.join(clone, 'scripts'));
      for (const f of ['package.json', 'scripts/build.mjs', 'scripts/pre-commit-lint.sh']) cpSync(path.join(ROOT, f), path.join(clone, f));
      cpSync(path.join(ROOT, 'src'), path.join(clone, 'src'), { recursive: true });
      symlinkSync(path.join(ROOT, 'node_modules'), path.join(clone, 'node_modules'));
      // A real clone runs npm ci first; here the linked node_modules stands for it, and npm is a
      // recorder (npm ci would remove the linked folder).
      const env = { ...process.env, PATH: `${path.join(clone, 'bin')}:${process.env.PATH}` };
      mkdirSync(path.join(clone, 'bin'));
      writeFileSync(path.join(clone, 'bin', 'npm'), '#!/bin/sh\necho "npm $*" >> "$(dirname "$0")/../npm-calls"\n', { mode: 0o755 });
      const run = (files: string[]) => spawnSync(path.join(clone, 'scripts/pre-commit-lint.sh'), files, { cwd: ROOT, env, encoding: 'utf8', timeout: 110_000 });
      const bad = run(['examples/broken-batch/input.csv']);
      assert.equal(bad.status, 1, bad.stderr);
      assert.match(bad.stderr, /installing and building jumio-batch/);
      assert.match(bad.stdout, /^examples\/broken-batch\/input\.csv:11:13: error csv-syntax /m);
      assert.equal(readFileSync(path.join(clone, 'npm-calls'), 'utf8'), 'npm ci --no-audit --no-fund --loglevel=error\n');
      const good = run(['examples/batch/input.csv']);
      assert.equal(good.status, 0, good.stderr);
      assert.equal(good.stderr, '', 'no second build');
    } finally {
      rmSync(clone, { recursive: true, force: true });
    }
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
