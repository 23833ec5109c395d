#!/usr/bin/env node
// A stand-in for the VS Code executable, so that `@vscode/test-electron`'s
// `runTests({ vscodeExecutablePath: 'scripts/vscode/standin.mjs', ... })` runs extension tests in
// a real VS Code offline: it starts code-server (scripts/vscode/server.mjs), opens the workbench
// in headless Chromium with the test payload, echoes the extension host's console, and exits
// with the code the tests' `run()` settled with.
//
// Accepts Electron-style flags: --extensionDevelopmentPath=DIR (repeatable),
// --extensionTestsPath=FILE, and a folder to open. Other flags runTests passes (--no-sandbox,
// --user-data-dir=..., --disable-workspace-trust, ...) are ignored: every run gets a fresh temp
// profile, and trust is chosen by the environment.
// Environment: JUMIO_VSCODE_TRUSTED=0 opens the folder in Restricted Mode;
// JUMIO_VSCODE_TIMEOUT_MS (default 600000) bounds the whole run;
// JUMIO_VSCODE_VERBOSE=1 also echoes code-server's and the browser's own output and phase times;
// JUMIO_VSCODE_SERVER_ARGS adds code-server flags (space-separated).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { format } from 'node:util';
import { startServerAndBrowser } from './chromium.mjs';
import { findRuntime } from './runtime.mjs';
import { startCodeServer } from './server.mjs';

// Workbench chatter that codeAutomationLog also receives on every run, none of it about the
// tests (no marketplace, no GitHub sign-in offline): hidden unless JUMIO_VSCODE_VERBOSE=1.
const NOISE = [
  /^Ignoring fetching additional builtin extensions from gallery/,
  /^Updating additional builtin extensions cache/,
  /^Resolv(ing|ed) connection token/,
  /^Creating a socket \(renderer-/,
  /^\[(AccountPolicyGate|reconnection-grace-time|AgentHost:remote|Service Worker)\] /,
  /^Creation of workbench contribution '[^']*' took \d+ms/,
  /^Timed out waiting for authentication provider 'github' to register/,
];

function parseArgs(argv) {
  const devPaths = [];
  let testsPath;
  let folder;
  for (const a of argv) {
    const m = /^--([^=]+)=(.*)$/.exec(a);
    if (m?.[1] === 'extensionDevelopmentPath') devPaths.push(resolve(m[2]));
    else if (m?.[1] === 'extensionTestsPath') testsPath = resolve(m[2]);
    else if (!a.startsWith('-') && folder === undefined) folder = resolve(a);
  }
  return { devPaths, testsPath, folder };
}

function fail(message) {
  console.error(`standin: ${message}`);
  process.exit(1);
}

const { devPaths, testsPath, folder } = parseArgs(process.argv.slice(2));
if (!testsPath) fail('--extensionTestsPath=FILE is required');
if (!devPaths.length) fail('--extensionDevelopmentPath=DIR is required');
if (folder && !existsSync(folder)) fail(`folder to open does not exist: ${folder}`);
const trusted = process.env.JUMIO_VSCODE_TRUSTED !== '0';
const verbose = process.env.JUMIO_VSCODE_VERBOSE === '1';
const timeoutMs = Number(process.env.JUMIO_VSCODE_TIMEOUT_MS) || 600_000;
try {
  findRuntime();
} catch (e) {
  fail(e.message);
}

const t0 = Date.now();
function phase(what) {
  if (verbose) process.stderr.write(`[standin] ${((Date.now() - t0) / 1000).toFixed(1)} s: ${what}\n`);
}

let server;
let browser;
async function cleanUp() {
  await Promise.all([browser?.close().catch(() => {}), server?.stop()]);
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, async () => {
    console.error(`standin: ${sig}, stopping VS Code`);
    await cleanUp();
    process.exit(1);
  });
}

let timedOut = false;
const timer = setTimeout(async () => {
  timedOut = true;
  console.error(`standin: TIMEOUT: the tests did not finish within ${timeoutMs} ms `
    + '(JUMIO_VSCODE_TIMEOUT_MS); stopping VS Code. Did the extension host start? Rerun with JUMIO_VSCODE_VERBOSE=1.');
  await cleanUp();
  process.exit(1);
}, timeoutMs);

let exitCode = 1;
try {
  ({ server, browser } = await startServerAndBrowser(() => startCodeServer({
    workspace: folder,
    trusted,
    serverArgs: process.env.JUMIO_VSCODE_SERVER_ARGS?.split(' ').filter(Boolean),
    onOutput: verbose ? (s) => process.stderr.write(`[code-server] ${s}`) : undefined,
  })));
  phase('code-server and chromium started');
  const page = await browser.newPage();
  if (verbose) {
    page.on('console', (m) => process.stderr.write(`[browser ${m.type()}] ${m.text()}\n`));
    page.on('pageerror', (e) => process.stderr.write(`[browser pageerror] ${e.stack ?? e}\n`));
  }
  let resolveExit;
  const exited = new Promise((r) => { resolveExit = r; });
  // Called by the workbench when the tests' run() settles (its second argument, the logs, is unused).
  await page.exposeFunction('codeAutomationExit', (code) => resolveExit(Number(code) || 0));
  // The extension host's console, forwarded by the workbench because the tests came from a CLI.
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    // The host's console.log arguments, printf-style as mocha passes them ('%s passing').
    const text = format(...(Array.isArray(args) ? args : [args]));
    if (!verbose && NOISE.some((re) => re.test(text))) return;
    (type === 'error' || type === 'warn' ? process.stderr : process.stdout).write(`${text}\n`);
  });
  const payload = [
    ...devPaths.map((p) => ['extensionDevelopmentPath', server.remoteUri(p)]),
    ['extensionTestsPath', server.remoteUri(testsPath)],
    ['skipWelcome', 'true'],
  ];
  // Loading the workbench takes 5–10 s on two busy cores; playwright's default is 30 s.
  await page.goto(server.url(folder, payload), { timeout: 120_000 });
  phase('workbench page loaded');
  exitCode = await exited;
  phase(`tests finished with exit code ${exitCode}`);
} catch (e) {
  if (timedOut) await new Promise(() => {}); // the timeout handler reports and exits
  console.error(`standin: ${e.stack ?? e}`);
  exitCode = 1;
} finally {
  clearTimeout(timer);
  await cleanUp();
  phase('stopped');
}
process.exit(exitCode);
