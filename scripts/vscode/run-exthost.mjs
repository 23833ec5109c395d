// Runs the extension-host test folders inside a real VS Code, offline: each run is one standard
// `@vscode/test-electron` runTests() call whose "VS Code executable" is scripts/vscode/standin.mjs
// (code-server + headless Chromium). Builds nothing: run `npm run build` and `tsc -p .` first.
// Ends with the plain line `N passed, N failed` summed over the runs; exits non-zero when a test
// failed, a run crashed, or a run ran no test.
// Usage: node scripts/vscode/run-exthost.mjs [run...]   runs: trusted, untrusted (default: all)
import { runTests } from '@vscode/test-electron';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { findRuntime } from './runtime.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const STANDIN = join(ROOT, 'scripts/vscode/standin.mjs');
const SUITE_INDEX = join(ROOT, 'out/test/vscode/suite/index.js');
const EXAMPLES = join(ROOT, 'examples');
const RESULT = /^JUMIO-TESTS (\{.*\})\s*$/m;

/** Each run: a folder of compiled tests, and whether its workspace is trusted. */
export const RUNS = {
  trusted: { tests: join(ROOT, 'out/test/vscode/trusted'), trusted: true },
  untrusted: { tests: join(ROOT, 'out/test/vscode/untrusted'), trusted: false },
};

function hasSpecs(dir) {
  if (!existsSync(dir)) return false;
  return readdirSync(dir).some((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? hasSpecs(p) : name.endsWith('.test.js');
  });
}

/** A stream that passes output through to `target` and keeps a copy. */
function tee(target) {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += chunk.toString();
      target.write(chunk, done);
    },
  });
  return { stream, text: () => text };
}

/** One run in a fresh copy of examples/ (tests may change files). Never throws. */
async function runOne(name, { tests, trusted }) {
  console.log(`\n== vscode: ${name} (${trusted ? 'trusted' : 'Restricted Mode'}) ${tests}`);
  if (!hasSpecs(tests)) {
    console.log(`no *.test.js under ${tests} (did \`tsc -p .\` run?)`);
    return { passed: 0, failed: 1 };
  }
  const workspace = mkdtempSync(join(tmpdir(), `jumio-ws-${name}-`));
  cpSync(EXAMPLES, workspace, { recursive: true });
  const out = tee(process.stdout);
  const err = tee(process.stderr);
  const started = Date.now();
  try {
    await runTests({
      vscodeExecutablePath: STANDIN,
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: SUITE_INDEX,
      launchArgs: [workspace],
      extensionTestsEnv: { JUMIO_VSCODE_TESTS: tests, JUMIO_VSCODE_TRUSTED: trusted ? '1' : '0' },
      stdout: out.stream,
      stderr: err.stream,
    });
  } catch (e) {
    console.log(`run ${name}: ${e.message}`);
  } finally {
    rmSync(workspace, { recursive: true, force: true, maxRetries: 3 });
  }
  const m = RESULT.exec(out.text());
  console.log(`== vscode: ${name} took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (!m) {
    console.log(`run ${name} crashed: no result line from the extension host`);
    return { passed: 0, failed: 1 };
  }
  const { passed, failed } = JSON.parse(m[1]);
  if (passed + failed === 0) {
    console.log(`run ${name} ran no test`);
    return { passed: 0, failed: 1 };
  }
  return { passed, failed };
}

const wanted = process.argv.slice(2);
for (const w of wanted) {
  if (!RUNS[w]) {
    console.error(`unknown run ${w}; known: ${Object.keys(RUNS).join(', ')}`);
    process.exit(2);
  }
}
try {
  findRuntime();
} catch (e) {
  console.error(e.message);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
if (!existsSync(SUITE_INDEX)) {
  console.error(`${SUITE_INDEX} is missing: run \`npm run build && npx tsc -p .\` first`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

let passed = 0;
let failed = 0;
for (const name of wanted.length ? wanted : Object.keys(RUNS)) {
  const r = await runOne(name, RUNS[name]);
  passed += r.passed;
  failed += r.failed;
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
