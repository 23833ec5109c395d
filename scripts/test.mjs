// The test entry point: runs every suite and ends with the plain line `N passed, N failed` that
// CI reads (mocha's own "N passing" is not read). Only that closing line has this form: the
// vscode suite's own summary is relabelled as it streams by.
// Usage: node scripts/test.mjs [suite...]   suites: unit, sftp, ui, vscode (default: all)
//   unit, sftp, ui: mocha in this process over out/test/<suite>/**/*.test.js
//   vscode: scripts/vscode/run-exthost.mjs, the tests inside a real VS Code extension host
import Mocha from 'mocha';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { findRuntime } from './vscode/runtime.mjs';

const SUMMARY = /^(\d+) passed, (\d+) failed$/;
// Per-suite mocha timeouts: a UI test starts a server and a browser.
const SUITES = {
  unit: { dir: 'out/test/unit', timeout: 20_000 },
  sftp: { dir: 'out/test/sftp', timeout: 20_000 },
  ui: { dir: 'out/test/ui', timeout: 120_000 },
  vscode: { spawn: 'scripts/vscode/run-exthost.mjs' },
};
const wanted = process.argv.slice(2);
const suites = wanted.length ? wanted : Object.keys(SUITES);
for (const s of suites) {
  if (!SUITES[s]) { console.error(`unknown suite ${s}; known: ${Object.keys(SUITES).join(', ')}`); process.exit(2); }
}

function specs(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return specs(p);
    return name.endsWith('.test.js') ? [p] : [];
  });
}

/** One mocha run in this process; a suite with no test files contributes nothing. */
async function runMocha(name, { dir, timeout }) {
  const files = specs(dir).sort();
  if (!files.length) {
    console.log(`\n== ${name}: no *.test.js under ${dir}`);
    return { passed: 0, failed: 0 };
  }
  const mocha = new Mocha({ reporter: 'spec', timeout });
  for (const f of files) mocha.addFile(join(process.cwd(), f));
  try {
    await mocha.loadFilesAsync();
  } catch (e) {
    console.error(`== ${name}: a test file failed to load:`, e);
    return { passed: 0, failed: 1 };
  }
  return new Promise((resolve) => {
    let passed = 0;
    let failed = 0;
    const runner = mocha.run(() => {
      mocha.dispose();
      resolve({ passed, failed });
    });
    runner.on('pass', () => passed++);
    runner.on('fail', () => failed++);
  });
}

/** A suite run by its own script, which ends with its own `N passed, N failed` line. */
function runScript(name, script) {
  console.log(`\n== ${name}: node ${script}`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let result;
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = SUMMARY.exec(line);
      if (m) {
        result = { passed: Number(m[1]), failed: Number(m[2]) };
        console.log(`== ${name}: ${line}`);
      } else {
        console.log(line);
      }
    });
    child.on('close', (code, signal) => {
      if (!result) {
        console.log(`== ${name}: ${script} ended (${code ?? signal}) without a summary line`);
        resolve({ passed: 0, failed: 1 });
      } else if (code !== 0 && result.failed === 0) {
        console.log(`== ${name}: ${script} exited ${code ?? signal}`);
        resolve({ ...result, failed: 1 });
      } else {
        resolve(result);
      }
    });
  });
}

/**
 * The sftp, ui and vscode suites need Debian's sshd and the offline VS Code runtime. When one is
 * missing, root installs it (.ci/install-test-deps; CI takes this path too); anyone else is told how.
 */
function ensureTestDeps() {
  const missing = [];
  if (suites.includes('sftp')) {
    for (const [what, file] of [['OpenSSH sshd', '/usr/sbin/sshd'], ['OpenSSH sftp-server', '/usr/lib/openssh/sftp-server'], ['ssh-keygen', '/usr/bin/ssh-keygen']]) {
      if (!existsSync(file)) missing.push(what);
    }
  }
  if (suites.some((s) => s === 'ui' || s === 'vscode')) {
    try { findRuntime(); } catch { missing.push('the offline VS Code runtime'); }
  }
  if (!missing.length) return;
  if (process.getuid?.() !== 0) {
    console.error(`npm test needs ${missing.join(' and ')}: run \`sudo bash .ci/install-test-deps\` once (apt packages and a cache under /var/cache), then npm test again.`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
  console.log(`== installing ${missing.join(' and ')} (.ci/install-test-deps, once)`);
  const r = spawnSync('bash', ['.ci/install-test-deps'], { stdio: 'inherit' });
  if (r.status !== 0) {
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}
ensureTestDeps();

let passed = 0;
let failed = 0;
for (const s of suites) {
  const suite = SUITES[s];
  const r = suite.spawn ? await runScript(s, suite.spawn) : await runMocha(s, suite);
  passed += r.passed;
  failed += r.failed;
}
console.log(`${passed} passed, ${failed} failed`);
// Exit now rather than when the event loop drains: a server or browser a test forgot to stop
// would otherwise hang the run (server.mjs kills its code-server on exit, playwright its browser).
process.exit(failed > 0 || passed === 0 ? 1 : 0);
