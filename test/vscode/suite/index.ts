// The extensionTestsPath entry for tests that run inside a real VS Code extension host (Node 24
// inside code-server; see scripts/vscode/run-exthost.mjs). Runs every *.test.js under the folder
// named by JUMIO_VSCODE_TESTS with mocha, then prints one machine-readable result line that the
// runner sums: JUMIO-TESTS {"passed":N,"failed":M}.
import Mocha from 'mocha';
import { readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';

/** The line prefix scripts/vscode/run-exthost.mjs looks for in the host's output. */
export const RESULT_PREFIX = 'JUMIO-TESTS ';

function specs(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return specs(p);
    return name.endsWith('.test.js') ? [p] : [];
  });
}

/** Runs the *.test.js files under `dir`; rejects when any test failed or none ran. */
export function runFolder(dir: string): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 60_000 });
  if (process.env.JUMIO_VSCODE_GREP) mocha.grep(process.env.JUMIO_VSCODE_GREP);
  for (const f of specs(dir)) mocha.addFile(f);
  return new Promise((resolve, reject) => {
    let passed = 0;
    let failed = 0;
    try {
      const runner = mocha.run(() => {
        console.log(`${RESULT_PREFIX}${JSON.stringify({ passed, failed })}`);
        if (failed > 0) reject(new Error(`${failed} test(s) failed`));
        else if (passed === 0) reject(new Error(`no test passed in ${dir}`));
        else resolve();
      });
      runner.on('pass', () => passed++);
      runner.on('fail', () => failed++);
    } catch (e) {
      // A test file that throws while loading: one failure (the host prints the error).
      console.log(`${RESULT_PREFIX}${JSON.stringify({ passed, failed: failed + 1 })}`);
      reject(e);
    }
  });
}

export function run(): Promise<void> {
  const dir = process.env.JUMIO_VSCODE_TESTS;
  if (!dir) return Promise.reject(new Error('JUMIO_VSCODE_TESTS (the folder of compiled *.test.js to run) is not set'));
  return runFolder(path.resolve(dir));
}
